"""Playlists and history edits, the first-run screen, help."""

from __future__ import annotations

import dataclasses

from plextui import config
from plextui.config import Settings
from plextui.ui.app import make_app
from plextui.ui.screens.connect import FirstRunScreen
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, InputDialog
from plextui.ui.screens.help import HelpScreen
from plextui.ui.sources import HistorySource, PlaylistItemsSource, PlaylistsSource
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for


async def test_playlist_create_reorder_remove_delete(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        first = main.items.current
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")  # New playlist…
        await wait_for(pilot, lambda: isinstance(app.screen, InputDialog))
        await pilot.press(*"Friday", "enter")
        await wait_for(pilot, lambda: "Created playlist Friday" in notes(app))
        await pilot.press("down", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        options = app.screen.query_one("#choices")
        index = next(
            i
            for i in range(options.option_count)
            if "Friday" in str(options.get_option_at_index(i).prompt)
        )
        options.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Added to Friday" in notes(app))

        main.open_place("playlists")
        await wait_for(pilot, lambda: isinstance(main.source, PlaylistsSource) and main.items.total)
        rows = [main.items.row(i) for i in range(main.items.total)]
        main.items.cursor = next(i for i, p in enumerate(rows) if p.title == "Friday")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(main.source, PlaylistItemsSource) and main.items.total == 2
        )
        await wait_for(pilot, lambda: main.items.current is not None)
        assert main.items.current.rating_key == first.rating_key
        await pilot.press("right_square_bracket")
        await wait_for(
            pilot,
            lambda: (
                main.items.row(1) is not None and main.items.row(1).rating_key == first.rating_key
            ),
        )
        await pilot.press("x")
        await wait_for(pilot, lambda: main.items.total == 1)
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: isinstance(main.source, PlaylistsSource) and main.items.current
        )
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: "Deleted playlist Friday" in notes(app))


async def test_history_and_mark_watched(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("history")
        await wait_for(pilot, lambda: isinstance(main.source, HistorySource) and main.items.total)
        await wait_for(pilot, lambda: main.items.current is not None)
        entry = main.items.current
        await pilot.press("w")
        await wait_for(pilot, lambda: "Marked" in notes(app))
        state = "unwatched" if entry.item.watched else "watched"
        assert f"{state}" in notes(app)


async def test_first_run_validates_and_saves(emu):
    app = make_app(Settings())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        app.screen.query_one("#url").value = emu.url
        app.screen.query_one("#token").value = "wrong"
        await pilot.click("#connect")
        await wait_for(
            pilot,
            lambda: "refused the token" in str(app.screen.query_one("#firstrun-error").render()),
        )
        assert not config.config_path().exists()
        app.screen.query_one("#token").value = emu.token
        app.screen.query_one("#token").focus()
        await pilot.press("enter")
        await ready(pilot)
        saved = config.load()
        assert saved.plex.url == emu.url and saved.plex.token == emu.token


async def test_help_lists_remapped_keys(settings):
    ui = dataclasses.replace(settings.ui, keymap={"toggle": "k"})
    app = make_app(dataclasses.replace(settings, ui=ui), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press(*"play/pause")
        table = app.screen.query_one("#help-table")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[1] == "k"


async def test_names_with_brackets_are_shown_not_parsed(app, emu):
    """A playlist named like markup, and a session from a user with brackets in the name."""
    from textual.widgets import Static

    from plextui.ui.screens.sessions import SessionsScreen

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        first = main.items.current
        await app.rt.service.create_playlist("Late [/b] night [red]", [first])
        main.open_place("playlists")
        await wait_for(pilot, lambda: isinstance(main.source, PlaylistsSource) and main.items.total)
        rows = [main.items.row(i) for i in range(main.items.total)]
        main.items.cursor = next(i for i, p in enumerate(rows) if p.title.startswith("Late"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(main.source, PlaylistItemsSource))
        crumbs = str(main.query_one("#crumbs", Static).render())
        assert "Late [/b] night [red]" in crumbs
        emu.add_session(user="[b]mallory[/b]", player_name="TV [/]")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen))
        await wait_for(
            pilot, lambda: "[b]mallory[/b]" in str(app.screen.query_one("DataTable").get_row_at(0))
        )
