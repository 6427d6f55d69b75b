"""Cache between plextui and Plex: SQLite (default, embedded) or Redis (shared).

``open_cache(settings.cache.url, server.machineIdentifier, ...)`` is the one way in; it
returns a SafeCache, so callers never see a backend failure, only misses (and one
``on_fault`` message per outage). Keys and values are metadata only, never tokens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from plextui.cache.base import DEFAULT_TTL, Cache, CacheStats, KindStats, check_namespace
from plextui.cache.safe import SafeCache
from plextui.config.paths import sqlite_cache_path
from plextui.errors import CacheError

__all__ = [
    "DEFAULT_TTL",
    "Cache",
    "CacheStats",
    "KindStats",
    "SafeCache",
    "open_cache",
    "sqlite_path",
]


def open_cache(
    url: str,
    namespace: str,
    ttl: float = DEFAULT_TTL,
    poster_max_bytes: int = 64 * 1024 * 1024,
    clock: Callable[[], float] = time.time,
    on_fault: Callable[[str], None] | None = None,
) -> SafeCache:
    """The cache ``url`` names, for one server; an unknown scheme raises CacheError.

    ``""`` or ``sqlite://`` → the default file under the user cache dir;
    ``sqlite:///abs/path.db`` (``sqlite://~/x.db`` expands ``~``); ``redis://host:port/db``
    (also ``rediss://``, ``unix://``). A backend that fails later runs uncached.
    """
    check_namespace(namespace)
    scheme = url.partition("://")[0] if "://" in url else url
    if scheme in ("", "sqlite"):
        path = sqlite_path(url)

        def factory() -> Cache:
            from plextui.cache.sqlite import SqliteCache

            return SqliteCache(
                path,
                namespace,
                ttl=ttl,
                poster_max_bytes=poster_max_bytes,
                clock=clock,
                notice=on_fault,
            )

    elif scheme in ("redis", "rediss", "unix"):

        def factory() -> Cache:
            from plextui.cache.redis import RedisCache

            return RedisCache(
                url, namespace, ttl=ttl, poster_max_bytes=poster_max_bytes, clock=clock
            )

    else:
        raise CacheError(
            f"unknown cache URL scheme {urlsplit(url).scheme!r}: use sqlite:///path/to/cache.db or redis://host:port/db"
        )
    return SafeCache(factory, on_fault, clock=clock)


def sqlite_path(url: str) -> Path:
    """The file a ``sqlite://`` URL (or ``""``) names."""
    rest = url.removeprefix("sqlite://")
    if rest in ("", "/"):
        return sqlite_cache_path()
    if rest.startswith("/~"):
        rest = rest[1:]
    if rest.startswith("~"):
        return Path(rest).expanduser()
    return Path("/" + rest.lstrip("/"))
