"""Timings the app records about itself, for the Stats screen and `ctl stats`.

Kept in memory as bounded samples per name; medians and p95 are what users compare.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

MAX_SAMPLES = 500


@dataclass(frozen=True)
class Summary:
    name: str
    count: int
    median_ms: float
    p95_ms: float
    last_ms: float


def _median(ordered: list[float]) -> float:
    """The median of sorted samples (statistics would cost every process its import)."""
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


class Metrics:
    """Named timing samples in seconds, summarised in milliseconds."""

    def __init__(self) -> None:
        self._samples: dict[str, deque[float]] = defaultdict(lambda: deque(maxlen=MAX_SAMPLES))
        self.counters: dict[str, float] = defaultdict(float)

    def record(self, name: str, seconds: float) -> None:
        self._samples[name].append(seconds)

    def summary(self) -> list[Summary]:
        out = []
        for name, values in sorted(self._samples.items()):
            ordered = sorted(values)
            p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
            out.append(
                Summary(
                    name,
                    len(ordered),
                    _median(ordered) * 1000,
                    p95 * 1000,
                    values[-1] * 1000,
                )
            )
        return out
