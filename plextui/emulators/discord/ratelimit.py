"""Fixed-window buckets with Discord's headers (reference §2.5). A request names its buckets;
the first is reported in X-RateLimit-* headers, any exhausted one answers 429."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WEBHOOK = (5, 2.0)  # per webhook, as Discord staff reported
CHANNEL = (30, 60.0)  # hidden per-channel webhook limit
BOT_GLOBAL = (50, 1.0)
CHANNEL_POST = (5, 5.0)


@dataclass
class _Window:
    started: float
    used: int = 0


@dataclass(frozen=True)
class Limited:
    """A 429: seconds to wait and which bucket said no."""

    retry_after: float
    scope: str
    headers: dict[str, str]


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = True
        self._clock = clock
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def hit(
        self, buckets: list[tuple[str, tuple[int, float]]]
    ) -> tuple[dict[str, str], Limited | None]:
        """Count one request against every bucket, or refuse it without counting."""
        if not self.enabled or not buckets:
            return {}, None
        now = self._clock()
        with self._lock:
            windows = [self._window(key, per, now) for key, (_, per) in buckets]
            for (key, (limit, per)), window in zip(buckets, windows, strict=True):
                if window.used >= limit:
                    retry = round(window.started + per - now, 3)
                    scope = "user" if window is windows[0] else "shared"
                    headers = _headers(key, limit, 0, retry)
                    headers.update(
                        {"Retry-After": str(math.ceil(retry)), "X-RateLimit-Scope": scope}
                    )
                    return headers, Limited(retry, scope, headers)
            for window in windows:
                window.used += 1
            (key, (limit, per)), first = buckets[0], windows[0]
            return _headers(key, limit, limit - first.used, first.started + per - now), None

    def _window(self, key: str, per: float, now: float) -> _Window:
        window = self._windows.get(key)
        if window is None or now >= window.started + per:
            window = self._windows[key] = _Window(now)
        return window


def _headers(key: str, limit: int, remaining: int, reset_after: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": hashlib.sha1(key.split(":")[0].encode()).hexdigest()[:32],
    }


def too_many(retry_after: float, scope: str = "user") -> dict:
    return {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": scope == "global",
    }
