"""How PlexService reads: a fresh cache entry, else one request for everyone asking the
same at once, else a stale entry while the server is away; and what start-up read ahead,
handed once to the first screen's same read.

A mixin, as plex/browse.py and plex/activity.py are: it uses the service's pool (`run`),
its cache, and the state `PlexService.__init__` sets up (`_ahead`, `_flights`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from plextui.core.serial import from_plain, to_plain
from plextui.errors import PlextuiError, UnreachableError

T = TypeVar("T")
AHEAD_FOR = 5.0  # s: a read ahead is handed to the first reader within this, else dropped


class CachedReads:
    """Mixed into PlexService."""

    async def _ask(
        self, key: str, kind: Any, fetch: Callable[[], T], ttl: float | None = None
    ) -> T:
        """`_cached` in the pool; but a value read ahead is handed here, on the loop. A
        turn of the pool let the first screen paint once without its rows (30 ms) before
        the libraries, then the page, came back."""
        found, value = self._take_ahead(key)
        if found:
            return value
        keep = self._ahead_thread == threading.get_ident()  # a read of `read_ahead`'s own
        return await self.run(self._cached, key, kind, fetch, ttl, keep)

    def _take_ahead(self, key: str) -> tuple[bool, Any]:
        """What a read ahead (`read_ahead`) gave for this key: handed once, to the first
        that asks within AHEAD_FOR seconds."""
        kept = self._ahead.pop(key, None)
        if kept is not None and time.monotonic() - kept[0] < AHEAD_FOR:
            return True, kept[1]
        return False, None

    def _cached(
        self, key: str, kind: Any, fetch: Callable[[], T], ttl: float | None, keep: bool
    ) -> T:
        """What `_read` gives, or what a read ahead just gave for this key (it may have
        finished while this call waited for the pool); kept for the front end when the
        read ahead asked (`keep`), and only then: its own reads meanwhile are not."""
        found, value = self._take_ahead(key)
        if found:
            return value
        value = self._read(key, kind, fetch, ttl)
        if keep:
            self._ahead[key] = (time.monotonic(), value)
        return value

    async def read_ahead(self, *reads: Callable[[], Awaitable[Any]]) -> None:
        """Run `reads` (the first screen's, from the cache) before the front end asks, and
        keep what they give for it: read while it still imports, the answer is in memory
        when it asks, not behind SQLite and a busy thread's turns."""
        self._ahead_thread = threading.get_ident()
        try:
            for read in reads:
                await read()
        finally:
            self._ahead_thread = None

    def _read(self, key: str, kind: Any, fetch: Callable[[], T], ttl: float | None = None) -> T:
        """Fresh cache entry, else the server; a stale entry when the server is unreachable.
        The same read asked again while it is under way (the warm-up's and the first
        screen's, two widgets') waits for that one instead of asking the server twice."""
        if self.cache is not None:
            value = self.cache.get(key)
            if value is not None:
                try:
                    return from_plain(kind, value)
                except (TypeError, ValueError):
                    pass
        with self._flights_lock:
            flight = self._flights.get(key)
            leading = flight is None
            if leading:
                flight = self._flights[key] = Future()
        if not leading:
            return flight.result()
        try:
            result = self._fetched(key, kind, fetch, ttl)
        except BaseException as error:
            flight.set_exception(error)
            raise
        else:
            flight.set_result(result)
            return result
        finally:
            with self._flights_lock:
                del self._flights[key]

    def _fetched(self, key: str, kind: Any, fetch: Callable[[], T], ttl: float | None) -> T:
        try:
            result = fetch()
        except Exception as error:  # noqa: BLE001 - decide on the translated error
            failure = translated(error, self.url, self.timeout)
            if isinstance(failure, UnreachableError) and self.cache is not None:
                stale, _fresh = self.cache.get_stale(key)
                if stale is not None:
                    self.offline = True
                    return from_plain(kind, stale)
            raise failure from None
        self.offline = False
        if self.cache is not None:
            self.cache.set(key, to_plain(result), ttl)
        return result

    async def forget(self, *prefixes: str) -> None:
        """Drop cached answers our own write made wrong, before the caller reads again.
        Off the event loop: with Redis this is a network SCAN."""
        await self.run(self.invalidate, *prefixes)
        for listener in self.written:  # on the loop: a front end redraws what it shows
            listener(prefixes)

    def invalidate(self, *prefixes: str) -> None:
        """Drop cached answers (blocking: call from a worker thread)."""
        for key in [k for k in list(self._ahead) if k.startswith(prefixes)]:  # others add
            self._ahead.pop(key, None)
        if self.cache is not None:
            for prefix in prefixes:
                self.cache.invalidate(prefix)

    def library_updated(self, section_key: str) -> None:
        """From the bus (on the loop): the drop runs in the pool, not in the caller."""
        self._pool.submit(
            self.invalidate,
            f"page:{section_key}:",
            f"letters:{section_key}:",
            "libraries",
            "search:",
            "deck",
            "recent",
        )


def translated(error: BaseException, url: str, timeout: float) -> Exception:
    """What a failed request means to a user: plextui's errors (plex/direct.py's reads)
    as they are, the rest by plex/transport.py's mapping, loaded with plexapi."""
    if isinstance(error, PlextuiError):
        return error
    from plextui.plex.transport import translate

    return translate(error, url, timeout)
