"""The Cache contract, run against both backends (SQLite file and a real redis-server)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from plextui.cache import Cache


def test_backends_satisfy_the_protocol(cache):
    assert isinstance(cache, Cache)


def test_set_then_get_round_trips_json_values(cache):
    values = {
        "page:1:titleSort:0": [{"ratingKey": "1", "title": "Alien"}],
        "item:1": {"title": "Amélie", "year": 2001, "rating": 8.3, "watched": False},
        "libraries": ["Movies", "TV Shows"],
        "search:ünïcode ✓": "ok",
    }
    for key, value in values.items():
        cache.set(key, value)
    assert {key: cache.get(key) for key in values} == values
    assert cache.get("item:missing") is None


def test_set_replaces_an_earlier_value(cache):
    cache.set("item:1", {"title": "old"})
    cache.set("item:1", {"title": "new"})
    assert cache.get("item:1") == {"title": "new"}
    assert cache.stats().entries == 1


def test_entries_expire_after_the_default_ttl(make_cache, clock):
    cache = make_cache(ttl=60)
    cache.set("item:1", "x")
    clock.advance(59)
    assert cache.get("item:1") == "x"
    clock.advance(2)
    assert cache.get("item:1") is None


def test_a_per_call_ttl_overrides_the_default(cache, clock):
    cache.set("search:alien", ["Alien"], ttl=30)
    cache.set("item:1", "kept")
    clock.advance(31)
    assert cache.get("search:alien") is None
    assert cache.get("item:1") == "kept"


def test_get_stale_serves_expired_values_marked_not_fresh(make_cache, clock):
    cache = make_cache(ttl=10)
    cache.set("page:1", ["a"])
    assert cache.get_stale("page:1") == (["a"], True)
    clock.advance(3600)
    assert cache.get("page:1") is None
    assert cache.get_stale("page:1") == (["a"], False)
    assert cache.get_stale("page:2") == (None, False)


def test_invalidate_drops_exactly_the_keys_with_the_prefix(cache):
    for key in ["page:1:a", "page:1:b", "page:10:a", "item:1", "search:a*b", "search:a?c"]:
        cache.set(key, key)
    assert cache.invalidate("page:1:") == 2
    assert cache.get("page:1:a") is None and cache.get("page:1:b") is None
    assert cache.get("page:10:a") == "page:10:a"
    assert cache.invalidate("search:a*") == 1  # glob characters are literal
    assert cache.get("search:a?c") == "search:a?c"
    assert cache.invalidate("nothing:") == 0
    assert cache.get("item:1") == "item:1"


def test_invalidate_also_drops_stale_copies(make_cache, clock):
    cache = make_cache(ttl=1)
    cache.set("page:1", "x")
    clock.advance(5)
    assert cache.invalidate("page:") == 1
    assert cache.get_stale("page:1") == (None, False)


def test_namespaces_never_mix(make_cache):
    one, two = make_cache("server-one"), make_cache("server-two")
    one.set("item:1", "from one")
    two.set("item:1", "from two")
    one.set_bytes("poster:1", b"one")
    assert one.get("item:1") == "from one" and two.get("item:1") == "from two"
    assert two.get_bytes("poster:1") is None
    one.clear()
    assert one.get("item:1") is None and one.stats().entries == 0
    assert two.get("item:1") == "from two"


def test_bytes_round_trip_and_do_not_mix_with_json_values(cache):
    cache.set_bytes("poster:1", b"\x89PNG\x00\xff")
    cache.set("item:1", "json")
    assert cache.get_bytes("poster:1") == b"\x89PNG\x00\xff"
    assert cache.get("poster:1") is None
    assert cache.get_bytes("item:1") is None


def test_posters_are_evicted_least_recently_used_first(make_cache, clock):
    cache = make_cache(poster_max_bytes=1000)
    for n in range(4):
        cache.set_bytes(f"poster:{n}", bytes([n]) * 300)
        clock.advance(1)
    # 4 x 300 > 1000: the first written went already.
    assert cache.get_bytes("poster:0") is None
    assert cache.get_bytes("poster:1") == b"\x01" * 300  # now the most recently used
    clock.advance(1)
    cache.set_bytes("poster:4", b"\x04" * 300)
    assert cache.get_bytes("poster:2") is None
    assert [cache.get_bytes(f"poster:{n}") is not None for n in (1, 3, 4)] == [True] * 3
    assert cache.stats().kinds["poster"].size_bytes == 900


def test_a_blob_larger_than_the_cap_is_not_stored_and_evicts_nothing(make_cache):
    cache = make_cache(poster_max_bytes=100)
    cache.set_bytes("poster:1", b"x" * 50)
    cache.set_bytes("poster:2", b"y" * 101)
    assert cache.get_bytes("poster:2") is None
    assert cache.get_bytes("poster:1") == b"x" * 50


def test_posters_expire_too(make_cache, clock):
    cache = make_cache(ttl=100)
    cache.set_bytes("poster:1", b"x")
    clock.advance(101)
    assert cache.get_bytes("poster:1") is None


def test_stats_count_hits_misses_entries_and_size_per_kind(cache):
    cache.set("page:1", [1, 2, 3])  # 7 bytes of JSON
    cache.set("libraries", ["Movies"])  # 10 bytes
    cache.set_bytes("poster:1", b"12345")
    for key in ["page:1", "page:1", "page:1", "page:2", "libraries"]:
        cache.get(key)
    cache.get_bytes("poster:1")
    cache.get_bytes("poster:9")
    stats = cache.stats()
    assert stats.available
    page, libraries, poster = (stats.kinds[k] for k in ("page", "libraries", "poster"))
    assert (page.hits, page.misses, page.entries, page.size_bytes) == (3, 1, 1, 7)
    assert page.hit_ratio == 0.75
    assert (libraries.hits, libraries.misses, libraries.entries) == (1, 0, 1)
    assert (poster.hits, poster.misses, poster.size_bytes) == (1, 1, 5)
    assert (stats.hits, stats.misses, stats.entries, stats.size_bytes) == (5, 2, 3, 22)
    assert stats.hit_ratio == pytest.approx(5 / 7)
    report = stats.to_dict()
    assert report["kinds"]["page"] == {
        "hits": 3,
        "misses": 1,
        "hit_ratio": 0.75,
        "entries": 1,
        "size_bytes": 7,
    }
    assert report["backend"] in ("sqlite", "redis")


def test_an_empty_cache_reports_a_zero_hit_ratio(cache):
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.entries, stats.hit_ratio) == (0, 0, 0, 0.0)


def test_recent_hit_ratio_follows_the_last_reads(cache):
    from plextui.cache.base import RECENT

    assert cache.stats().recent_hit_ratio is None
    for n in range(RECENT):
        cache.get(f"page:{n}")  # misses
        cache.set(f"page:{n}", n)
    assert cache.stats().recent_hit_ratio == 0.0
    for n in range(RECENT):
        cache.get(f"page:{n}")  # the same pages again: hits
    stats = cache.stats()
    assert stats.recent_hit_ratio == 1.0
    assert stats.hit_ratio == 0.5
    assert stats.to_dict()["recent_hit_ratio"] == 1.0


def test_worker_threads_can_share_one_cache(cache):
    def work(n: int) -> list:
        for i in range(50):
            cache.set(f"item:{n}:{i}", i)
            cache.set_bytes(f"poster:{n}:{i}", b"p")
        return [cache.get(f"item:{n}:{i}") for i in range(50)]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    assert results == [list(range(50))] * 4
    assert cache.stats().entries == 400


def test_misuse_raises_type_error(cache):
    with pytest.raises(TypeError, match="JSON"):
        cache.set("item:1", object())
    with pytest.raises(TypeError, match="key"):
        cache.get("")
