"""SQLite specifics: URLs, the default file, corruption, unwritable places, two processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plextui.cache import open_cache, sqlite_path
from plextui.cache.sqlite import SqliteCache
from plextui.errors import CacheError


def test_sqlite_urls_name_files(tmp_path):
    assert sqlite_path("sqlite:///var/tmp/c.db") == Path("/var/tmp/c.db")
    assert sqlite_path("sqlite:////var/tmp/c.db") == Path("/var/tmp/c.db")
    assert sqlite_path("sqlite://~/c.db") == Path.home() / "c.db"
    assert sqlite_path("") == sqlite_path("sqlite://")


def test_the_default_file_lives_in_the_user_cache_dir(isolated_user_dirs):
    cache = open_cache("", "server1")
    cache.set("libraries", ["Movies"])
    assert cache.get("libraries") == ["Movies"]
    cache.close()
    files = list((isolated_user_dirs / "cache").rglob("*.sqlite3"))
    assert [f.parent.name for f in files] == ["plextui"]


def test_an_unknown_scheme_is_a_clear_error():
    with pytest.raises(CacheError, match=r"unknown cache URL scheme 'memcached'.*sqlite:///"):
        open_cache("memcached://x", "server1")


def test_a_namespace_that_could_break_key_prefixes_is_refused(tmp_path):
    with pytest.raises(CacheError, match="namespace"):
        open_cache(f"sqlite://{tmp_path}/c.db", "a:b*")


def test_the_database_uses_wal_so_processes_can_share_it(tmp_path):
    SqliteCache(tmp_path / "c.db", "s").close()
    # Header bytes 18 and 19 (file format versions) are 2 in WAL mode.
    assert (tmp_path / "c.db").read_bytes()[18:20] == b"\x02\x02"


def test_a_corrupt_file_is_moved_aside_and_replaced_once(tmp_path, clock):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database, just garbage " * 200)
    notices = []
    cache = open_cache(f"sqlite://{path}", "s", clock=clock, on_fault=notices.append)
    cache.set("item:1", "works")
    assert cache.get("item:1") == "works"
    assert len(notices) == 1
    assert "corrupt" in notices[0] and "starting empty" in notices[0]
    assert (tmp_path / "cache.sqlite3.corrupt").read_bytes().startswith(b"this is not")
    assert cache.fault is None
    cache.close()
    reopened = open_cache(f"sqlite://{path}", "s", clock=clock, on_fault=notices.append)
    assert reopened.get("item:1") == "works" and len(notices) == 1
    reopened.close()


def test_an_unwritable_place_runs_uncached_and_says_so_once(tmp_path, clock, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    notices = []
    cache = open_cache(
        f"sqlite://{blocker}/sub/cache.db", "s", clock=clock, on_fault=notices.append
    )
    cache.set("item:1", "lost")
    assert cache.get("item:1") is None
    assert cache.get_stale("item:1") == (None, False)
    assert cache.invalidate("item:") == 0
    assert cache.stats().available is False
    assert len(notices) == 1
    assert notices[0].startswith("cache unavailable (cannot open cache")
    assert notices[0].endswith("running uncached")
    assert [r.levelname for r in caplog.records if r.name == "plextui.cache"] == ["WARNING"]


def test_old_stale_entries_are_pruned_when_the_file_is_opened(tmp_path, clock):
    cache = SqliteCache(tmp_path / "c.db", "s", clock=clock, ttl=10, stale_for=100)
    cache.set("page:1", "old")
    cache.close()
    clock.advance(50)
    cache = SqliteCache(tmp_path / "c.db", "s", clock=clock, ttl=10, stale_for=100)
    assert cache.get_stale("page:1") == ("old", False)
    cache.close()
    clock.advance(100)
    cache = SqliteCache(tmp_path / "c.db", "s", clock=clock, ttl=10, stale_for=100)
    assert cache.stats().entries == 0
    cache.close()


PEER = textwrap.dedent(
    """
    import sys
    from plextui.cache.sqlite import SqliteCache
    cache = SqliteCache(sys.argv[1], "shared", poster_max_bytes=10_000)
    count = int(sys.argv[2])
    print("ready", flush=True)
    for n in range(count):
        cache.set(f"item:child:{n}", {"n": n})
        cache.set_bytes(f"poster:child:{n % 20}", bytes(100))
    print("written", flush=True)
    sys.stdin.readline()
    seen = sum(cache.get(f"item:parent:{n}") == n for n in range(count))
    print(f"saw {seen}", flush=True)
    cache.close()
    """
)


def test_two_processes_share_one_file(tmp_path):
    """Both write at once (no lost writes, no 'database is locked'), then each reads the other's."""
    path = tmp_path / "shared.sqlite3"
    count = 500
    child = subprocess.Popen(
        [sys.executable, "-c", PEER, str(path), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    cache = SqliteCache(path, "shared", poster_max_bytes=10_000)
    for n in range(count):
        cache.set(f"item:parent:{n}", n)
        cache.set_bytes(f"poster:parent:{n % 20}", bytes(100))
    assert child.stdout.readline().strip() == "written"
    assert all(cache.get(f"item:child:{n}") == {"n": n} for n in range(count))
    out, err = child.communicate("check\n", timeout=20)
    assert child.returncode == 0, err
    assert out.strip() == f"saw {count}"
    stats = cache.stats()
    assert stats.kinds["item"].entries == 2 * count
    assert stats.kinds["poster"].size_bytes <= 10_000
    cache.close()


PAGER = textwrap.dedent(
    """
    import ctypes, sys, _sqlite3
    from plextui.cache.sqlite import SqliteCache
    used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    used.restype = ctypes.c_int64
    cache = SqliteCache(sys.argv[1], "s")
    before = used()
    row = {"title": "A Film", "summary": "words " * 100}
    for page in range(300):  # ~60 kB a value, as a list page of 100 films is
        cache.set(f"page:1:{page}", [dict(row, n=n) for n in range(100)])
        assert cache.get(f"page:1:{page}")[99]["n"] == 99
    for page in range(300):
        assert cache.get(f"page:1:{page}")[0]["n"] == 0
    print(used() - before)
    cache.close()
    """
)


def test_paging_through_cached_pages_keeps_the_page_cache_small(tmp_path):
    """Pages of values written and read back must not leave SQLite's default 2 MiB of
    them in memory (a fresh process: SQLite's memory count is per process)."""
    done = subprocess.run(
        [sys.executable, "-c", PAGER, str(tmp_path / "c.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 1.25 * 2**20
