"""Playlists from the TUI, the rest of it: several marked rows added in one request, and
a rename (through the controller's `playlist rename`), checked on the emulator's state."""

from __future__ import annotations

from plextui.ui.screens.dialogs import ChoiceDialog, InputDialog
from plextui.ui.sources import PlaylistsSource
from plextui.ui.widgets.cells import MARK
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for


def _playlist(emu, title: str):
    return next(p for p in emu.core.state.playlists.values() if p.title == title)


async def test_marked_rows_added_at_once(app, emu):
    before = [rk for _id, rk in _playlist(emu, "Movie Night").items]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await wait_for(pilot, lambda: main.items.row(3) is not None)
        rows = [main.items.row(i) for i in range(3)]
        await pilot.press("m", "m", "m")
        assert list(main.items.marked) == [r.rating_key for r in rows]
        assert main.items.cursor == 3
        line = main.items.render_line(0).text
        assert line.startswith(MARK)
        await pilot.press("up", "m")  # unmark the third
        assert len(main.items.marked) == 2
        assert not main.items.render_line(2).text.startswith(MARK)
        emu.requests.clear()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert app.screen.title_text == "Add 2 items to"
        options = app.screen.query_one("#choices")
        options.highlighted = next(
            i
            for i in range(options.option_count)
            if "Movie Night" in str(options.get_option_at_index(i).prompt)
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Added 2 items to Movie Night" in notes(app))
        after = [rk for _id, rk in _playlist(emu, "Movie Night").items]
        assert after == before + [int(r.rating_key) for r in rows[:2]]
        puts = [r for r in emu.requests if r[0] == "PUT" and "/items" in r[1]]
        assert len(puts) == 1  # one request with a comma-separated uri
        assert main.items.marked == {}
        await wait_for(pilot, lambda: not main.items.render_line(0).text.startswith(MARK))


async def test_rename_playlist_from_the_list(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("playlists")
        await wait_for(pilot, lambda: isinstance(main.source, PlaylistsSource) and main.items.total)
        rows = [main.items.row(i) for i in range(main.items.total)]
        main.items.cursor = next(i for i, p in enumerate(rows) if p.title == "Movie Night")
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, InputDialog))
        field = app.screen.query_one("Input")
        field.value = "Binge Queue"  # taken: refused, nothing renamed
        await pilot.press("enter")
        await wait_for(pilot, lambda: "already a playlist called 'Binge Queue'" in notes(app))
        assert _playlist(emu, "Movie Night")
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, InputDialog))
        app.screen.query_one("Input").value = "Film Club"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Renamed playlist 'Movie Night' to 'Film Club'" in notes(app))
        assert _playlist(emu, "Film Club")
        await wait_for(
            pilot,
            lambda: any(
                (row := main.items.row(i)) is not None and row.title == "Film Club"
                for i in range(main.items.total)
            ),
        )
