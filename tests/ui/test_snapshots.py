"""What each screen and dialog looks like: fixed size, seeded library, frozen emulator clock.

Update after an intended change with `make snapshot-update`, then look at the diff.
"""

from __future__ import annotations

from textual.widgets import Input

from plextui.config import Settings
from plextui.ui.app import make_app
from plextui.ui.screens.connect import FirstRunScreen
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from plextui.ui.screens.sessions import SessionsScreen
from tests.ui.conftest import SIZE, main_screen, ready, wait_for

TV = "Living Room TV"


def no_blink(pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


async def settled(pilot) -> None:
    """The first page and the detail pane of the highlighted row have loaded."""
    await ready(pilot)
    main = main_screen(pilot.app)
    await wait_for(pilot, lambda: main._details)
    await pilot.pause(0.2)


def test_main_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


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


def test_help(snap_compare, app):
    async def help_(pilot):
        await settled(pilot)
        await pilot.press("question_mark")
        no_blink(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=help_)


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


def test_search(snap_compare, app):
    async def search(pilot):
        await settled(pilot)
        await pilot.press("slash", *"bright")
        results = pilot.app.screen.query_one("#results")
        await wait_for(pilot, lambda: results.option_count > 1)
        no_blink(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_sessions_and_terminate_dialog(snap_compare, app, emu):
    emu.add_session(user="alice", player_name="Bedroom Roku")
    emu.add_session(user="bob", player_name="Office PC", transcode=False, lan=True)

    async def sessions(pilot):
        await settled(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SessionsScreen))
        table = pilot.app.screen.query_one("#sessions")
        await wait_for(pilot, lambda: table.row_count == 2)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        no_blink(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=sessions)


def test_now_playing_paused(snap_compare, app, emu):
    async def playing(pilot):
        await settled(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "playing")
        await pilot.press("space")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "paused")
        await wait_for(pilot, lambda: pilot.app.playback and pilot.app.playback.state == "paused")
        pilot.app.clear_notifications()
        await pilot.press("i")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=playing)
