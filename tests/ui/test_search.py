"""Search as a person uses it: ↓ to the first hit, enter for the top hit, nothing stale
while a search is in flight, and a show found opens under its own library."""

from __future__ import annotations

from textual.widgets import Input

from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.search import SearchScreen
from plextui.ui.sources import ChildrenSource
from tests.ui.conftest import SIZE, main_screen, ready, wait_for


async def open_search(pilot, text: str):
    await pilot.press("slash")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))
    await pilot.press(*text)
    return pilot.app.screen


async def results_for(pilot, screen) -> None:
    results = screen.query_one("#results")
    await wait_for(pilot, lambda: screen._found and results.option_count > 1)


async def test_down_from_the_box_lands_on_the_first_result(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_search(pilot, "bright")
        await results_for(pilot, screen)
        results = screen.query_one("#results")
        await pilot.press("down")
        await pilot.pause(0.1)
        assert app.focused is results
        assert results.get_option_at_index(0).disabled  # the "Movies" header
        assert results.highlighted == 1  # the first hit under it, not the second


async def test_enter_in_the_box_plays_the_top_hit(app):
    """Enter before the answer came: the search goes at once and its top hit is played
    (here: the player picker opens for it, as enter on a movie in the list does)."""
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        top = main_screen(app).items.row(0)
        screen = await open_search(pilot, top.title)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert not screen.is_attached
        assert app.screen.title_text == "Play on"
        detail = str(main_screen(app).query_one(".detail-text").render())
        assert top.title in detail


async def test_results_say_searching_and_old_ones_cannot_be_chosen(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_search(pilot, "bright")
        await results_for(pilot, screen)
        results = screen.query_one("#results")
        emu.faults.delay = 1.0  # the next search is slow to answer
        try:
            await pilot.press("s")
            await pilot.pause(0.05)
            assert results.option_count == 1
            assert "searching…" in str(results.get_option_at_index(0).prompt)
            assert results.get_option_at_index(0).disabled
            await pilot.press("down", "enter")  # nothing to act on: the dialog stays
            await pilot.pause(0.1)
            assert app.screen is screen
            await wait_for(
                pilot, lambda: "searching" not in str(results.get_option_at_index(0).prompt), 5
            )
            assert "brights" in str(results.get_option_at_index(0).prompt)  # no results
        finally:
            emu.faults.delay = 0.0


async def test_a_show_found_opens_under_its_own_library(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("lib:2")
        await wait_for(pilot, lambda: main.source.title == "TV Shows" and main.items.current)
        show = main.items.row(0)
        main.open_place("lib:1")  # back in Movies, where a search starts
        await wait_for(pilot, lambda: main.source.title == "Movies" and main.items.current)
        screen = await open_search(pilot, show.title)
        await results_for(pilot, screen)
        results = screen.query_one("#results")
        index = next(
            i
            for i in range(results.option_count)
            if results.get_option_at_index(i).id == show.rating_key
        )
        results.focus()
        results.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(main.source, ChildrenSource))
        await wait_for(pilot, lambda: main.items.total)
        crumbs = str(main.query_one("#crumbs").render())
        assert crumbs.startswith(f"TV Shows › {show.title}"), crumbs
        await pilot.press("escape")  # back goes to the show's library, not to Movies
        await wait_for(pilot, lambda: len(main.stack) == 1 and main.source.title == "TV Shows")


async def test_emptying_the_box_clears_the_results(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_search(pilot, "bright")
        await results_for(pilot, screen)
        screen.query_one(Input).value = ""
        await pilot.pause(0.1)
        assert screen.query_one("#results").option_count == 0 and not screen._found


async def test_a_title_shows_as_written_brackets_and_all(app, emu):
    """Hits are listed as plain text, never read as markup: `[REC]` or `[b]` in a title
    is shown, not taken for a style (or dropped as an unknown tag)."""
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        item = emu.library.get(main_screen(app).items.row(0).rating_key)
        item.title, item.title_lower = "[b]Zqx[/b] [REC]", "[b]zqx[/b] [rec]"
        screen = await open_search(pilot, "zqx")
        await results_for(pilot, screen)
        line = screen.query_one("#results").render_line(1).text
        assert "[b]Zqx[/b] [REC]" in line, line
