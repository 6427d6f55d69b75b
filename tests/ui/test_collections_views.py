"""A library's other views (l), Continue Watching tidied (x) and the way up from an
episode (h), driven as a user drives them, against the emulated PMS."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.help import HelpScreen
from plextui.ui.sources import (
    CategorySource,
    ChildrenSource,
    CollectionsSource,
    HubSource,
    SectionSource,
    ShelfSource,
    ShelvesSource,
)
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for


async def choose(pilot, label: str) -> None:
    """Open `l` and pick the choice whose text contains `label`."""
    app = pilot.app
    await pilot.press("l")
    await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
    options = app.screen.query_one("#choices")
    await wait_for(pilot, lambda: options.option_count > 0)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    options.highlighted = next(i for i, p in enumerate(prompts) if label in p)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, ChoiceDialog))


def crumbs(main) -> str:
    return str(main.query_one("#crumbs", Static).render())


async def open_collections(pilot, main):
    """Movies › Collections listed; the first collection under the cursor."""
    await choose(pilot, "Collections")
    await wait_for(pilot, lambda: isinstance(main.source, CollectionsSource) and main.items.total)
    return main.items.current


async def test_collections_open_and_play_whole(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        collection = await open_collections(pilot, main)
        assert collection.kind == "collection" and "Movies › Collections" in crumbs(main)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                isinstance(main.source, ChildrenSource)
                and main.items.total == collection.leaf_count
            ),
        )
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        first = app.screen.query_one("#choices").get_option_at_index(0)
        assert f"Play the whole collection: {collection.title}" in str(first.prompt)
        await pilot.press("escape")
        await pilot.press("backspace", "backspace")  # members → collections → the library
        await wait_for(pilot, lambda: isinstance(main.source, SectionSource))
        assert main.source.filters == {}


async def test_recommended_shelves_and_a_category(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await choose(pilot, "Recommended")
        await wait_for(pilot, lambda: isinstance(main.source, ShelvesSource) and main.items.total)
        assert main.items.current.title == "Recently Added Movies"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(main.source, ShelfSource) and main.items.total)
        assert main.items.current.kind == "movie"
        await choose(pilot, "By genre")
        await wait_for(pilot, lambda: isinstance(main.source, CategorySource) and main.items.total)
        genre = main.items.current
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(main.source, SectionSource) and main.items.total)
        assert main.source.filters == {"genre": genre.key}
        assert f"Genre: {genre.title}" in crumbs(main)


async def test_x_removes_from_continue_watching_and_the_row_leaves(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("ondeck")
        await wait_for(pilot, lambda: isinstance(main.source, HubSource) and main.items.total)
        total, first = main.items.total, main.items.current
        await pilot.press("x")
        await wait_for(pilot, lambda: main.items.total == total - 1)
        await wait_for(pilot, lambda: main.items.current is not None)
        assert main.items.current.rating_key != first.rating_key
        assert f"Removed {first.display_title} from Continue Watching" in notes(app)


async def test_h_goes_up_from_an_episode_to_its_season_then_its_show(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("ondeck")
        await wait_for(pilot, lambda: isinstance(main.source, HubSource) and main.items.total)
        rows = [main.items.row(i) for i in range(main.items.total)]
        main.items.cursor = next(i for i, r in enumerate(rows) if r.kind == "episode")
        episode = main.items.current
        await pilot.press("h")
        await wait_for(
            pilot,
            lambda: (
                isinstance(main.source, ChildrenSource)
                and main.source.parent.kind == "season"
                and main.items.current is not None
            ),
        )
        assert main.items.current.rating_key == episode.rating_key
        assert crumbs(main).startswith(f"TV Shows › {episode.grandparent_title} › ")
        await pilot.press("h")  # in the season's own list: the show, on that season
        await wait_for(
            pilot,
            lambda: (
                isinstance(main.source, ChildrenSource)
                and main.source.parent.kind == "show"
                and main.items.current is not None
            ),
        )
        assert main.items.current.index == episode.parent_index
        await pilot.press("backspace")
        await wait_for(pilot, lambda: isinstance(main.source, SectionSource))


async def test_help_lists_the_new_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one("#help-table")
        rows = [tuple(map(str, table.get_row_at(i)[:2])) for i in range(table.row_count)]
        assert ("l", "Views") in rows and ("h", "Go to season/show") in rows
        assert ("x", "Remove from Continue Watching") in rows


@pytest.mark.parametrize("key", ["h", "u"])  # u: `ui.keymap.up_level = "u"` remaps it here too
async def test_h_on_a_search_hit_opens_its_season_instead_of_playing(settings, key):
    import dataclasses

    from plextui.ui.app import make_app
    from plextui.ui.screens.search import SearchScreen

    keymap = {"up_level": key} if key != "h" else {}
    ui = dataclasses.replace(settings.ui, keymap=keymap)
    app = make_app(dataclasses.replace(settings, ui=ui), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        deck = (await main.rt.service.on_deck()).items
        episode = next(i for i in deck if i.kind == "episode")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        search = app.screen
        await pilot.press("h", "i")  # in the box, h is a letter of the query
        assert search.query_one("#query").value == "hi"
        await pilot.press("backspace", "backspace", *episode.title)
        await wait_for(pilot, lambda: episode.rating_key in search._found)
        await pilot.press("down")
        ids = [search.results.get_option_at_index(i).id for i in range(search.results.option_count)]
        search.results.highlighted = ids.index(episode.rating_key)
        await pilot.press(key)
        await wait_for(
            pilot,
            lambda: (
                isinstance(main.source, ChildrenSource)
                and main.source.parent.kind == "season"
                and main.items.current is not None
            ),
        )
        assert main.items.current.rating_key == episode.rating_key
        assert "Starting" not in notes(app)  # shown where it is, not played


async def test_a_collection_on_this_computer_says_it_plays_the_first_film(settings):
    import dataclasses

    from plextui.ui.app import make_app

    plex = dataclasses.replace(settings.plex, default_player="This computer")
    app = make_app(dataclasses.replace(settings, plex=plex), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        collection = await open_collections(pilot, main)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        first = str(app.screen.query_one("#choices").get_option_at_index(0).prompt)
        assert f"Play the first film of {collection.title}" in first
        assert "This computer plays one item at a time" in first
