"""Browsing a 100 000-movie section: PlexService pages beside plain plexapi's `section.all()`."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from plexapi.server import PlexServer

from bench.common import Row, atimed, median, timed
from plextui.cache import open_cache
from plextui.emulators.plex import PlexEmulator
from plextui.plex.server import PlexService

PAGE = 100
MOVIES = 100_000
SIZE = MOVIES * 100 // 40  # the emulator gives 40 % of its items to the movie section


def start_emulator(delay: float = 0.0) -> PlexEmulator:
    emu = PlexEmulator(token="bench-token", size=SIZE, seed=1, players=2).start()
    emu.faults.delay = delay
    return emu


async def service_for(emu: PlexEmulator, **kwargs) -> PlexService:
    svc = PlexService(emu.url, emu.token, client_id="plextui-bench", timeout=60, **kwargs)
    await svc.connect()
    return svc


async def browse_rows(emu: PlexEmulator, runs: int, baseline_runs: int) -> list[Row]:
    """First screen of rows, the middle and the end, against `section.all()` in the same run."""
    svc = await service_for(emu)
    try:
        movies = next(lib for lib in await svc.libraries() if lib.type == "movie")
        assert movies.count == MOVIES, movies.count
        await svc.browse(movies, 0, PAGE)  # the emulator sorts the section once
        first = median(await atimed(lambda: svc.browse(movies, 0, PAGE), runs))
        middle = median(await atimed(lambda: svc.browse(movies, MOVIES // 2, PAGE), runs))
        end = median(await atimed(lambda: svc.browse(movies, MOVIES - PAGE, PAGE), runs))
    finally:
        svc.close()

    plex = PlexServer(emu.url, emu.token, timeout=120)
    section = next(s for s in plex.library.sections() if s.type == "movie")

    def everything() -> None:
        assert len(section.all()) == MOVIES

    plain = median(await asyncio.to_thread(timed, everything, baseline_runs))
    note = f"{MOVIES:,} movies, {PAGE} rows"
    return [
        Row(
            "open section, first rows (PlexService.browse)",
            first,
            "s",
            "< 0.25 s and ≥ 20x plexapi",
            first < 0.25 and plain / first >= 20,
            plain,
            note,
        ),
        Row("jump to the middle", middle, "s", "< 0.3 s", middle < 0.3, plain, note),
        Row("jump to the end", end, "s", "< 0.3 s", end < 0.3, plain, note),
    ]


async def search_rows(emu: PlexEmulator, runs: int) -> list[Row]:
    """A keystroke's query once the debounce has fired, uncached, beside plexapi's `search()`;
    and how many requests each asks, read from the emulator's request log."""
    svc = await service_for(emu)
    plex = PlexServer(emu.url, emu.token, timeout=60)
    words = ["the", "star", "night", "love", "dark", "king", "war", "blue", "man", "last", "moon"]
    samples: list[float] = []
    plain: list[float] = []
    asked: list[int] = []
    plain_asked: list[int] = []
    try:
        for i in range(runs):
            query = words[i % len(words)][: 2 + i % 3] + str(i % 2 or "")
            before = len(emu.requests)
            samples += await atimed(lambda q=query: svc.search(q, limit=30), 1)
            asked.append(len(emu.requests) - before)
            before = len(emu.requests)
            plain += await asyncio.to_thread(timed, lambda q=query: plex.search(q, limit=30), 1)
            plain_asked.append(len(emu.requests) - before)
    finally:
        svc.close()
    value = median(samples)
    return [
        Row(
            "search: query → results (service, after debounce)",
            value,
            "s",
            "< 0.15 s",
            value < 0.15,
            median(plain),
        ),
        Row(
            "search: requests per query (most over the queries; the emulator's log)",
            max(asked),
            "requests",
            "1",
            max(asked) == 1,
            max(plain_asked),
        ),
    ]


async def cache_rows(emu: PlexEmulator) -> list[Row]:
    """Hit ratio after walking the same browse path twice; a warm start against a slow server."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'cache.db'}"
        svc = await service_for(emu)
        svc.cache = open_cache(url, emu.machine_identifier)
        try:
            libraries = await svc.libraries()
            for lib in libraries:
                for start in range(0, 10 * PAGE, PAGE):
                    await svc.browse(lib, start, PAGE)
            before = svc.cache.stats()
            for lib in await svc.libraries():
                for start in range(0, 10 * PAGE, PAGE):
                    await svc.browse(lib, start, PAGE)
            after = svc.cache.stats()
        finally:
            svc.close()
        hits, misses = after.hits - before.hits, after.misses - before.misses
        ratio = 100 * hits / max(1, hits + misses)

        slow = 2.0
        emu.faults.delay = slow
        try:
            samples = []
            for _ in range(5):
                cold = PlexService(emu.url, emu.token, client_id="plextui-bench", timeout=60)
                cold.cache = open_cache(url, emu.machine_identifier)
                movies = next(lib for lib in libraries if lib.type == "movie")
                samples += await atimed(lambda c=cold, m=movies: c.browse(m, 0, PAGE), 1)
                cold.cache.close()
                cold.close()
        finally:
            emu.faults.delay = 0.0
        warm = median(samples)
    return [
        Row(
            "cache hit ratio, repeated browse path",
            ratio,
            "%",
            "> 90 %",
            ratio > 90,
            note="3 sections × 10 pages, twice",
        ),
        Row(
            "first rows from cache, server answering in 2 s (service)",
            warm,
            "s",
            "< 0.5 s",
            warm < 0.5,
        ),
    ]
