"""What each screen and dialog looks like: fixed size, seeded library, frozen emulator clock.

The library, now-playing, search, sessions, help and Discord screens are also shot at
four sizes in test_layout.py.

Update after an intended change with `make snapshot-update`, then look at the diff.
"""

from __future__ import annotations

from textual.widgets import Input

from plextui.config import Settings
from plextui.ui.app import make_app
from plextui.ui.screens.connect import FirstRunScreen
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from plextui.ui.screens.discord import DiscordScreen
from plextui.ui.screens.sessions import SessionsScreen
from plextui.ui.screens.stats import StatsScreen
from plextui.ui.widgets.poster import Poster
from tests.ui.conftest import SIZE, main_screen, ready, wait_for

TV = "Living Room TV"


def no_blink(pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def freeze_sparkline(screen) -> None:
    """The live sparkline samples every 2 s of wall time: stop it, start it from zeros and
    take one sample, so the picture does not depend on how fast the test ran."""
    screen.sampler.pause()
    screen.live.extend([0.0] * len(screen.live))
    screen._sample()


async def settled(pilot) -> None:
    """The first page, the detail pane and the poster of the highlighted row have loaded."""
    await ready(pilot)
    main = main_screen(pilot.app)
    await wait_for(pilot, lambda: main._details)
    poster = main.query_one(Poster)
    await wait_for(pilot, lambda: poster.shown or not poster.display)
    await wait_for(pilot, lambda: pilot.app.focused is main.items)  # the footer follows focus
    await pilot.pause(0.2)


def test_episodes(snap_compare, app):
    async def drill(pilot):
        await settled(pilot)
        main = main_screen(pilot.app)
        main.open_place("lib:2")
        await wait_for(pilot, lambda: main.source.title == "TV Shows" and main.items.current)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(main.stack) == 2 and main.items.current)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(main.stack) == 3 and main.items.current)
        await wait_for(pilot, lambda: main.items.current.rating_key in main._details)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=drill)


def test_first_run(snap_compare):
    async def shown(pilot):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FirstRunScreen))
        no_blink(pilot)
        await pilot.pause(0.1)

    assert snap_compare(make_app(Settings()), terminal_size=SIZE, run_before=shown)


def test_player_picker(snap_compare, app):
    async def picker(pilot):
        await settled(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=picker)


def test_quality_picker(snap_compare, app):
    async def quality(pilot):
        await settled(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=quality)


def test_sessions_and_terminate_dialog(snap_compare, app, emu):
    emu.add_session(user="alice", player_name="Bedroom Roku")
    emu.add_session(user="bob", player_name="Office PC", transcode=False, lan=True)

    async def sessions(pilot):
        await settled(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SessionsScreen))
        table = pilot.app.screen.query_one("#sessions")
        await wait_for(pilot, lambda: table.row_count == 2)
        freeze_sparkline(pilot.app.screen)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        no_blink(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=sessions)


def test_resume_dialog(snap_compare, app):
    async def resume(pilot):
        await settled(pilot)
        main = main_screen(pilot.app)
        main.open_place("ondeck")
        await wait_for(pilot, lambda: main.source.title == "Continue Watching" and main.items.total)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "Resume" in str(pilot.app.screen.query_one("#choices")._options)
        )
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
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=stats)


def test_offline_from_cache(snap_compare, settings, emu):
    async def warm(pilot):
        await settled(pilot)

    first = make_app(settings, watch_events=False)

    async def offline(pilot):
        main = main_screen(pilot.app)
        await wait_for(pilot, lambda: main.items.total > 0 and main._details)
        await wait_for(pilot, lambda: pilot.app.status[1] == "stale", 15)
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
        app = pilot.app
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "playing")
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscordScreen))
        app.screen.query_one("#say", Input).value = "/plex pause"
        await pilot.press("enter")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "paused", 15)
        await wait_for(
            pilot, lambda: "Paused" in str((app.mirror.preview["embed"] or {}).get("fields")), 10
        )
        await wait_for(pilot, lambda: len(app.companion.messages()) >= 3, 10)
        app.screen.query_one("#say", Input).cursor_blink = False
        app.clear_notifications()
        await pilot.pause(1.0)

    assert snap_compare(discord_app, terminal_size=SIZE, run_before=panel)
