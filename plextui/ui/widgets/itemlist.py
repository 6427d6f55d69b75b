"""ItemList: a virtual list over a Source that fetches only the pages on screen.

A 100 000-item section costs one page request per screenful: rows are drawn with the
Line API from a page cache, missing pages are fetched in workers and drawn as `…` until
they arrive. Jumping to the end or to a letter needs no more than a few pages.
"""

from __future__ import annotations

from typing import Any

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


def fit(text: str, width: int) -> str:
    """Cut to `width` cells with an ellipsis, padded on the right."""
    if len(text) > width:
        text = text[: max(0, width - 1)] + "…" if width > 0 else ""
    return text.ljust(width)


def layout(columns: tuple[tuple[str, int], ...], width: int) -> list[int]:
    """Column widths: fixed ones as given, the 0-width (title) column takes the rest."""
    fixed = sum(w for _, w in columns) + len(columns) - 1
    return [w or max(8, width - fixed) for _, w in columns]


def header_text(columns: tuple[tuple[str, int], ...], width: int) -> str:
    widths = layout(columns, width)
    return " ".join(fit(label, w) for (label, _), w in zip(columns, widths, strict=True))


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

    def __init__(self, page_size: int = 100, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_size = page_size
        self.source: Source | None = None
        self.total = 0
        self._pages: dict[int, list[Any]] = {}
        self._loading: set[int] = set()
        self._generation = 0

    # --- data ---------------------------------------------------------------------------

    def load(self, source: Source, cursor: int = 0) -> None:
        """Show `source`, fetching its first page (and the one under `cursor`)."""
        self.source = source
        self._generation += 1
        self._pages.clear()
        self._loading.clear()
        self.total = 0
        self.virtual_size = Size(self.size.width, 0)
        self._pending_cursor = cursor
        self._request(cursor // self.page_size)
        self.refresh()

    def reload(self) -> None:
        """Drop cached pages (after an edit) and refetch, keeping the cursor."""
        if self.source is not None:
            self.load(self.source, self.cursor)

    def row(self, index: int) -> Any | None:
        page = self._pages.get(index // self.page_size)
        if page is None:
            return None
        offset = index % self.page_size
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> Any | None:
        return self.row(self.cursor)

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
        self._pages[page] = rows
        first = self.total == 0
        self.total = total
        self.virtual_size = Size(self.size.width, total)
        if first:
            self.post_message(self.Loaded(total))
            self.cursor = min(getattr(self, "_pending_cursor", 0), max(0, total - 1))
        elif page == self.cursor // self.page_size:
            self._announce()
        self.refresh()

    async def get(self, index: int) -> Any | None:
        """A row, fetching its page if needed (for letter jumps)."""
        if self.row(index) is None and self.source is not None:
            generation = self._generation
            page = index // self.page_size
            rows, total = await self.source.fetch(page * self.page_size, self.page_size)
            if generation != self._generation:  # the list moved on (Esc, new sort) meanwhile
                return None
            self._pages[page] = rows
            self.total = total
        return self.row(index)

    # --- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
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
        widths = layout(self.source.columns, width)
        mark = self.get_component_rich_style("itemlist--marker")
        segments = [Segment(fit(cells[0], widths[0]), base + mark)]
        rest = " ".join(fit(c, w) for c, w in zip(cells[1:], widths[1:], strict=True))
        segments.append(Segment(" " + rest, base))
        return Strip(segments, width).crop(0, width).extend_cell_length(width, base)

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
