"""Redis backend, for a relay and several TUIs sharing one server's cache.

Entries live at ``plextui:<namespace>:<key>``. Each value carries its own expiry time
(taken from the cache's clock) in a 9-byte header, and Redis expires the key only
after ``ttl + stale_for``: one key serves both ``get`` (fresh) and ``get_stale``
(offline browsing), and tests can move the clock. Blobs are tracked for the LRU cap in
``plextui:<namespace>|lru`` (a sorted set by last use) and ``|sizes`` (a hash); those
names cannot clash with entries because entry keys always follow ``<namespace>:``.

Hits and misses are counted per process, like the SQLite backend, so the Stats screen
shows this client's own hit ratio (a relay on the same Redis would otherwise blur it)
and a ``get`` stays one round-trip; entries and sizes come from a SCAN, never KEYS.
"""

from __future__ import annotations

import struct
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from plextui.cache.base import (
    DEFAULT_TTL,
    STALE_FOR,
    CacheStats,
    Counters,
    Reads,
    check_namespace,
    decode,
    encode,
    kind_of,
    stored_key,
)
from plextui.errors import CacheError

_HEADER = struct.Struct("!dB")  # expires_at, is_blob
_SCAN_COUNT = 500

# Store a blob, then drop the least recently used ones until the total fits the cap;
# one script so two processes evicting at once cannot miscount.
_SET_BLOB = """
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[3], KEYS[1], string.len(ARGV[1]) - tonumber(ARGV[5]))
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
local total = 0
for _, size in ipairs(redis.call('HVALS', KEYS[3])) do total = total + tonumber(size) end
while total > tonumber(ARGV[4]) do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then break end
  total = total - tonumber(redis.call('HGET', KEYS[3], oldest[1]) or '0')
  redis.call('HDEL', KEYS[3], oldest[1])
  redis.call('UNLINK', oldest[1])
end
"""


class RedisCache(Reads):
    def __init__(
        self,
        url: str,
        namespace: str,
        *,
        ttl: float = DEFAULT_TTL,
        poster_max_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.time,
        stale_for: float = STALE_FOR,
    ) -> None:
        self.namespace = check_namespace(namespace)
        self.ttl = ttl
        self.poster_max_bytes = poster_max_bytes
        self.clock = clock
        self.stale_for = stale_for
        self._prefix = f"plextui:{namespace}:"
        self._lru = f"plextui:{namespace}|lru"
        self._sizes = f"plextui:{namespace}|sizes"
        self._counters = Counters()
        try:
            # Short timeouts and a single retry: a dead Redis must cost milliseconds
            # (SafeCache then runs uncached), and the retry reconnects a pooled
            # connection that went stale when Redis restarted.
            self._redis = redis.Redis.from_url(
                url,
                socket_connect_timeout=1.0,
                socket_timeout=2.0,
                retry=Retry(NoBackoff(), 1),
                health_check_interval=30,
            )
        except ValueError as error:
            raise CacheError(f"invalid Redis cache URL ({error})") from error
        self._set_blob = self._redis.register_script(_SET_BLOB)

    # reads

    def _read(self, key: str, *, blob: bool, stale: bool) -> tuple[Any | None, bool]:
        name = self._prefix + stored_key(key)
        now = self.clock()
        if blob:
            with self._redis.pipeline(transaction=False) as pipe:
                raw, _ = pipe.get(name).zadd(self._lru, {name: now}, xx=True).execute()
        else:
            raw = self._redis.get(name)
        found = raw is not None and len(raw) >= _HEADER.size
        expires, is_blob = _HEADER.unpack_from(raw) if found else (0.0, 0)
        found = found and bool(is_blob) == blob
        fresh = found and expires > now
        self._counters.record(key, fresh)
        if not found or not (fresh or stale):
            return None, False
        payload = raw[_HEADER.size :]
        return (payload if blob else decode(payload)), fresh

    # writes

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        name = self._prefix + stored_key(key)
        payload, keep_ms = self._pack(encode(value), blob=False, ttl=ttl)
        self._redis.set(name, payload, px=keep_ms)

    def set_bytes(self, key: str, data: bytes, ttl: float | None = None) -> None:
        name = self._prefix + stored_key(key)
        if len(data) > self.poster_max_bytes:
            return
        payload, keep_ms = self._pack(bytes(data), blob=True, ttl=ttl)
        self._set_blob(
            keys=[name, self._lru, self._sizes],
            args=[payload, keep_ms, self.clock(), self.poster_max_bytes, _HEADER.size],
        )

    def _pack(self, data: bytes, *, blob: bool, ttl: float | None) -> tuple[bytes, int]:
        ttl = self.ttl if ttl is None else ttl
        header = _HEADER.pack(self.clock() + ttl, int(blob))
        return header + data, max(1, int((ttl + self.stale_for) * 1000))

    def invalidate(self, prefix: str) -> int:
        removed = 0
        stored = stored_key(prefix) if prefix else prefix
        for batch in self._scan(self._prefix + _glob_escape(stored) + "*"):
            with self._redis.pipeline(transaction=False) as pipe:
                pipe.unlink(*batch).zrem(self._lru, *batch).hdel(self._sizes, *batch)
                removed += pipe.execute()[0]
        return removed

    def clear(self) -> None:
        self.invalidate("")
        self._redis.unlink(self._lru, self._sizes)

    def stats(self) -> CacheStats:
        stored: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        cut = len(self._prefix)
        for batch in self._scan(self._prefix + "*"):
            with self._redis.pipeline(transaction=False) as pipe:
                for name in batch:
                    pipe.strlen(name)
                sizes = pipe.execute()
            for name, size in zip(batch, sizes, strict=True):
                if size:  # expired between SCAN and STRLEN
                    row = stored[kind_of(name[cut:].decode())]
                    row[0] += 1
                    row[1] += size - _HEADER.size
        return self._counters.stats("redis", {k: (n, s) for k, (n, s) in stored.items()})

    def _scan(self, pattern: str) -> Iterator[list[bytes]]:
        cursor = 0
        while True:
            cursor, names = self._redis.scan(cursor, match=pattern, count=_SCAN_COUNT)
            if names:
                yield names
            if cursor == 0:
                return

    def close(self) -> None:
        self._redis.close()


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
