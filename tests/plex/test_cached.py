"""The cache between plextui and Plex: hits, invalidation, offline browsing, start from cache."""

from __future__ import annotations

import asyncio
import dataclasses
import threading

import pytest

from plextui import config
from plextui.cache import open_cache
from plextui.control import runtime
from plextui.errors import UnreachableError
from plextui.plex.events import EventBus, LibraryUpdated, SessionWatcher


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def own_emu(make_plex):
    return make_plex(token="cache-token", size=200, seed=11, players=1)


@pytest.fixture
async def cached(own_emu, make_service, tmp_path):
    clock = Clock()
    svc = await make_service(own_emu, timeout=2, retries=0)
    svc.cache = open_cache(
        f"sqlite:///{tmp_path}/c.db", namespace=own_emu.machine_identifier, ttl=60, clock=clock
    )
    yield svc, clock
    svc.cache.close()


def server_reads(emu, fragment):
    return len([r for r in emu.requests if fragment in r[1]])


async def movies_of(svc):
    return next(lib for lib in await svc.libraries() if lib.type == "movie")


async def test_repeated_browse_path_is_served_from_cache(cached, own_emu):
    svc, _ = cached
    movies = await movies_of(svc)
    for _ in range(20):
        for start in (0, 50, 100):
            await svc.browse(movies, start=start, size=50)
        await svc.item((await svc.browse(movies, size=1)).items[0].rating_key)
    stats = svc.cache.stats()
    assert stats.hit_ratio > 0.9
    # the count for the sidebar, three pages, and the one-row page: each fetched once
    assert server_reads(own_emu, f"/library/sections/{movies.key}/all") == 1 + 3 + 1


async def test_ttl_expiry_refetches(cached, own_emu):
    svc, clock = cached
    movies = await movies_of(svc)
    await svc.browse(movies, size=10)
    before = server_reads(own_emu, "/all")
    await svc.browse(movies, size=10)
    assert server_reads(own_emu, "/all") == before
    clock.now += 61
    await svc.browse(movies, size=10)
    assert server_reads(own_emu, "/all") == before + 1


async def test_library_update_notification_drops_that_section(cached, own_emu):
    svc, _ = cached
    rt_bus = EventBus()
    rt_bus.subscribe(
        lambda e: svc.library_updated(e.section_key) if isinstance(e, LibraryUpdated) else None
    )
    watcher = SessionWatcher(svc, rt_bus, poll_interval=0.2, refresh_interval=0.2)
    task = asyncio.create_task(watcher.run())
    try:
        movies = await movies_of(svc)
        await svc.browse(movies, size=10)
        for _ in range(50):
            if watcher.mode == "live":
                break
            await asyncio.sleep(0.05)
        assert watcher.mode == "live"
        own_emu.touch_section(movies.key)
        for _ in range(50):
            if svc.cache.get(f"page:{movies.key}:title:{{}}:0:10") is None:
                break
            await asyncio.sleep(0.05)
        assert svc.cache.get(f"page:{movies.key}:title:{{}}:0:10") is None
    finally:
        task.cancel()
        watcher.stop()


async def test_own_writes_invalidate(cached):
    svc, _ = cached
    movies = await movies_of(svc)
    item = (await svc.browse(movies, size=1, filters={"unwatched": True})).items[0]
    assert not (await svc.item(item.rating_key)).watched
    await svc.mark_watched(item)
    assert (await svc.item(item.rating_key)).watched
    playlists = await svc.playlists()
    created = await svc.create_playlist("Cached?", [item])
    assert len(await svc.playlists()) == len(playlists) + 1
    await svc.delete_playlist(created)
    assert len(await svc.playlists()) == len(playlists)


async def test_offline_browsing_and_search_from_cache(cached, own_emu):
    svc, clock = cached
    movies = await movies_of(svc)
    page = await svc.browse(movies, size=20)
    found = await svc.search(page.items[0].title)
    clock.now += 10_000  # everything is stale now
    own_emu.stop()
    try:
        again = await svc.browse(movies, size=20)
        assert again == page and svc.offline
        assert await svc.search(page.items[0].title) == found
        with pytest.raises(UnreachableError, match="cannot reach the Plex server"):
            await svc.sessions()
        with pytest.raises(UnreachableError):
            await svc.browse(movies, start=150, size=20)  # never cached
    finally:
        own_emu.restart()
    await svc.browse(movies, size=20, sort="year")
    assert not svc.offline


async def test_start_from_cache_before_the_server_answers(own_emu, tmp_path, monkeypatch):
    settings = config.load(environ={})
    settings = dataclasses.replace(
        settings,
        plex=dataclasses.replace(settings.plex, url=own_emu.url, token=own_emu.token),
        cache=dataclasses.replace(settings.cache, url=f"sqlite:///{tmp_path}/start.db"),
    )
    first = runtime.build(settings)
    await runtime.connect(first)
    libraries = await first.service.libraries()
    first.close()

    own_emu.faults.hang = True  # a server that accepts but does not answer
    try:
        second = runtime.build(settings)
        assert second.service.cache is not None  # keyed by the machine id seen last time
        assert await second.service.libraries() == libraries
        second.close()
    finally:
        own_emu.faults.hang = False


async def test_a_search_for_a_lone_surrogate_keeps_the_cache_on(cached, own_emu):
    svc, _ = cached
    for query in ("\ud800", "a\udfffb", "\\ud800"):
        assert await svc.search(query) == []
        before = server_reads(own_emu, "/hubs/search")
        assert await svc.search(query) == []  # the answer came from the cache
        assert server_reads(own_emu, "/hubs/search") == before
    assert svc.cache.fault is None
    assert svc.cache.stats().kinds["search"].entries == 3


async def test_a_read_ahead_is_handed_once_to_the_first_reader(cached, own_emu):
    """What the start-up reads ahead from the cache goes to the first screen's same read,
    once; a later read goes to the cache again, and an invalidation drops it unread."""
    svc, _ = cached
    movies = await movies_of(svc)
    page = await svc.browse(movies, size=20)  # in the cache now
    await svc.read_ahead(lambda: svc.browse(movies, size=20))
    hits = svc.cache.stats().hits
    assert await svc.browse(movies, size=20) == page
    assert svc.cache.stats().hits == hits  # handed from memory, the cache not asked
    assert await svc.browse(movies, size=20) == page
    assert svc.cache.stats().hits == hits + 1  # handed once: the next read is the cache's
    await svc.read_ahead(lambda: svc.browse(movies, size=20))
    await svc.forget("page:")
    reads = server_reads(own_emu, f"/library/sections/{movies.key}/all")
    assert await svc.browse(movies, size=20) == page
    assert server_reads(own_emu, f"/library/sections/{movies.key}/all") == reads + 1


async def test_a_read_ahead_is_handed_without_waiting_for_the_pool(cached):
    """The handed value is given on the loop: a turn of the service's busy threads let
    the first screen paint once without its rows before they came back."""
    svc, _ = cached
    movies = await movies_of(svc)
    page = await svc.browse(movies, size=20)
    await svc.read_ahead(lambda: svc.browse(movies, size=20))
    release = threading.Event()
    busy = [svc._pool.submit(release.wait, 10) for _ in range(svc._pool._max_workers)]
    try:
        assert await asyncio.wait_for(svc.browse(movies, size=20), 2) == page
    finally:
        release.set()
        for future in busy:
            future.result()


async def test_only_the_read_aheads_own_reads_are_kept(cached):
    """While a read ahead runs on its thread, the front end's own reads go on as ever:
    none is kept to be handed to a later read (which would then skip the cache)."""
    svc, _ = cached
    movies = await movies_of(svc)
    await svc.browse(movies, size=20)  # in the cache
    release = threading.Event()

    async def hold() -> None:
        await asyncio.to_thread(release.wait, 10)

    ahead = threading.Thread(target=lambda: asyncio.run(svc.read_ahead(hold)))
    ahead.start()
    try:
        for _ in range(500):
            if svc._ahead_thread is not None:
                break
            await asyncio.sleep(0.01)
        hits = svc.cache.stats().hits
        await svc.browse(movies, size=20)
        await svc.browse(movies, size=20)
        assert svc.cache.stats().hits == hits + 2  # each from the cache, none handed
    finally:
        release.set()
        ahead.join(10)
