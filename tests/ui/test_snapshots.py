"""What each screen and dialog looks like: fixed size, seeded library, frozen emulator clock.

The library, now-playing, search, sessions, help and Discord screens are also shot at
four sizes in test_layout.py. Every screen is reached by a step of tests/ui/drive.py,
the same steps that take the README screenshots (bench/screenshots.py).

Update after an intended change with `make snapshot-update`, then look at the diff.
"""

from __future__ import annotations

from plextui.config import Settings
from plextui.ui.app import make_app
from plextui.ui.screens.connect import FirstRunScreen
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from plextui.ui.widgets.poster import Poster
from tests.ui.conftest import SIZE, main_screen
from tests.ui.drive import (
    no_blink,
    pick_tv,
    settled,
    to_discord,
    to_episodes,
    to_player_picker,
    to_sessions,
    to_stats,
    until,
)


def test_episodes(snap_compare, app):
    async def drill(pilot):
        await settled(pilot)
        await to_episodes(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=drill)


def test_first_run(snap_compare):
    async def shown(pilot):
        await until(pilot, lambda: isinstance(pilot.app.screen, FirstRunScreen))
        no_blink(pilot)
        await pilot.pause(0.1)

    assert snap_compare(make_app(Settings()), terminal_size=SIZE, run_before=shown)


def test_player_picker(snap_compare, app):
    async def picker(pilot):
        await settled(pilot)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await until(pilot, lambda: "Looking for more" not in pilot.app.screen.note)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=picker)


def test_quality_picker(snap_compare, app):
    async def quality(pilot):
        await settled(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=quality)


def test_sessions_and_terminate_dialog(snap_compare, app, emu):
    emu.add_session(user="alice", player_name="Bedroom Roku")
    emu.add_session(user="bob", player_name="Office PC", transcode=False, lan=True)

    async def sessions(pilot):
        await settled(pilot)
        await to_sessions(pilot, rows=2)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        no_blink(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=sessions)


def test_resume_dialog(snap_compare, app):
    async def resume(pilot):
        await settled(pilot)
        main = main_screen(pilot.app)
        main.open_place("ondeck")
        await until(pilot, lambda: main.source.title == "Continue Watching" and main.items.total)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await pilot.press("enter")
        await until(pilot, lambda: "Resume" in str(pilot.app.screen.query_one("#choices")._options))
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=resume)


def test_stats(snap_compare, app):
    """The layout of Stats; how many hits a start-up makes depends on which background read
    wins a race, so the figures shown are fixed here (the functional tests check real ones)."""
    from plextui.cache.base import CacheStats, KindStats

    fixed = CacheStats(
        "sqlite",
        kinds={"page": KindStats(9, 3, 3, 120_000), "item": KindStats(4, 2, 2, 2_100)},
        recent_hit_ratio=0.72,
    )

    async def stats(pilot):
        await settled(pilot)
        pilot.app.rt.service.cache.stats = lambda: fixed
        await to_stats(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=stats)


def test_offline_from_cache(snap_compare, settings, emu):
    async def warm(pilot):
        await settled(pilot)

    first = make_app(settings, watch_events=False)

    async def offline(pilot):
        main = main_screen(pilot.app)
        await until(pilot, lambda: main.items.total > 0 and main._details)
        await until(pilot, lambda: pilot.app.status[1] == "stale", 15)
        poster = main.query_one(Poster)  # drawn from the cache, after its debounce and decode
        await until(pilot, lambda: poster.shown)
        pilot.app.status = ("Plex (last seen at a random port)", "stale")
        pilot.app.set_status("stale")
        pilot.app.notify = lambda *args, **kwargs: None  # a late toast would be timing, not layout
        pilot.app.clear_notifications()
        await pilot.pause(0.2)

    async def run_first():
        async with first.run_test(size=SIZE) as pilot:
            await warm(pilot)

    import asyncio

    asyncio.run(run_first())
    emu.stop()
    again = make_app(settings, watch_events=False)
    assert snap_compare(again, terminal_size=SIZE, run_before=offline)


def test_discord_panel(snap_compare, discord_app, emu):
    async def panel(pilot):
        await settled(pilot)
        await to_player_picker(pilot)  # the first movie
        await pick_tv(pilot, emu)
        await to_discord(pilot, emu, "/plex pause", state="paused")

    assert snap_compare(discord_app, terminal_size=SIZE, run_before=panel)
