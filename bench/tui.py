"""TUI figures through the real app: `make_app` + `App.run_test` with a Pilot, timed to the render.

Search-as-you-type and a key to the player are held beside what a plain script pays for
the same thing in the same run: plexapi's `search()` of the same word, and one plain HTTP
request to the same player.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from functools import partial

from plexapi.server import PlexServer
from textual import events

from bench.commands import plain_pause
from bench.common import Row, median, timed
from plextui.config import Settings
from plextui.emulators.plex import PlexEmulator
from plextui.ui.app import make_app
from plextui.ui.screens.search import DEBOUNCE, SearchScreen

SIZE = (120, 36)
TV = "Living Room TV"
WORDS = ["bright", "iron", "silent", "lantern", "mirror", "orchard", "witness", "harbor", "compass"]


def settings_for(emu: PlexEmulator) -> Settings:
    base = Settings()
    plex = dataclasses.replace(base.plex, url=emu.url, token=emu.token, client_id="plextui-bench")
    return dataclasses.replace(base, plex=plex)


async def until(pilot, predicate, timeout: float = 30.0) -> float:
    """Seconds until `predicate()` holds, then one more frame so it is on screen."""
    began = time.perf_counter()
    while True:
        try:
            if predicate():
                break
        except Exception:  # noqa: BLE001 - screens and widgets mount as we go
            pass
        if time.perf_counter() - began > timeout:
            raise TimeoutError("the app did not get there")
        await pilot.pause(0.005)
    await pilot.pause()
    return time.perf_counter() - began


def hits(results) -> int:
    """Result rows in the search list (its notes, "searching…", have no id)."""
    return sum(1 for i in range(results.option_count) if results.get_option_at_index(i).id)


def rows_shown(app, index: int = 0) -> bool:
    items = app._main().items
    return items.total > 0 and items.row(index) is not None


def on_screen(screen, predicate) -> asyncio.Future[float]:
    """When the first frame in which `predicate()` holds was composed. Textual renders what
    changed in the screen's compositor refresh (a terminal is sent those bytes; headless,
    nothing is written), so that is when it is on screen. Not `until`: its closing
    `pilot.pause()` waits for the whole process, emulator included, to go idle (20 ms at
    the least), and its 5 ms polls walk every widget, competing with the app they time."""
    stamp = asyncio.get_running_loop().create_future()
    compose = screen._compositor_refresh

    def composed() -> None:
        compose()
        if not stamp.done() and predicate():
            stamp.set_result(time.perf_counter())

    screen._compositor_refresh = composed
    return stamp


async def typed(app, text: str, gap: float = 0.05) -> None:
    """Keys `gap` apart, as a quick typist's reach the app. `pilot.press` waits for the
    whole process to go idle after each key; on a busy machine that outlasts the debounce,
    a search for a prefix fires and still holds the server when the timed key comes."""
    for char in text:
        app.post_message(events.Key(char, char))
        await asyncio.sleep(gap)


async def search_as_you_type(app, emu: PlexEmulator, word: str) -> tuple[float, int]:
    """Seconds from the word's last key until its results are on screen (the debounce
    included), and how many searches the emulator was asked for while it was typed."""
    screen = app.screen
    results, box = screen.query_one("#results"), screen.query_one("#query")
    shown = on_screen(screen, lambda: box.value == word and hits(results) > 0)
    before = len(emu.requests)
    await typed(app, word[:-1])
    began = time.perf_counter()
    app.post_message(events.Key(word[-1], word[-1]))
    took = await asyncio.wait_for(shown, 30) - began
    asked = sum(1 for _method, path, _headers in emu.requests[before:] if "/hubs/search" in path)
    return took, asked


async def first_paint(emu: PlexEmulator) -> float:
    """Start-up to the first rows of the first library."""
    app = make_app(settings_for(emu), watch_events=False)
    began = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: rows_shown(app))
        return time.perf_counter() - began


async def browsing(emu: PlexEmulator, runs: int) -> dict[str, list[float]]:
    """Open the movie section, jump to the middle and the end, and search as you type."""
    out: dict[str, list[float]] = {
        k: [] for k in ("open", "middle", "end", "search", "plain search", "requests")
    }
    app = make_app(settings_for(emu), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: rows_shown(app))
        main = app._main()
        movies = next(lib for lib in main.libraries if lib.type == "movie")
        other = next(lib for lib in main.libraries if lib.type != "movie")
        for _ in range(runs):
            main.open_place(f"lib:{other.key}")
            await until(pilot, lambda: rows_shown(app))
            began = time.perf_counter()
            main.open_place(f"lib:{movies.key}")
            await until(pilot, lambda: main.items.total == movies.count and rows_shown(app))
            out["open"].append(time.perf_counter() - began)

            middle = movies.count // 2 + 37
            began = time.perf_counter()
            main.items.cursor = middle
            await until(pilot, lambda m=middle: rows_shown(app, m))
            out["middle"].append(time.perf_counter() - began)

            began = time.perf_counter()
            await pilot.press("end")
            await until(pilot, lambda: rows_shown(app, movies.count - 1))
            out["end"].append(time.perf_counter() - began)

        plex = PlexServer(emu.url, emu.token, timeout=60)
        for n in range(runs):
            await pilot.press("slash")
            await until(pilot, lambda: isinstance(app.screen, SearchScreen))
            word = WORDS[n % len(WORDS)]  # each once: a repeated query comes from the cache
            plain = partial(plex.search, word, limit=30)
            if n % 2:  # the yardstick as often before as after, the emulator as warm
                out["plain search"] += await asyncio.to_thread(timed, plain, 1)
            took, asked = await search_as_you_type(app, emu, word)
            out["search"].append(took - DEBOUNCE)
            out["requests"].append(asked)
            if not n % 2:
                out["plain search"] += await asyncio.to_thread(timed, plain, 1)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, SearchScreen))
    return out


async def tui_rows(emu: PlexEmulator, runs: int) -> list[Row]:
    paints = [await first_paint(emu) for _ in range(runs)]
    got = await browsing(emu, runs)
    first, opened = median(paints), median(got["open"])
    middle, end, search = median(got["middle"]), median(got["end"]), median(got["search"])
    plain, most = median(got["plain search"]), max(got["requests"])
    return [
        Row("TUI first paint (start → first rows)", first, "s", "< 1 s", first < 1),
        Row("TUI: open the section, first rows rendered", opened, "s", "< 0.25 s", opened < 0.25),
        Row("TUI: jump to the middle, rows rendered", middle, "s", "< 0.3 s", middle < 0.3),
        Row("TUI: `end`, last rows rendered", end, "s", "< 0.3 s", end < 0.3),
        Row(
            "TUI search-as-you-type: keystroke → results on screen, after the debounce",
            search,
            "s",
            "≤ plexapi's `search()` of the same word",
            search <= plain,
            plain,
            note=f"debounce {DEBOUNCE:g} s not counted; at most {most:g} search sent per word",
        ),
    ]


async def key_to_player_row(emu: PlexEmulator, runs: int) -> Row:
    """Space (play/pause) in the TUI until the TV has the command, beside one plain HTTP
    request to the TV; a movie plays there, started before the app."""
    tv = emu.player(TV)
    plex = PlexServer(emu.url, emu.token, timeout=30)
    movie = plex.library.section("Movies").all(container_start=0, container_size=1, maxresults=1)[0]
    plex.client(TV).playMedia(movie)
    deadline = time.monotonic() + 10
    while not plex.sessions() and time.monotonic() < deadline:
        time.sleep(0.05)
    samples: list[float] = []
    app = make_app(settings_for(emu), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: rows_shown(app))
        for n in range(runs + 1):
            seen = len(tv.commands)

            async def arrived(since: int = seen) -> float:
                while not any(c.startswith("playback/") for c in tv.commands[since:]):
                    await asyncio.sleep(0.0005)
                return time.perf_counter()

            watch = asyncio.ensure_future(arrived())  # not after the pilot's own waits
            began = time.perf_counter()
            await pilot.press("space")
            took = await asyncio.wait_for(watch, 10) - began
            if n:  # the first finds the player
                samples.append(took)
            await pilot.pause(0.2)
    base = await plain_pause(tv.url, runs, stop_after=True)
    overhead = (median(samples) - base) * 1000
    return Row(
        "key → player, through the TUI: plextui above one plain HTTP request",
        overhead,
        "ms",
        "< 20 ms",
        overhead < 20,
        note=f"space to the TV's request {median(samples) * 1000:.1f} ms, "
        f"plain HTTP {base * 1000:.1f} ms",
    )


async def cached_paint_row(emu: PlexEmulator, runs: int, delay: float = 2.0) -> Row:
    """Second start with the server answering every request `delay` s late."""
    await first_paint(emu)  # fills the cache and remembers the server's identity
    emu.faults.delay = delay
    try:
        samples = [await first_paint(emu) for _ in range(runs)]
    finally:
        emu.faults.delay = 0.0
    value = median(samples)
    return Row(
        f"TUI first paint from cache, server answering in {delay:g} s",
        value,
        "s",
        "< 0.5 s",
        value < 0.5,
    )
