"""The poster grid as MainScreen's other view of a library (`g` toggles it).

Which libraries show as a grid is a setting, `ui.grid_libraries` (library titles), saved
when `g` is pressed, so a library opens the way it was left, after a restart too. Only a
library's own listing is a grid; what opens from it (seasons, albums) is a list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen
from textual.widgets import Static

from plextui import config
from plextui.errors import ConfigError
from plextui.ui.sources import SectionSource
from plextui.ui.widgets.grid import PosterGrid
from plextui.ui.widgets.itemlist import ItemList

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime
    from plextui.ui.sources import Source


class GridMode(Screen):
    """Mixed into MainScreen, which provides `rt`, `items` and `source`."""

    rt: Runtime
    items: ItemList
    source: Source | None

    def _grid_title(self) -> str | None:
        """The library title a grid is remembered by, when the list is a library's own."""
        source = self.source
        if isinstance(source, SectionSource) and source.library is not None:
            return source.library.title
        return None

    def grid_allowed(self) -> bool:
        return self._grid_title() is not None

    def fit_view(self) -> None:
        """Show the grid or the list, as the setting says for what is shown now."""
        title = self._grid_title()
        wanted = title is not None and title.casefold() in {
            t.casefold() for t in self.rt.settings.ui.grid_libraries
        }
        grid = next(iter(self.query(PosterGrid)), None)
        focused = self.focused is not None and self.focused in (grid, self.items)
        if wanted and grid is None:  # mounted when first wanted: most never ask for it
            grid = PosterGrid(id="grid")
            self.query_one("#center").mount(grid)
        if grid is not None:
            if wanted and grid.items is None:
                grid.follow(self.items)
            elif not wanted and grid.items is not None:
                grid.leave()
            grid.display = wanted
        self.items.display = not wanted
        self.query_one("#listhead", Static).display = not wanted
        if focused:
            (grid if wanted else self.items).focus()

    def action_grid(self) -> None:
        title = self._grid_title()
        if title is None:
            return
        chosen = list(self.rt.settings.ui.grid_libraries)
        same = [t for t in chosen if t.casefold() == title.casefold()]
        chosen = [t for t in chosen if t not in same] if same else [*chosen, title]
        try:
            config.set_value("ui.grid_libraries", chosen)
        except (ConfigError, OSError) as error:  # still toggled, for this run
            reason = error.strerror if isinstance(error, OSError) else str(error)
            self.notify(f"Grid not remembered: {reason}", severity="warning")
        self.app.apply_setting("ui.grid_libraries", chosen)  # type: ignore[attr-defined]

    @on(ItemList.Highlighted)
    def _grid_follows(self, event: ItemList.Highlighted) -> None:
        for grid in self.query(PosterGrid):
            if grid.items is not None:
                grid.draw()
