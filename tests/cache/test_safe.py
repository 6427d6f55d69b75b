"""SafeCache: outages notify once, run uncached, and end when the backend comes back."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis

from plextui.cache import SafeCache, open_cache
from plextui.cache.sqlite import SqliteCache

from .conftest import RedisServer


@pytest.fixture
def own_redis():
    """A redis-server this test may kill and restart on the same port."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_redis_killed_mid_run_notifies_once_runs_uncached_and_recovers(own_redis, clock):
    notices = []
    cache = open_cache(own_redis.url, "server1", clock=clock, on_fault=notices.append)
    cache.set("item:1", "cached")
    assert cache.get("item:1") == "cached"

    own_redis.stop()
    assert cache.get("item:1") is None
    cache.set("item:2", "dropped")
    assert cache.get_stale("item:1") == (None, False)
    assert cache.stats().available is False
    assert len(notices) == 1
    assert notices[0].startswith("cache unavailable (") and "running uncached" in notices[0]
    assert cache.fault == notices[0]

    clock.advance(31)  # a probe while Redis is still down: no second notice
    assert cache.get("item:1") is None
    assert len(notices) == 1

    own_redis.start()  # same port, empty (no persistence)
    assert cache.get("item:1") is None  # still waiting for the next probe
    clock.advance(31)
    cache.set("item:3", "back")
    assert cache.fault is None
    assert cache.get("item:3") == "back"
    assert cache.stats().available is True
    assert len(notices) == 1
    cache.close()


def test_redis_down_at_start_runs_uncached(clock):
    server = RedisServer()  # a free port nobody listens on
    notices = []
    cache = open_cache(server.url, "server1", clock=clock, on_fault=notices.append)
    cache.set("item:1", "x")
    assert cache.get("item:1") is None
    assert len(notices) == 1 and "running uncached" in notices[0]
    cache.close()


class Flaky:
    """A backend that fails while ``broken`` and counts the calls it gets."""

    def __init__(self, inner):
        self.inner = inner
        self.broken = False
        self.calls = 0

    def __getattr__(self, name):
        method = getattr(self.inner, name)

        def call(*args):
            self.calls += 1
            if self.broken:
                raise OSError(28, "No space left on device")
            return method(*args)

        return call


def test_a_fault_is_probed_again_only_after_the_retry_delay(tmp_path, clock):
    flaky = Flaky(SqliteCache(tmp_path / "c.db", "s", clock=clock))
    notices = []
    cache = SafeCache(flaky, notices.append, clock=clock, retry_after=30)
    cache.set("item:1", "x")
    flaky.broken = True
    assert cache.get("item:1") is None
    assert notices == ["cache unavailable ([Errno 28] No space left on device): running uncached"]
    calls = flaky.calls
    for _ in range(10):
        cache.get("item:1")
    assert flaky.calls == calls  # no backend traffic during the outage
    clock.advance(30)
    flaky.broken = False
    assert cache.get("item:1") == "x"
    assert cache.fault is None


def test_a_new_outage_after_recovery_is_reported_again(tmp_path, clock):
    flaky = Flaky(SqliteCache(tmp_path / "c.db", "s", clock=clock))
    notices = []
    cache = SafeCache(flaky, notices.append, clock=clock)
    flaky.broken = True
    cache.get("item:1")
    flaky.broken = False
    clock.advance(60)
    cache.get("item:1")
    flaky.broken = True
    cache.get("item:1")
    assert len(notices) == 2


def test_misuse_is_not_mistaken_for_a_fault(tmp_path, clock):
    notices = []
    cache = open_cache(f"sqlite://{tmp_path}/c.db", "s", clock=clock, on_fault=notices.append)
    with pytest.raises(TypeError):
        cache.set("item:1", {1, 2})
    cache.set("item:1", [1, 2])
    assert cache.get("item:1") == [1, 2]
    assert notices == []
    cache.close()


def test_ctl_after_redis_dies_says_one_line_and_answers_uncached(own_redis, make_plex):
    """What a user of `ctl` (or a relay's log) sees: one line, never a traceback."""
    emu = make_plex(token="redis-token", size=40, seed=2, players=0)
    env = {
        **os.environ,
        "PLEX_SERVER_URL": emu.url,
        "PLEX_API_TOKEN": emu.token,
        "PLEXTUI_CACHE_URL": own_redis.url,
    }

    def ctl() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "plextui", "ctl", "libraries"]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)

    warm = ctl()
    assert (warm.returncode, warm.stderr) == (0, "")
    assert redis.Redis.from_url(own_redis.url).dbsize() > 0  # the run used Redis
    own_redis.stop()
    cold = ctl()
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout == warm.stdout
    lines = cold.stderr.splitlines()
    assert len(lines) == 1, cold.stderr
    assert lines[0].startswith("cache unavailable (") and "running uncached" in lines[0]
    assert "redis-token" not in cold.stderr
