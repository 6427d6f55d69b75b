"""Clock-injected flow control: flood limits, coalescing, minimum intervals, backoff.

Every method takes `now` (seconds, any monotonic origin) instead of reading a clock, so
callers own time and tests need no sleeping. None of these schedule anything: callers
ask `next_due` and come back then.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class TokenBucket:
    """Allow bursts of `burst` actions, refilled at `rate` per second (per-user flood control)."""

    def __init__(self, rate: float, burst: int, now: float = 0.0) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._at = now

    def allow(self, now: float, cost: float = 1.0) -> bool:
        """Take `cost` tokens if there are enough; a refused call takes nothing."""
        self._refill(now)
        if self._tokens < cost:
            return False
        self._tokens -= cost
        return True

    def retry_after(self, now: float, cost: float = 1.0) -> float:
        """Seconds until `allow(cost)` would succeed."""
        self._refill(now)
        return max(0.0, (cost - self._tokens) / self.rate)

    @property
    def full(self) -> bool:
        return self._tokens >= self.burst

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._at)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._at = max(self._at, now)


class RateLimiter:
    """One TokenBucket per key (a Discord user id), forgetting keys whose bucket is full."""

    def __init__(self, rate: float, burst: int, max_keys: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict[Hashable, TokenBucket] = {}

    def allow(self, key: Hashable, now: float) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._prune(now)
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst, now)
        return bucket.allow(now)

    def retry_after(self, key: Hashable, now: float) -> float:
        bucket = self._buckets.get(key)
        return 0.0 if bucket is None else bucket.retry_after(now)

    def _prune(self, now: float) -> None:
        for key, bucket in list(self._buckets.items()):
            bucket.allow(now, cost=0)
            if bucket.full:
                del self._buckets[key]
        while len(self._buckets) >= self.max_keys:  # everyone is busy: drop the oldest
            del self._buckets[next(iter(self._buckets))]


def latest(_older: T, newer: T) -> T:
    return newer


class Coalescer(Generic[T]):
    """Merge values pushed within `window` seconds of the first pending one into one.

    `merge(older, newer)` decides how: the default keeps the latest (absolute seeks);
    `SeekTarget.then` / `VolumeChange.then` accumulate relative steps, so +10s five
    times becomes one +50s. The pending value is due `window` after the first push,
    which bounds the delay however fast values keep coming. (plex/players.py's
    CoalescedSend puts a timer and the waiting callers around one of these.)
    """

    def __init__(self, window: float, merge: Callable[[T, T], T] = latest) -> None:
        self.window = window
        self._merge = merge
        self._pending: T | None = None
        self._due: float | None = None

    def push(self, value: T, now: float) -> None:
        if self._due is None:
            self._pending, self._due = value, now + self.window
        else:
            self._pending = self._merge(self._pending, value)  # type: ignore[arg-type]

    @property
    def next_due(self) -> float | None:
        return self._due

    def pop_due(self, now: float) -> T | None:
        """The merged value once its window has passed, else None."""
        if self._due is None or now < self._due:
            return None
        return self.flush()

    def flush(self) -> T | None:
        """The pending value now, due or not (on shutdown or an unrelated command)."""
        value, self._pending, self._due = self._pending, None, None
        return value


class MinInterval(Generic[T]):
    """At most one update per `interval` seconds; in between, the latest one waits.

    For Discord presence (one update per 15 s) and webhook edits: `offer` says whether
    to send now; otherwise the state is kept and `pop_due` hands it over when allowed.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last_sent: float | None = None
        self._pending: T | None = None
        self._has_pending = False

    def offer(self, value: T, now: float) -> T | None:
        """`value` if it may be sent now (and it counts as sent), else None and it waits."""
        if self._last_sent is None or now - self._last_sent >= self.interval:
            self._last_sent, self._pending, self._has_pending = now, None, False
            return value
        self._pending, self._has_pending = value, True
        return None

    @property
    def next_due(self) -> float | None:
        if not self._has_pending or self._last_sent is None:
            return None
        return self._last_sent + self.interval

    def pop_due(self, now: float) -> T | None:
        due = self.next_due
        if due is None or now < due:
            return None
        value = self._pending
        self._last_sent, self._pending, self._has_pending = now, None, False
        return value


@dataclass
class Backoff:
    """Exponential delays for reconnects: `base * factor**attempt`, capped, with jitter.

    `jitter` is the fraction by which a delay may shrink (0.2 → 80-100 % of it), drawn
    from the injected `rng` so tests are deterministic; delays never exceed `cap`.
    """

    base: float = 0.5
    factor: float = 2.0
    cap: float = 30.0
    jitter: float = 0.2
    rng: Callable[[], float] = field(default=random.random, repr=False)
    attempt: int = 0

    def delay(self, attempt: int) -> float:
        raw = min(self.cap, self.base * self.factor ** min(attempt, 64))
        return raw * (1.0 - self.jitter * self.rng())

    def next(self) -> float:
        """The delay before the next try, and count it."""
        value = self.delay(self.attempt)
        self.attempt += 1
        return value

    def reset(self) -> None:
        """After a success: start from `base` again."""
        self.attempt = 0
