"""Work the first screen no longer does: the poster grid is mounted only when `g` first
asks for it (screens/gridmode.py), not composed hidden on every start; what is not on
the way to the first rows waits for them; a connecting screen is not drawn for a server
that already answered."""

from __future__ import annotations

import asyncio

from plextui.control import runtime
from plextui.ui.app import make_app
from plextui.ui.screens.main import MainScreen
from plextui.ui.widgets.grid import PosterGrid
from tests.ui.conftest import main_screen, ready
from tests.ui.drive import until

SIZE = (120, 36)


async def test_the_poster_grid_is_mounted_when_g_first_asks_for_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        assert not main.query(PosterGrid)
        await pilot.press("g")
        await until(pilot, lambda: main.query_one(PosterGrid).display)
        assert app.focused is main.query_one(PosterGrid) and not main.items.display
        await pilot.press("g")
        await until(pilot, lambda: main.items.display)
        assert not main.query_one(PosterGrid).display and app.focused is main.items


async def test_discord_and_the_players_wait_for_the_first_rows(app, emu):
    """What is not on the way to the first rows (Discord's mirror, the watchers) starts
    once they are on screen: started as soon as the server answered, it only delayed
    them. The server answers slowly here, so a mirror started early would be seen."""
    emu.faults.delay = 0.3
    try:
        async with app.run_test(size=SIZE) as pilot:
            main = await first_rows(pilot)
            assert app.mirror is None and main.items.total > 0
            await until(pilot, lambda: app.mirror is not None)
    finally:
        emu.faults.delay = 0.0


async def first_rows(pilot):
    """The main screen, as soon as its list has rows."""
    await until(pilot, lambda: pilot.app._main() is not None and pilot.app._main().items.total)
    return pilot.app._main()


async def test_a_warm_start_connected_meanwhile_opens_on_the_library(settings):
    """The server answered while the TUI was imported: no "Connecting to …" screen is
    drawn first, the library is."""
    rt = runtime.warm_start(settings, settings.ui.page_size)
    await asyncio.wrap_future(rt.warming)
    app = make_app(settings, runtime=rt, watch_events=False, poll_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, MainScreen)
        await ready(pilot)
        assert app.status[1] == "connected" and main_screen(app).items.total > 0


async def test_a_connect_that_ends_while_quitting_is_quiet(app):
    """From the cache, the TUI connects after its rows are drawn and then refreshes what
    it shows. The connect can end while the app is closing, after Textual has removed
    the screen's widgets but before it stops the app's workers: the refresh finds no
    sidebar and no list to fill and is dropped (run_test re-raises a worker's error)."""
    async with app.run_test(size=SIZE) as pilot:
        main = await first_rows(pilot)
        libraries = await app.rt.service.libraries()

        async def from_memory():
            return libraries

        app.rt.service.libraries = from_memory

        ended_while = []

        async def connected_while_closing():
            for _ in range(1000):
                if not main.query("#sidebar"):
                    ended_while.append("running" if app.is_running else "closing")
                    app.connected()
                    return
                await asyncio.sleep(0.002)

        closing = asyncio.ensure_future(connected_while_closing())
        await pilot.pause()
    await closing
    assert ended_while == ["closing"]  # the race was met, and run_test raised nothing


async def test_a_detail_read_that_ends_while_quitting_is_quiet(app):
    """The same race for the detail pane's read of the highlighted item (lost once in a
    clean-clone CI run: NoMatches 'ItemList' from load_detail)."""
    async with app.run_test(size=SIZE) as pilot:
        main = await first_rows(pilot)
        item = main.source.item(main.items.current)
        full = await app.rt.service.item(item.rating_key)

        ended_while = []

        async def read_while_closing(rating_key):
            for _ in range(1000):
                if not main.query("#sidebar"):
                    ended_while.append("running" if app.is_running else "closing")
                    return full
                await asyncio.sleep(0.002)
            return full

        app.rt.service.item = read_while_closing
        main._details.clear()
        main.load_detail(item)
        await pilot.pause()
    assert ended_while == ["closing"]  # the race was met, and run_test raised nothing
