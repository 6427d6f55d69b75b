"""Auto quality: step the local stream down when it stalls, and back up once it is calm.

Pure and clock-injected: the player feeds it transcoder and buffering reports with a
timestamp and announces any change it returns.

Plex's `throttled` flag means the transcoder is *ahead* of playback and paused itself;
its speed then reads low without anything being wrong, so a throttled report counts as
healthy. Bad reports are buffering, or an unthrottled speed below 1.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plextui.core.quality import QualityProfile


@dataclass(frozen=True)
class QualityChange:
    previous: QualityProfile
    current: QualityProfile
    reason: str

    @property
    def message(self) -> str:
        """The notification text: `Auto quality: 720p 4 Mbps (transcoder is behind, 0.8×)`."""
        return f"Auto quality: {self.current.label} ({self.reason})"


class AutoQuality:
    """Walks a ladder of rungs (best first), starting at the top."""

    def __init__(
        self,
        ladder: Sequence[QualityProfile],
        *,
        bad_reports: int = 3,
        stable_seconds: float = 60.0,
        now: float = 0.0,
    ) -> None:
        if not ladder:
            raise ValueError("AutoQuality needs at least one rung")
        self._ladder = tuple(ladder)
        self._bad_limit = bad_reports
        self._stable = stable_seconds
        self._index = 0
        self._bad = 0
        self._calm_since = now

    @property
    def current(self) -> QualityProfile:
        return self._ladder[self._index]

    def report(
        self,
        now: float,
        *,
        speed: float | None = None,
        throttled: bool = False,
        buffering: bool = False,
    ) -> QualityChange | None:
        """Record one observation; returns the change it caused, if any."""
        slow = speed is not None and speed < 1.0 and not throttled
        if buffering or slow:
            self._bad += 1
            self._calm_since = now
            if self._bad < self._bad_limit or self._index == len(self._ladder) - 1:
                return None
            reason = "buffering" if buffering else f"transcoder is behind, {speed:.1f}×"
            return self._move(+1, now, reason)
        self._bad = 0
        if self._index > 0 and now - self._calm_since >= self._stable:
            return self._move(-1, now, f"stable for {self._stable:g} s")
        return None

    def _move(self, step: int, now: float, reason: str) -> QualityChange:
        previous = self.current
        self._index += step
        self._bad = 0
        self._calm_since = now
        return QualityChange(previous, self.current, reason)
