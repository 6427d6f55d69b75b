"""PosterGrid: the rows of an ItemList as a grid of posters, each with its title under it.

The grid holds no rows of its own: it is another view of the list (`ItemList.viewer`),
so the paging is the list's (pages near the cells on screen are kept, far ones dropped)
and so are the cursor, the marks and every key that acts on the highlighted row. Only
the cells on screen exist, a pool sized to the widget and rebuilt when it is resized.
Each cell draws its poster through widgets/poster.Poster, as the detail pane does, and
the pool shares one cache of decoded images, so the images held are the cells' own plus
at most poster.KEEP more.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from plextui.ui.widgets.cells import MARK, fit
from plextui.ui.widgets.itemlist import ItemList
from plextui.ui.widgets.poster import Poster

CELL_W = 18  # columns of a cell: a 16-cell poster inside a border
CELL_H = 15  # lines of a cell: a 12-line poster, its title and the border
CHROME = 3  # lines of a cell that are not poster (border and title)


class GridCell(Vertical):
    """One poster and its title; `-cursor` outlines the highlighted one."""

    DEFAULT_CSS = """
    GridCell { width: 18; height: 15; border: blank; }
    GridCell.-cursor { border: round $accent; }
    GridCell > .grid-title { height: 1; width: 100%; }
    GridCell.-cursor > .grid-title { text-style: bold; }
    """

    def __init__(self, rows: int, cache: OrderedDict[str, Any]) -> None:
        super().__init__()
        self.styles.height = rows + CHROME
        self.poster = Poster(width=CELL_W - 2, max_rows=rows)
        self.poster._cache = cache  # one cache for the whole pool (see the module docstring)
        self.title = Static("", classes="grid-title")
        self.index = -1
        self.ready = False  # composed: the poster can be drawn

    def compose(self) -> ComposeResult:
        yield self.poster
        yield self.title

    def on_mount(self) -> None:
        self.ready = True

    def draw(self, index: int, item: Any, title: str, cursor: bool) -> None:
        self.index = index
        self.styles.visibility = "visible"
        self.set_class(cursor, "-cursor")
        self.poster.show(item)
        self.title.update(fit(title, CELL_W - 2))

    def blank(self) -> None:
        self.index = -1
        self.styles.visibility = "hidden"


class PosterGrid(Widget, can_focus=True):
    """Arrows move by cell and by row, enter opens or plays (as in the list)."""

    BINDINGS = [
        Binding("left", "move(-1)", "Left", show=False, id="grid.left"),
        Binding("right", "move(1)", "Right", show=False, id="grid.right"),
        Binding("up,k", "rows(-1)", "Up", show=False, id="grid.up"),
        Binding("down,j", "rows(1)", "Down", show=False, id="grid.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="grid.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="grid.page_down"),
        Binding("home", "first", "First", show=False, id="grid.first"),
        Binding("end", "last", "Last", show=False, id="grid.last"),
        Binding("enter", "select", "Open/Play", id="grid.select"),
    ]
    DEFAULT_CSS = """
    PosterGrid { display: none; layout: grid; grid-size: 1; grid-columns: 18; grid-rows: auto; }
    PosterGrid { height: 1fr; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: ItemList | None = None
        self.cols, self.rows, self.poster_rows = 0, 0, 0
        self.top = 0  # the first grid row on screen
        self.decoded: OrderedDict[str, Any] = OrderedDict()
        self._building = self._again = False

    # --- following a list ------------------------------------------------------------

    def follow(self, items: ItemList) -> None:
        """Show `items`' rows until `leave`."""
        self.items = items
        items.viewer = self
        self.call_after_refresh(self._relayout)

    def leave(self) -> None:
        if self.items is not None and self.items.viewer is self:
            self.items.viewer = None
        self.items = None

    def view(self) -> tuple[int, int]:
        first = self.top * max(1, self.cols)
        return first, first + max(1, self.cols * self.rows) - 1

    def arrived(self) -> None:
        self.draw()

    # --- layout ----------------------------------------------------------------------

    async def on_resize(self, event: events.Resize) -> None:
        await self._relayout()

    async def _relayout(self) -> None:
        """A pool of cells for the size: as many columns as fit, as many rows as fit, and
        one shorter row when not even one full-height row does. One at a time: a resize
        during a rebuild rebuilds again after it."""
        if self._building:
            self._again = True
            return
        self._building = True
        try:
            await self._build()
            while self._again:
                self._again = False
                await self._build()
        finally:
            self._building = False
        self.draw()

    async def _build(self) -> None:
        width, height = self.size
        if not width or not height:
            return
        cols = max(1, width // CELL_W)
        rows = max(1, height // CELL_H)
        poster_rows = min(CELL_H, height) - CHROME if height < CELL_H else CELL_H - CHROME
        shape = (cols, rows, max(2, poster_rows))
        if shape != (self.cols, self.rows, self.poster_rows):
            self.cols, self.rows, self.poster_rows = shape
            self.styles.grid_size_columns = cols
            await self.remove_children()
            await self.mount_all(
                GridCell(self.poster_rows, self.decoded) for _ in range(cols * rows)
            )

    def draw(self) -> None:
        """Put the rows around the cursor in the cells; missing pages are asked for."""
        items = self.items
        cells = [cell for cell in self.query(GridCell) if cell.ready]
        if self._building or items is None or items.source is None or not cells or not self.cols:
            return
        row_of_cursor = items.cursor // self.cols
        if row_of_cursor < self.top:
            self.top = row_of_cursor
        elif row_of_cursor >= self.top + self.rows:
            self.top = row_of_cursor - self.rows + 1
        first = self.top * self.cols
        for offset, cell in enumerate(cells):
            index = first + offset
            if index >= items.total:
                cell.blank()
                continue
            row = items.row(index)
            if row is None:
                items.want(index)
                cell.draw(index, None, "…", index == items.cursor)
                continue
            item = items.source.item(row)
            title = items.source.cells(row)[1]
            if items.marked and item is not None and item.rating_key in items.marked:
                title = f"{MARK} {title}"
            cell.draw(index, item, title, index == items.cursor)
        ahead = first + 2 * len(cells)  # the next screen's page, before it is needed
        if ahead < items.total and items.row(ahead) is None:
            items.want(ahead)

    # --- keys and mouse --------------------------------------------------------------

    def _go(self, index: int) -> None:
        items = self.items
        if items is not None and items.total:
            items.cursor = max(0, min(items.total - 1, index))
            self.draw()

    def action_move(self, delta: int) -> None:
        if self.items is not None:
            self._go(self.items.cursor + delta)

    def action_rows(self, delta: int) -> None:
        self.action_move(delta * max(1, self.cols))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.cols * self.rows))

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        if self.items is not None:
            self._go(self.items.total - 1)

    def action_select(self) -> None:
        if self.items is not None:
            self.items.action_select()

    async def on_key(self, event: events.Key) -> None:
        """Shift+letter jumps as in the list."""
        if self.items is not None:
            await self.items.on_key(event)

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        while widget is not None and not isinstance(widget, GridCell):
            widget = widget.parent  # type: ignore[assignment]
        if isinstance(widget, GridCell) and widget.index >= 0 and self.items is not None:
            if widget.index == self.items.cursor and event.chain > 1:
                self.action_select()
            self._go(widget.index)
