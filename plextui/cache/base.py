"""The Cache protocol, its stats, and the bits both backends share.

Callers are worker threads (plexapi is synchronous), so the API is synchronous too.
Keys look like ``kind:rest`` (``page:3:titleSort:0``, ``item:1234``, ``search:alien``,
``poster:1234``, ``libraries``, ``players``); the kind groups the stats. Values are
JSON-able metadata only: callers never pass tokens or other secrets in keys or values,
because the cache is a plain file (or a shared Redis) that other users may read.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from plextui.errors import CacheError

DEFAULT_TTL = 3600.0
RECENT = 100  # reads behind the recent hit ratio
STALE_FOR = 30 * 86400.0
"""How long an expired entry is kept for ``get_stale`` (offline browsing)."""

_NAMESPACE = re.compile(r"[A-Za-z0-9._-]+")
_ODD = re.compile(r"[\\\ud800-\udfff]")  # a backslash or a lone surrogate


@dataclass(frozen=True)
class KindStats:
    hits: int = 0
    misses: int = 0
    entries: int = 0
    size_bytes: int = 0

    @property
    def hit_ratio(self) -> float:
        return _ratio(self.hits, self.misses)


@dataclass(frozen=True)
class CacheStats:
    """Hits and misses are this process's; entries and size are what the store holds."""

    backend: str
    available: bool = True
    kinds: dict[str, KindStats] = field(default_factory=dict)
    recent_hit_ratio: float | None = None  # over the last RECENT reads: is it earning now?

    @property
    def hits(self) -> int:
        return sum(k.hits for k in self.kinds.values())

    @property
    def misses(self) -> int:
        return sum(k.misses for k in self.kinds.values())

    @property
    def entries(self) -> int:
        return sum(k.entries for k in self.kinds.values())

    @property
    def size_bytes(self) -> int:
        return sum(k.size_bytes for k in self.kinds.values())

    @property
    def hit_ratio(self) -> float:
        return _ratio(self.hits, self.misses)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``plextui ctl stats --json``."""

        def row(s: KindStats | CacheStats) -> dict[str, Any]:
            return {
                "hits": s.hits,
                "misses": s.misses,
                "hit_ratio": round(s.hit_ratio, 4),
                "entries": s.entries,
                "size_bytes": s.size_bytes,
            }

        return {
            "backend": self.backend,
            "available": self.available,
            **row(self),
            "recent_hit_ratio": None
            if self.recent_hit_ratio is None
            else round(self.recent_hit_ratio, 4),
            "kinds": {name: row(k) for name, k in sorted(self.kinds.items())},
        }


@runtime_checkable
class Cache(Protocol):
    """What the services use; see the module docstring for the key conventions."""

    def get(self, key: str) -> Any | None:
        """The fresh value, or None when missing or expired."""

    def get_stale(self, key: str) -> tuple[Any | None, bool]:
        """``(value, fresh)``: an expired value is still returned, with ``fresh=False``."""

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        """Store a JSON-able value for ``ttl`` seconds (the cache's default when None)."""

    def get_bytes(self, key: str) -> bytes | None:
        """A fresh blob (posters); reading it marks it recently used."""

    def set_bytes(self, key: str, data: bytes, ttl: float | None = None) -> None:
        """Store a blob; least recently used blobs go once their total passes the cap."""

    def invalidate(self, prefix: str) -> int:
        """Drop every entry whose key starts with ``prefix``; returns how many."""

    def clear(self) -> None:
        """Drop everything in this namespace."""

    def stats(self) -> CacheStats: ...

    def close(self) -> None: ...


def kind_of(key: str) -> str:
    return key.split(":", 1)[0]


def stored_key(key: str) -> str:
    """The key as stored. Keys hold what users type (search queries), so any string must
    do, lone surrogates included, which neither SQLite nor Redis can store as text:
    those (and the backslash, so no two keys meet) are escaped one character at a time,
    which keeps a prefix of a key a prefix of its stored form (`invalidate`).

    Misuse raises TypeError, which SafeCache lets through: a bug, not a cache fault."""
    if not isinstance(key, str) or not key:
        raise TypeError(f"cache key must be a non-empty string, not {key!r}")
    return _ODD.sub(_escape, key)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\\\\" if char == "\\" else f"\\u{ord(char):04x}"


def is_namespace(text: object) -> bool:
    """Server machine identifiers are hex; anything else could break key prefixes."""
    return isinstance(text, str) and len(text) <= 200 and bool(_NAMESPACE.fullmatch(text))


def check_namespace(namespace: str) -> str:
    if not is_namespace(namespace):
        raise CacheError(
            f"cache namespace must be letters, digits, '.', '_' or '-', not {namespace!r}"
        )
    return namespace


def encode(value: Any) -> bytes:
    """JSON bytes; lone surrogates pass through (json.loads reads bytes back the same way)."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8", "surrogatepass")
    except (TypeError, ValueError) as error:
        raise TypeError(f"cannot cache a value that is not JSON: {error}") from error


def decode(data: bytes) -> Any:
    return json.loads(data)


class Reads:
    """The three read calls of the protocol, each one `_read` of the backend."""

    def get(self, key: str) -> Any | None:
        return self._read(key, blob=False, stale=False)[0]

    def get_stale(self, key: str) -> tuple[Any | None, bool]:
        return self._read(key, blob=False, stale=True)

    def get_bytes(self, key: str) -> bytes | None:
        return self._read(key, blob=True, stale=False)[0]


class Counters:
    """Per-process, thread-safe hit and miss tallies by kind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: Counter[str] = Counter()
        self._misses: Counter[str] = Counter()
        self._recent: deque[bool] = deque(maxlen=RECENT)

    def record(self, key: str, hit: bool) -> None:
        with self._lock:
            (self._hits if hit else self._misses)[kind_of(key)] += 1
            self._recent.append(hit)

    def stats(self, backend: str, stored: dict[str, tuple[int, int]]) -> CacheStats:
        """Merge tallies with ``stored`` ({kind: (entries, size_bytes)}) from the backend."""
        with self._lock:
            names = set(self._hits) | set(self._misses) | set(stored)
            kinds = {
                name: KindStats(self._hits[name], self._misses[name], *stored.get(name, (0, 0)))
                for name in names
            }
            recent = sum(self._recent) / len(self._recent) if self._recent else None
        return CacheStats(backend=backend, kinds=kinds, recent_hit_ratio=recent)


def _ratio(hits: int, misses: int) -> float:
    total = hits + misses
    return hits / total if total else 0.0
