"""Playlists and history edits, nothing stale after a write, the first-run screen, help."""

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
from tests.ui.drive import settled, to_episodes


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
        assert str(table.get_row_at(0)[0]) == "k"


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


def detail_text(app) -> str:
    return str(main_screen(app).query_one(".detail-text").render())


def season_count(app) -> int:
    """The viewed count of the season the detail pane shows (`2 of 8 watched`)."""
    line = next(x for x in detail_text(app).splitlines() if " watched" in x and " of " in x)
    return int(line.split(" of ")[0])


async def test_nothing_stale_after_marking_an_episode(app):
    """`w` on an episode: its details say so at once, and so does its season's count."""
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await to_episodes(pilot)
        main = main_screen(app)
        await pilot.press("escape")  # the season, its details fetched and remembered
        await wait_for(pilot, lambda: main.items.current.rating_key in main._details)
        await wait_for(pilot, lambda: " of " in detail_text(app))
        before = season_count(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.items.current.rating_key in main._details)
        episode = main._details[main.items.current.rating_key]
        now = "Unwatched" if episode.watched else "Watched"
        await pilot.press("w")
        await wait_for(pilot, lambda: now in detail_text(app).splitlines())
        assert (main.items.current.view_count > 0) == (now == "Watched")  # the row, too
        await pilot.press("escape")
        change = -1 if episode.watched else 1
        await wait_for(pilot, lambda: season_count(app) == before + change)


async def test_a_write_from_elsewhere_redraws_the_list(app):
    """A local play's scrobble or a Discord/ctl playlist edit goes through the service
    and not through a key: the list and details follow all the same."""
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        main = main_screen(app)
        movie = main.items.current
        assert "Unwatched" in detail_text(app).splitlines()
        await app.rt.service.mark_watched(movie, True)  # what the local player's scrobble calls
        await wait_for(pilot, lambda: "Watched" in detail_text(app).splitlines())
        assert main.items.current.watched

        playlist = await app.rt.service.create_playlist("Later", [movie])
        main.open_place("playlists")
        await wait_for(pilot, lambda: isinstance(main.source, PlaylistsSource) and main.items.total)
        rows = [main.items.row(i) for i in range(main.items.total)]
        main.items.cursor = next(i for i, p in enumerate(rows) if p.title == "Later")
        await wait_for(pilot, lambda: "1 item " in detail_text(app))
        other = (await app.rt.service.search("bright"))[0]
        await app.rt.service.add_to_playlist(playlist, [other])
        await wait_for(pilot, lambda: "2 items" in detail_text(app))
        assert main.items.current.count == 2


def test_music_is_played_not_watched():
    from plextui.core.models import MediaItem
    from plextui.ui.widgets.detail import watched_line

    album = MediaItem("1", "album", "Blue", leaf_count=10, viewed_leaf_count=2)
    assert watched_line(album) == "2 of 10 played"
    assert watched_line(MediaItem("2", "track", "Song", view_count=1)) == "Played"
    assert watched_line(MediaItem("3", "track", "Song")) == "Unplayed"
    season = MediaItem("4", "season", "Season 1", leaf_count=8, viewed_leaf_count=2)
    assert watched_line(season) == "2 of 8 watched"
