"""Fixtures for the cache suite: a controllable clock and a real redis-server.

Each xdist worker starts its own redis-server on a free port (session fixtures live
per worker process). A missing redis-server fails the tests rather than skipping them:
CI installs it, and a silently skipped backend is an untested backend.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis

from plextui.cache.redis import RedisCache
from plextui.cache.sqlite import SqliteCache

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RedisServer:
    """One redis-server process without persistence; stop and start keep the port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if not shutil.which(REDIS_SERVER):
            pytest.fail(
                f"redis-server not found at {REDIS_SERVER}: install it (apt install redis-server)"
                " - the Redis cache backend must be tested, not skipped"
            )
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 5
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    pytest.fail(f"redis-server did not answer PING on port {self.port}")
                time.sleep(0.02)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=5)
            self.process = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def namespace() -> str:
    """A fresh namespace per test keeps tests apart on the shared per-worker Redis."""
    return uuid.uuid4().hex


@pytest.fixture(params=["sqlite", "redis"])
def make_cache(request, tmp_path, clock, namespace):
    """Open a backend (more than one may share the store); all are closed at the end."""
    opened = []

    def make(ns: str = namespace, **options):
        options = {"clock": clock, "poster_max_bytes": 1000, **options}
        if request.param == "sqlite":
            cache = SqliteCache(tmp_path / "cache.sqlite3", ns, **options)
        else:
            url = request.getfixturevalue("redis_server").url
            cache = RedisCache(url, ns, **options)
        opened.append(cache)
        return cache

    yield make
    for cache in opened:
        cache.close()


@pytest.fixture
def cache(make_cache):
    return make_cache()
