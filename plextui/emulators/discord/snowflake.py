"""Discord snowflakes (reference §4): ms since the Discord epoch in the top 42 bits, so ids sort
by creation time and a message's `timestamp` can be read back from its id."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000


def make_snowflake(unix_ms: int, worker: int = 1, process: int = 0, increment: int = 0) -> int:
    return ((unix_ms - DISCORD_EPOCH_MS) << 22) | (worker << 17) | (process << 12) | increment


def snowflake_unix_ms(snowflake: int | str) -> int:
    return (int(snowflake) >> 22) + DISCORD_EPOCH_MS


def snowflake_iso(snowflake: int | str) -> str:
    """The id's embedded time in Discord's timestamp form, `...T11:31:01.123000+00:00`."""
    when = datetime.fromtimestamp(snowflake_unix_ms(snowflake) / 1000, tz=UTC)
    return when.isoformat(timespec="microseconds")


def now_iso() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="microseconds")


class SnowflakeGenerator:
    """Hands out strictly increasing ids from a clock, even when many share a millisecond."""

    def __init__(self, clock: Callable[[], float] = time.time, worker: int = 1) -> None:
        self._clock = clock
        self._worker = worker
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            candidate = make_snowflake(int(self._clock() * 1000), self._worker)
            self._last = max(candidate, self._last + 1)
            return str(self._last)
