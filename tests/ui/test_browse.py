"""Browsing against the emulator: paging, drilling down and back, search, sort, errors."""

from __future__ import annotations

from plextui.ui.screens.search import SearchScreen
from plextui.ui.sources import ChildrenSource, SectionSource
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for


async def test_browse_pages_on_demand(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        assert isinstance(main.source, SectionSource)
        assert main.items.total == 120
        assert main.items.held_pages == (0,)  # one page, not the section
        await pilot.press("end")
        await wait_for(pilot, lambda: main.items.current is not None)
        assert main.items.cursor == 119


async def test_small_pages_load_as_you_scroll(settings):
    import dataclasses

    from plextui.ui.app import make_app

    ui = dataclasses.replace(settings.ui, page_size=20)
    app = make_app(dataclasses.replace(settings, ui=ui), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        items = main_screen(app).items
        assert 0 in items.held_pages and 3 not in items.held_pages
        await pilot.press("pagedown", "pagedown")
        await wait_for(pilot, lambda: items.current is not None)
        assert items.cursor > 40 and len(items.held_pages) < 6


async def test_shift_letter_jumps(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        items = main_screen(app).items
        await pilot.press("E")
        await wait_for(pilot, lambda: items.cursor > 0)
        assert items.source.key(items.current).startswith("e")


async def test_drill_down_and_back(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("lib:2")
        await wait_for(pilot, lambda: main.items.total and main.source.title == "TV Shows")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(main.source, ChildrenSource) and main.items.total)
        assert main.items.current.kind == "season"
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(main.stack) == 3 and main.items.total)
        await wait_for(pilot, lambda: main.items.current is not None)
        assert main.items.current.kind == "episode"
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(main.stack) == 2 and main.items.current is not None)
        assert main.items.current.kind == "season"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: len(main.stack) == 1 and main.items.current is not None)
        assert main.items.current.kind == "show"


async def test_sort_and_unwatched_filter(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await pilot.press("u")
        await wait_for(pilot, lambda: main.items.total and main.items.total < 120)
        assert all(not main.items.row(i).watched for i in range(main.items.total))
        await pilot.press("o")
        await pilot.press("down", "down", "enter")  # Title, Recently added, Year
        await wait_for(pilot, lambda: main.source.sort == "year" and main.items.current)
        years = [main.items.row(i).year for i in range(5)]
        assert years == sorted(years, reverse=True)


async def test_same_sort_again_flips_it_and_each_library_remembers(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        first = main.items.current.title
        await pilot.press("o", "enter")  # the dialog opens on Title: again, Z to A
        await wait_for(pilot, lambda: main.source.reverse and main.items.current)
        titles = [main.source.key(main.items.row(i)) for i in range(5)]
        assert titles == sorted(titles, reverse=True) and main.items.current.title != first
        assert "Title ▼" in str(main.query_one("#listhead").render())
        assert "sorted by Title ▼" in str(main.query_one("#crumbs").render())
        await pilot.press("o", "down", "down", "enter")  # Year: newest first
        await wait_for(pilot, lambda: main.source.sort == "year" and main.items.current)
        assert "Year ▼" in str(main.query_one("#listhead").render())
        await pilot.press("o", "enter")  # the dialog opens on Year: again, oldest first
        await wait_for(pilot, lambda: main.source.reverse and main.items.current)
        years = [main.items.row(i).year for i in range(5)]
        assert years == sorted(years) and "Year ▲" in str(main.query_one("#listhead").render())
        main.open_place("lib:2")
        await wait_for(pilot, lambda: main.source.title == "TV Shows" and main.items.current)
        assert main.source.sort == "title" and not main.source.reverse
        main.open_place("lib:1")
        await wait_for(pilot, lambda: main.source.title == "Movies" and main.items.current)
        assert (main.source.sort, main.source.reverse) == ("year", True)
        assert main.items.current.year == years[0]


async def test_search_groups_and_opens(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        title = main_screen(app).items.row(3).title
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*title)
        results = app.screen.query_one("#results")
        await wait_for(pilot, lambda: results.option_count > 1)
        assert results.get_option_at_index(0).disabled  # the "Movies" group header
        assert "Movies" in str(results.get_option_at_index(0).prompt)


async def test_error_when_server_dies_mid_browse(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        emu.stop()
        main_screen(app).open_place("lib:2")
        await wait_for(pilot, lambda: "cannot reach" in notes(app), timeout=10)
        assert app.is_running
