"""Small things a newcomer saw (issue 17): the bar on a screen pushed mid-play and offline,
help's ids, words and width, the quality picker's mark, an empty Sessions table, Ctrl+C
in a dialog."""

from __future__ import annotations

import asyncio
import dataclasses

from textual.widgets import DataTable, OptionList

from plextui.control.transport import REPEAT_CYCLE
from plextui.ui.app import make_app
from plextui.ui.playback import quality_choice
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from plextui.ui.screens.help import HelpScreen
from plextui.ui.screens.sessions import SessionsScreen
from plextui.ui.widgets.nowbar import NowPlayingBar
from tests.ui.conftest import SIZE, main_screen, ready, wait_for
from tests.ui.test_playback import TV, play_first


def bar_text(screen) -> str:
    return str(screen.query_one(NowPlayingBar).render())


async def test_a_screen_pushed_while_playing_shows_what_plays(app, emu):
    """The watcher publishes on change only; a bar mounted mid-play starts from the last."""
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        title = main_screen(app).items.current.title
        await wait_for(pilot, lambda: title in bar_text(main_screen(app)))
        await pilot.pause(0.5)  # the watcher has nothing new to say from here on
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen))
        await pilot.pause(0.1)
        shown = bar_text(app.screen)
        assert title in shown and f"on {TV}" in shown and "Nothing playing" not in shown


async def test_offline_the_bar_names_the_default_player(settings, emu):
    plex = dataclasses.replace(settings.plex, default_player=TV)
    settings = dataclasses.replace(settings, plex=plex)
    async with make_app(settings, watch_events=False).run_test(size=SIZE) as pilot:
        await ready(pilot)  # fills the cache
    await asyncio.to_thread(emu.stop)
    app = make_app(settings, watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: main_screen(app).items.total > 0)
        await wait_for(pilot, lambda: app.status[1] == "stale", 15)
        shown = bar_text(main_screen(app))
        assert f"Nothing playing on {TV}" in shown and "no player chosen" not in shown


async def test_help_shows_ids_repeat_order_and_fits_60_columns(app):
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        await pilot.pause(0.2)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[:3] == ["Keys", "Does", "Id"]
        assert table.max_scroll_x == 0, "help's columns run past a 60-column screen"
        fits = app.screen.query_one(".dialog").region
        assert fits.right <= 60
        await pilot.press(*"repeat")
        await wait_for(pilot, lambda: table.row_count == 1)
        keys, does, binding_id = (str(cell) for cell in table.get_row_at(0)[:3])
        after_off = REPEAT_CYCLE["off"]
        assert (keys, binding_id) == ("R", "repeat")
        assert does == f"Repeat off → {after_off} → {REPEAT_CYCLE[after_off]}"
        header = str(app.screen.query_one(".dialog-note").render())
        assert "ui.keymap.<id>" in header


def test_quality_labels_name_their_rung():
    assert quality_choice("Auto · 720p 4 Mbps") == "auto"
    assert quality_choice("720p 4 Mbps") == "720p"
    assert quality_choice(None) is None


async def test_the_quality_picker_marks_the_current_choice(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        options = app.screen.query_one(OptionList)
        marked = [options.get_option_at_index(i) for i in range(options.option_count)]
        marked = [o.id for o in marked if str(o.prompt).startswith("●")]
        assert marked == [app.settings.quality.default]


async def test_an_empty_sessions_table_says_so(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen))
        empty = app.screen.query_one("#sessions-empty")
        assert empty.display and "Nobody is playing right now" in str(empty.render())
        emu.add_session(user="alice", player_name="Bedroom Roku")
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        assert not empty.display


async def test_ctrl_c_closes_a_dialog(app, emu):
    """In a list dialog and in one whose text field has focus (which binds Ctrl+C to copy)."""
    emu.add_session(user="alice", player_name="Bedroom Roku")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not isinstance(app.screen, ChoiceDialog))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen))
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen))
        assert emu.sessions(), "Ctrl+C cancels; it does not terminate"
