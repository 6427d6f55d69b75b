"""Work the first screen no longer does: the poster grid is mounted only when `g` first
asks for it (screens/gridmode.py), not composed hidden on every start."""

from __future__ import annotations

from plextui.ui.widgets.grid import PosterGrid
from tests.ui.conftest import main_screen, ready
from tests.ui.drive import until

SIZE = (120, 36)


async def test_the_poster_grid_is_mounted_when_g_first_asks_for_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        assert not main.query(PosterGrid)
        await pilot.press("g")
        await until(pilot, lambda: main.query_one(PosterGrid).display)
        assert app.focused is main.query_one(PosterGrid) and not main.items.display
        await pilot.press("g")
        await until(pilot, lambda: main.items.display)
        assert not main.query_one(PosterGrid).display and app.focused is main.items
