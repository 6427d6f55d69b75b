"""VolumeChange: a volume to set or a step to add, as the grammar reads it and players apply it.

A value of its own (not part of the grammar's parsing) because players, the playback
keys and the Discord remote all hold and combine changes long after the text is gone:
rapid presses coalesce with `then`, and each player clamps with `apply`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VolumeChange:
    """A volume to set (0-100) or, when `relative`, a step to add (-100..100)."""

    value: int
    relative: bool = False

    def apply(self, current: int) -> int:
        return _clamp(current + self.value if self.relative else self.value, 0, 100)

    def then(self, later: VolumeChange) -> VolumeChange:
        """One change equal to `self` followed by `later` (for coalescing rapid presses)."""
        if not later.relative:
            return later
        if self.relative:
            return VolumeChange(_clamp(self.value + later.value, -100, 100), relative=True)
        return VolumeChange(later.apply(self.value))

    def to_text(self) -> str:
        return f"{self.value:+d}" if self.relative else str(self.value)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
