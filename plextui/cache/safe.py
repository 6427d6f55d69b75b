"""SafeCache: a broken cache degrades to no cache, never to a broken app.

The first failure of an outage (bad file, full disk, permission denied, Redis down) is
logged once and reported once through ``on_fault`` with a message fit for a
notification; from then on reads are misses and writes are no-ops. Every
``retry_after`` seconds one call probes the backend again, so a Redis that comes back
(or space that frees up) is picked up without a restart; the first success ends the
outage, and a later outage is reported again.

``inner`` may be a function that opens the cache: then a failure to open is a fault
like any other, and each retry reopens, which gets a fresh file after corruption and a
fresh connection after a restart.

Misuse (a key that is not a string, a value that is not JSON) raises TypeError as
usual: that is a bug to fix, not a reason to switch the cache off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from plextui.cache.base import Cache, CacheStats

log = logging.getLogger("plextui.cache")

RETRY_AFTER = 30.0


class SafeCache:
    def __init__(
        self,
        inner: Cache | Callable[[], Cache],
        on_fault: Callable[[str], None] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        retry_after: float = RETRY_AFTER,
    ) -> None:
        self._open = None if isinstance(inner, Cache) else inner
        self._inner: Cache | None = inner if isinstance(inner, Cache) else None
        self._on_fault = on_fault
        self._clock = clock
        self._retry_after = retry_after
        self._lock = threading.Lock()
        self._fault: str | None = None
        self._retry_at = 0.0
        if self._inner is None:
            self._connect()

    @property
    def fault(self) -> str | None:
        """The current outage's message, or None while the cache works."""
        return self._fault

    def get(self, key: str) -> Any | None:
        return self._call("get", None, key)

    def get_stale(self, key: str) -> tuple[Any | None, bool]:
        return self._call("get_stale", (None, False), key)

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        self._call("set", None, key, value, ttl)

    def get_bytes(self, key: str) -> bytes | None:
        return self._call("get_bytes", None, key)

    def set_bytes(self, key: str, data: bytes, ttl: float | None = None) -> None:
        self._call("set_bytes", None, key, data, ttl)

    def invalidate(self, prefix: str) -> int:
        return self._call("invalidate", 0, prefix)

    def clear(self) -> None:
        self._call("clear", None)

    def stats(self) -> CacheStats:
        return self._call("stats", CacheStats(backend="none", available=False))

    def close(self) -> None:
        inner, self._inner = self._inner, None
        if inner is not None:
            try:
                inner.close()
            except Exception:  # closing a broken backend must not fail shutdown
                log.debug("error closing cache", exc_info=True)

    def _call(self, op: str, default: Any, *args: Any) -> Any:
        inner = self._ready()
        if inner is None:
            return default
        try:
            result = getattr(inner, op)(*args)
        except TypeError:
            raise
        except Exception as error:
            self._failed(error)
            return default
        if self._fault is not None:
            self._recovered()
        return result

    def _ready(self) -> Cache | None:
        """The backend to call now, or None while an outage waits for its next probe."""
        with self._lock:
            if self._fault is None:
                return self._inner
            now = self._clock()
            if now < self._retry_at:
                return None
            self._retry_at = now + self._retry_after  # this caller probes, others wait
        if self._inner is None:
            self._connect()
        return self._inner

    def _connect(self) -> None:
        assert self._open is not None
        try:
            self._inner = self._open()
        except Exception as error:
            self._failed(error)

    def _failed(self, error: Exception) -> None:
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        with self._lock:
            self._retry_at = self._clock() + self._retry_after
            first = self._fault is None
            if first:
                self._fault = f"cache unavailable ({reason}): running uncached"
        if self._open is not None and self._inner is not None:
            self.close()  # the retry reopens
        if first:
            # one line: with no logging set up (ctl) this reaches stderr as it is
            log.warning("%s", self._fault)
            log.debug("cache fault", exc_info=error)
            if self._on_fault is not None:
                self._on_fault(self._fault)

    def _recovered(self) -> None:
        with self._lock:
            self._fault = None
        log.info("cache available again")
