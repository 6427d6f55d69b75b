"""SQLite backend: the default, one file under the user cache dir.

WAL mode and a busy timeout let a TUI and a relay share the file (each process has its
own connection); within a process one connection is shared under a lock, which is
plenty for a cache whose statements take microseconds.

A file that is not a database (or whose schema cannot be read) is moved aside to
``<file>.corrupt`` and a fresh one created, and ``notice`` says so once. The cache is
derived data, so starting empty costs one slow start-up while running uncached would
cost every start-up until someone deletes the file by hand; keeping the bad file (only
the latest, so repeated faults cannot fill the disk) leaves it for a bug report.
Damage deeper in the file shows up only when a read reaches it; SafeCache then runs
uncached and its retry reopens the file (checking only the header, to keep start-up
instant rather than paying for a full integrity check every time).

The connection's page cache is 1 MiB, not SQLite's 2 MiB: values are whole pages of a
list (~80 kB of JSON, twenty 4 kB pages each), so paging through a section filled the
cache with pages of values the list had already dropped, 2 MB of the TUI's memory.
Lookups keep their speed (1 000 cached list pages read one after another: 75 µs each
with 1 or 2 MiB, 200 µs with 512 kB, when the table's leaves no longer fit); values
come from the OS's file cache either way.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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

log = logging.getLogger("plextui.cache")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    ns TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    blob INTEGER NOT NULL,
    value BLOB NOT NULL,
    expires_at REAL NOT NULL,
    keep_until REAL NOT NULL,
    used_at REAL NOT NULL,
    PRIMARY KEY (ns, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_lru ON entries (ns, blob, used_at);
"""
_CORRUPT = ("not a database", "malformed", "file is encrypted")
_PRUNE_EVERY = 500
_PAGE_CACHE_KIB = 1024


class SqliteCache(Reads):
    def __init__(
        self,
        path: str | Path,
        namespace: str,
        *,
        ttl: float = DEFAULT_TTL,
        poster_max_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.time,
        stale_for: float = STALE_FOR,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.namespace = check_namespace(namespace)
        self.ttl = ttl
        self.poster_max_bytes = poster_max_bytes
        self.clock = clock
        self.stale_for = stale_for
        self._lock = threading.Lock()
        self._counters = Counters()
        self._writes = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._open(notice)
        except (OSError, sqlite3.Error) as error:
            raise CacheError(f"cannot open cache {self.path}: {error}") from error

    def _open(self, notice: Callable[[str], None] | None) -> sqlite3.Connection:
        db = _connect(self.path)
        try:
            _prepare(db)
        except sqlite3.DatabaseError as error:
            db.close()
            if not any(sign in str(error) for sign in _CORRUPT):
                raise
            aside = self.path.with_name(self.path.name + ".corrupt")
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            message = f"cache file was corrupt ({error}): moved to {aside}, starting empty"
            log.warning(message)
            if notice:
                notice(message)
            db = _connect(self.path)
            _prepare(db)
        db.execute("DELETE FROM entries WHERE keep_until < ?", (self.clock(),))
        return db

    # reads

    def _read(self, key: str, *, blob: bool, stale: bool) -> tuple[Any | None, bool]:
        stored = stored_key(key)
        now = self.clock()
        with self._lock:
            row = self._db.execute(
                "SELECT value, expires_at FROM entries WHERE ns = ? AND key = ? AND blob = ?",
                (self.namespace, stored, int(blob)),
            ).fetchone()
            fresh = row is not None and row[1] > now
            if fresh and blob:
                self._db.execute(
                    "UPDATE entries SET used_at = ? WHERE ns = ? AND key = ?",
                    (now, self.namespace, stored),
                )
        self._counters.record(key, fresh)
        if row is None or not (fresh or stale):
            return None, False
        return (bytes(row[0]) if blob else decode(row[0])), fresh

    # writes

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        self._write(key, encode(value), blob=False, ttl=ttl)

    def set_bytes(self, key: str, data: bytes, ttl: float | None = None) -> None:
        if len(data) > self.poster_max_bytes:
            log.debug("not caching %r: %d bytes is over the cap", key, len(data))
            return
        self._write(key, bytes(data), blob=True, ttl=ttl)

    def _write(self, key: str, data: bytes, *, blob: bool, ttl: float | None) -> None:
        key = stored_key(key)
        now = self.clock()
        expires = now + (self.ttl if ttl is None else ttl)
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.namespace,
                    key,
                    kind_of(key),
                    int(blob),
                    data,
                    expires,
                    expires + self.stale_for,
                    now,
                ),
            )
            if blob:
                self._evict()
            self._writes += 1
            if self._writes % _PRUNE_EVERY == 0:
                self._db.execute("DELETE FROM entries WHERE keep_until < ?", (now,))

    def _evict(self) -> None:
        """Drop the least recently used blobs until their total fits the cap."""
        rows = self._db.execute(
            "SELECT key, length(value) FROM entries WHERE ns = ? AND blob = 1 ORDER BY used_at DESC",
            (self.namespace,),
        ).fetchall()
        total, doomed = 0, []
        for key, size in rows:
            total += size
            if total > self.poster_max_bytes:
                doomed.append((self.namespace, key))
        self._db.executemany("DELETE FROM entries WHERE ns = ? AND key = ?", doomed)

    def invalidate(self, prefix: str) -> int:
        prefix = stored_key(prefix) if prefix else prefix
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM entries WHERE ns = ? AND substr(key, 1, ?) = ?",
                (self.namespace, len(prefix), prefix),
            )
        return cursor.rowcount

    def clear(self) -> None:
        self.invalidate("")

    def stats(self) -> CacheStats:
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, count(*), coalesce(sum(length(value)), 0) FROM entries"
                " WHERE ns = ? GROUP BY kind",
                (self.namespace,),
            ).fetchall()
        return self._counters.stats("sqlite", {kind: (n, size) for kind, n, size in rows})

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit (isolation_level=None): single statements commit on their own and the
    # multi-statement writes open their own BEGIN IMMEDIATE.
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA busy_timeout = 5000")
    return db


def _prepare(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = -{_PAGE_CACHE_KIB}")  # KiB; reads the schema, so here
    db.executescript(_SCHEMA)
    db.execute("SELECT 1 FROM entries LIMIT 1").fetchall()
