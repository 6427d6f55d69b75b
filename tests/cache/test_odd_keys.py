"""Any string is a key: lone surrogates (a search for "\\ud800"), backslashes, any script.
One odd key must never turn the cache off, nor meet another key."""

from __future__ import annotations

import pytest

from plextui.cache import SafeCache

ODD = [
    "search:*:10:\ud800",
    "search:*:10:\udfff\ud800x",
    "search:*:10:\\ud800",  # the six characters, not the surrogate: a different key
    "search:*:10:\\\\",
    "search:*:10:é🎬\udc80",
    "item:\ud83d",
]


def test_odd_keys_round_trip_apart(cache):
    for n, key in enumerate(ODD):
        cache.set(key, {"n": n, "query": key})
    for n, key in enumerate(ODD):
        assert cache.get(key) == {"n": n, "query": key}
        assert cache.get_stale(key) == ({"n": n, "query": key}, True)


def test_odd_blobs_round_trip(cache):
    cache.set_bytes("poster:\ud800:300x450", b"png")
    assert cache.get_bytes("poster:\ud800:300x450") == b"png"
    assert cache.get_bytes("poster:\\ud800:300x450") is None


def test_invalidate_by_an_odd_prefix_drops_only_its_keys(cache):
    for key in ODD:
        cache.set(key, 1)
    assert cache.invalidate("search:*:10:\ud800") == 1
    assert cache.get("search:*:10:\ud800") is None
    assert cache.get("search:*:10:\\ud800") == 1
    assert cache.invalidate("search:") == len(ODD) - 2  # minus the one gone, and item:
    assert cache.get("item:\ud83d") == 1
    assert cache.stats().kinds["item"].entries == 1


@pytest.mark.parametrize("op", ["get", "get_stale", "get_bytes", "set", "invalidate"])
def test_an_odd_key_never_turns_the_safe_cache_off(make_cache, op):
    notices = []
    safe = SafeCache(make_cache(), notices.append)
    calls = {
        "get": lambda: safe.get("search:\ud800"),
        "get_stale": lambda: safe.get_stale("search:\ud800"),
        "get_bytes": lambda: safe.get_bytes("poster:\ud800"),
        "set": lambda: safe.set("search:\ud800", ["\ud800"]),
        "invalidate": lambda: safe.invalidate("search:\ud800"),
    }
    calls[op]()
    safe.set("item:1", "still cached")
    assert safe.get("item:1") == "still cached"
    assert notices == [] and safe.fault is None
    assert safe.stats().available
