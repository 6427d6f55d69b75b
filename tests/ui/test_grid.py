"""The poster grid: `g` on a library, remembered in the config; arrows by cell and by row,
enter as in the list; the list's paging (far pages dropped); posters through Poster with
a title under each and a bounded number of decoded images; reflow from 160x48 to 60x20."""

from __future__ import annotations

import dataclasses

import pytest

from plextui import config
from plextui.ui.app import make_app
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.widgets import poster
from plextui.ui.widgets.cells import fit
from plextui.ui.widgets.grid import GridCell, PosterGrid
from tests.ui.conftest import SIZE, main_screen, ready, wait_for

SIZES = [(160, 48), (120, 36), (80, 24), (60, 20)]


def small_pages(settings, size: int = 10):
    return dataclasses.replace(settings, ui=dataclasses.replace(settings.ui, page_size=size))


async def to_grid(pilot) -> PosterGrid:
    """`g` on the first library: the grid, every cell on screen drawn with its poster."""
    main = main_screen(pilot.app)
    await pilot.press("g")
    grid = main.query_one(PosterGrid)
    await wait_for(pilot, lambda: grid.display and grid.cols and grid.query(GridCell))
    await wait_for(pilot, lambda: all(cell.poster.shown for cell in grid.query(GridCell)), 15)
    await pilot.pause(0.2)
    return grid


def titles(grid) -> list[str]:
    return [str(cell.query_one(".grid-title").render()).strip() for cell in grid.query(GridCell)]


async def test_grid_keys_paging_and_memory(settings):
    app = make_app(small_pages(settings), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        items = main.items
        grid = await to_grid(pilot)
        assert config.load().ui.grid_libraries == ["Movies"]
        assert not items.display and app.focused is grid
        cells = grid.cols * grid.rows
        assert grid.cols >= 2 and len(list(grid.query(GridCell))) == cells
        first = [fit(items.source.cells(items.row(i))[1], 16).strip() for i in range(cells)]
        assert titles(grid) == first  # a title under each poster, in the list's order
        await pilot.press("right")
        assert items.cursor == 1 and list(grid.query(GridCell))[1].has_class("-cursor")
        await pilot.press("down")
        assert items.cursor == 1 + grid.cols
        await pilot.press("left", "up")
        assert items.cursor == 0

        for _ in range(12):  # far down the library: pages far from the cells are dropped
            await pilot.press("pagedown")
        await wait_for(pilot, lambda: items.current is not None)
        assert items.cursor >= 12 * cells - 1 or items.cursor == items.total - 1
        assert 0 not in items.held_pages and len(items.held_pages) <= items.page_limit
        await wait_for(pilot, lambda: all(c.poster.shown for c in grid.query(GridCell)), 15)
        held = sum(1 for c in grid.query(GridCell) if c.poster.shown)
        assert len(grid.decoded) <= poster.KEEP and held <= cells  # bounded, not every poster

        await pilot.press("home", "enter")  # a film plays: the player picker, as in the list
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("escape")
        await pilot.press("g")  # back to the list, remembered too
        await wait_for(pilot, lambda: items.display and not grid.display)
        assert app.focused is items and config.load().ui.grid_libraries == []


async def test_grid_remembered_after_a_restart(settings):
    config.set_value("ui.grid_libraries", ["Movies"])
    restarted = dataclasses.replace(settings, ui=config.load().ui)
    app = make_app(restarted, watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        grid = main_screen(app).query_one(PosterGrid)
        await wait_for(pilot, lambda: grid.display and titles(grid) and titles(grid)[0] != "…")
        await pilot.press("g")
        await wait_for(pilot, lambda: not grid.display)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_grid_reflows(settings, size):
    app = make_app(settings, watch_events=False)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        grid = await to_grid(pilot)
        cells = list(grid.query(GridCell))
        assert len(cells) == grid.cols * grid.rows >= 1
        box = grid.region
        for cell in cells:  # every cell whole inside the grid: nothing cut or run off
            assert box.contains_region(cell.region), (cell.region, box)
        assert box.right - max(c.region.right for c in cells) < 18  # no room left for a column
