"""Clocks that drive the playback simulation: real time, or a manual one tests advance."""

from __future__ import annotations

import threading
import time


class RealClock:
    """Wall-clock time; playback advances on its own."""

    manual = False

    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that only moves when told to, so playback tests are deterministic."""

    manual = True

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += float(seconds)
