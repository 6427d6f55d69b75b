"""ItemList: a virtual list over a Source that holds only the pages near the view.

A 100 000-item section costs one page request per screenful: rows are drawn with the
Line API from a window of pages, missing pages are fetched in workers and drawn as `…`
until they arrive. Pages far from the view are dropped (a few screens' worth are kept),
so memory stays flat however far a user scrolls; scrolling back refetches them, from
the service's cache when it has them. Jumping to the end or to a letter needs no more
than a few pages. A grid of posters (widgets/grid.py) can show the same rows: it sets
`viewer`, and then its cells, not these lines, are the view pages are kept near.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from plextui.errors import PlextuiError
from plextui.ui.sources import Source
from plextui.ui.widgets.cells import MARK, fit, join_cells, layout

WINDOW = 5  # pages held at least; more only when one screen spans more pages


class Viewer(Protocol):
    """Another view of the list's rows (the poster grid) while it is shown instead."""

    def view(self) -> tuple[int, int]:
        """The first and last row index on screen."""
        ...

    def arrived(self) -> None:
        """A page came in: redraw what was waiting for it."""
        ...


class ItemList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of the current Source; posts Highlighted and Selected."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open/Play", id="list.select"),
    ]
    COMPONENT_CLASSES = {"itemlist--cursor", "itemlist--pending", "itemlist--marker"}
    DEFAULT_CSS = """
    ItemList > .itemlist--cursor { background: $boost; }
    ItemList:focus > .itemlist--cursor { background: $accent 40%; text-style: bold; }
    ItemList > .itemlist--pending { color: $text-muted; }
    ItemList > .itemlist--marker { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, row: Any, index: int) -> None:
            self.row, self.index = row, index
            super().__init__()

    class Selected(Message):
        def __init__(self, row: Any, index: int) -> None:
            self.row, self.index = row, index
            super().__init__()

    class Loaded(Message):
        """The first page of a source arrived (or failed): the header can say how many."""

        def __init__(self, total: int, error: str | None = None) -> None:
            self.total, self.error = total, error
            super().__init__()

    class ColumnsChanged(Message):
        """A row wider than its column arrived, or the width changed: redraw the header."""

    def __init__(self, page_size: int = 100, window: int = WINDOW, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_size = page_size
        self.window = window
        self.source: Source | None = None
        self.total = 0
        self._pages: dict[int, list[Any]] = {}
        self._loading: set[int] = set()
        self._generation = 0
        self._widths: list[int] = []
        self._drawn_width = 0
        self.marked: dict[str, Any] = {}  # rows marked for a bulk edit, by rating key
        self.viewer: Viewer | None = None  # the grid, while it shows these rows

    # --- data ---------------------------------------------------------------------------

    def load(self, source: Source, cursor: int = 0) -> None:
        """Show `source`, fetching its first page (and the one under `cursor`); marks
        belong to one source and go when another is shown."""
        if source is not self.source:
            self.marked.clear()
        self.source = source
        self._generation += 1
        self._pages.clear()
        self._loading.clear()
        self._widths = [
            max(minimum, cell_len(label)) if minimum else 0
            for label, (_, minimum) in zip(source.labels(), source.columns, strict=True)
        ]
        self.total = 0
        self.virtual_size = Size(self.size.width, 0)
        self._pending_cursor = cursor
        self._request(cursor // self.page_size)
        self.refresh()

    def reload(self) -> None:
        """Drop held pages (after an edit) and refetch, keeping the cursor."""
        if self.source is not None:
            self.load(self.source, self.cursor)

    @property
    def held_pages(self) -> tuple[int, ...]:
        """The page numbers held in memory now (at most `page_limit`)."""
        return tuple(sorted(self._pages))

    @property
    def page_limit(self) -> int:
        """How many pages the list holds: the window, or one screen and a page either side."""
        first, last = self._view()
        return max(self.window, math.ceil((last - first + 1) / self.page_size) + 3)

    def _view(self) -> tuple[int, int]:
        """The first and last row index on screen, in these lines or in the viewer's cells."""
        if self.viewer is not None:
            return self.viewer.view()
        top = self.scroll_offset.y
        return top, top + max(1, self.size.height) - 1

    def row(self, index: int) -> Any | None:
        page = self._pages.get(index // self.page_size)
        if page is None:
            return None
        offset = index % self.page_size
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> Any | None:
        return self.row(self.cursor)

    def _mark_key(self, row: Any) -> str | None:
        item = self.source.item(row) if self.source is not None else None
        return item.rating_key if item is not None and item.kind != "playlist" else None

    def toggle_mark(self) -> bool:
        """Mark or unmark the highlighted row (items only) and step down; False when the
        row is not an item that can be marked."""
        row = self.current
        key = self._mark_key(row) if row is not None else None
        if key is None:
            return False
        if self.marked.pop(key, None) is None:
            self.marked[key] = self.source.item(row)  # type: ignore[union-attr]
        self.refresh_line_at(self.cursor)
        self.action_move(1)
        return True

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    def want(self, index: int) -> None:
        """Fetch the page holding row `index` if it is not held (a viewer's missing cell)."""
        self.call_later(self._request, index // self.page_size)

    def _request(self, page: int) -> None:
        if page in self._pages or page in self._loading or page < 0 or self.source is None:
            return
        if self.total and page * self.page_size >= self.total:
            return
        self._loading.add(page)
        self.run_worker(self._fetch(page, self._generation), group="pages")

    async def _fetch(self, page: int, generation: int) -> None:
        assert self.source is not None
        try:
            rows, total = await self.source.fetch(page * self.page_size, self.page_size)
        except PlextuiError as error:
            if generation == self._generation:
                self._loading.discard(page)
                self.post_message(self.Loaded(self.total, str(error)))
            return
        if generation != self._generation:
            return
        self._loading.discard(page)
        self._keep(page, rows)
        first = self.total == 0
        self.total = total
        self.virtual_size = Size(self.size.width, total)
        if first:
            self.post_message(self.Loaded(total))
            self.cursor = min(getattr(self, "_pending_cursor", 0), max(0, total - 1))
        elif page == self.cursor // self.page_size:
            self._announce()
        self.refresh()
        if self.viewer is not None:
            self.viewer.arrived()

    async def get(self, index: int) -> Any | None:
        """A row, fetching its page if needed (for letter jumps and moves)."""
        found = self.row(index)
        if found is None and self.source is not None:
            generation = self._generation
            page = index // self.page_size
            rows, total = await self.source.fetch(page * self.page_size, self.page_size)
            if generation != self._generation:  # the list moved on (Esc, new sort) meanwhile
                return None
            offset = index % self.page_size
            found = rows[offset] if offset < len(rows) else None
            self.total = total
            self._keep(page, rows)  # may be dropped at once when far from the view
        return found

    def _keep(self, page: int, rows: list[Any]) -> None:
        """Hold a page, measure its cells, and drop the pages farthest from the view."""
        self._pages[page] = rows
        self._measure(rows)
        if len(self._pages) <= self.page_limit:
            return
        first, last = self._view()
        top, bottom = first // self.page_size, last // self.page_size
        here = self.cursor // self.page_size

        def distance(number: int) -> int:
            if top <= number <= bottom or number == here:
                return 0
            return min(abs(number - top), abs(number - bottom), abs(number - here))

        for number in sorted(self._pages, key=distance, reverse=True):
            if len(self._pages) <= self.page_limit or distance(number) == 0:
                break
            del self._pages[number]

    def _measure(self, rows: list[Any]) -> None:
        """Grow each sized column to its widest cell, so lengths and counts are never cut."""
        assert self.source is not None
        widths = list(self._widths)
        for row in rows:
            for column, cell in enumerate(self.source.cells(row)):
                if widths[column]:
                    widths[column] = max(widths[column], cell_len(cell))
        if widths != self._widths:
            self._widths = widths
            self.post_message(self.ColumnsChanged())

    def header(self) -> str:
        """The column labels, laid out as the rows are (a scrollbar takes its share)."""
        if self.source is None:
            return ""
        width = self.scrollable_content_region.width
        return join_cells(self.source.labels(), layout(self._widths, max(20, width)))

    # --- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if width != self._drawn_width:  # resized, or a scrollbar came or went
            self._drawn_width = width
            self.post_message(self.ColumnsChanged())
        if self.source is None or index >= self.total:
            return Strip.blank(width, self.rich_style)
        row = self.row(index)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("itemlist--cursor")
        if row is None:
            self.call_later(self._request, index // self.page_size)
            pending = self.get_component_rich_style("itemlist--pending")
            return Strip([Segment(fit("  …", width), base + pending)], width)
        if index % self.page_size > self.page_size * 3 // 4:
            self.call_later(self._request, index // self.page_size + 1)
        cells = self.source.cells(row)
        if self.marked and self._mark_key(row) in self.marked:
            cells = (MARK, *cells[1:])
        widths = layout(self._widths, width)
        mark = self.get_component_rich_style("itemlist--marker")
        segments = [
            Segment(fit(cells[0], widths[0]), base + mark),
            Segment(" " + join_cells(cells[1:], widths[1:]), base),
        ]
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line_at(old)
        self.refresh_line_at(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self._announce()

    def refresh_line_at(self, index: int) -> None:
        self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))

    def _announce(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Highlighted(row, self.cursor))

    # --- keys and mouse -----------------------------------------------------------------

    def _clamp(self, index: int) -> int:
        return max(0, min(self.total - 1, index))

    def action_move(self, delta: int) -> None:
        if self.total:
            self.cursor = self._clamp(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.action_move(-self.total)

    def action_last(self) -> None:
        self.action_move(self.total)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row, self.cursor))

    async def _on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.total:
            if index == self.cursor and event.chain > 1:
                self.action_select()
            self.cursor = index

    async def on_key(self, event: events.Key) -> None:
        """Shift+letter jumps to the first title with that letter, unless the letter is bound."""
        char = event.character or ""
        if char in self.screen.active_bindings:
            return  # D (Discord), S (Stats), R (repeat) … are actions, not jumps
        if len(char) == 1 and char.isalpha() and char.isupper():
            event.stop()
            event.prevent_default()
            self.run_worker(self.jump(char.lower()), group="jump", exclusive=True)

    async def jump(self, letter: str) -> None:
        if self.source is None or not self.total:
            return
        try:
            if self.source.by_title:
                index = await self.source.letter_index(letter)
                if index is None:
                    index = await self._bisect(letter)
            else:
                index = next(
                    (
                        i
                        for i in range(self.total)
                        if (row := self.row(i)) is not None
                        and self.source.key(row).startswith(letter)
                    ),
                    None,
                )
        except PlextuiError as error:
            self.notify(str(error), severity="error")
            return
        if index is not None:
            self.cursor = self._clamp(index)

    async def _bisect(self, letter: str) -> int:
        """First row whose sort title is >= letter; a few pages, not the section."""
        assert self.source is not None
        low, high = 0, self.total
        while low < high:
            mid = (low + high) // 2
            row = await self.get(mid)
            if row is not None and self.source.key(row) < letter:
                low = mid + 1
            else:
                high = mid
        return low
