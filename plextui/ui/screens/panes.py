"""Which panes MainScreen shows at its width: the list wins at any size.

As the terminal narrows the poster goes first (COMPACT_BELOW), then the detail pane
(DETAIL_FROM), then the sidebar (SIDEBAR_FROM); the panes that gave way come back with a
key (b places, v details), and the sidebar called up by `b` goes again once a place is
chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.screen import Screen

from plextui.ui.widgets.itemlist import ItemList

COMPACT_BELOW = 116  # columns: narrower, no poster and narrower panes
DETAIL_FROM = 100  # columns: narrower, the detail pane waits behind `v`
SIDEBAR_FROM = 72  # columns: narrower, the sidebar waits behind `b`


def panes_at(width: int) -> dict[str, bool]:
    """Which panes a `width`-column screen shows before any key asks otherwise."""
    return {"sidebar": width >= SIDEBAR_FROM, "detail": width >= DETAIL_FROM}


class Panes(Screen):
    """Mixed into MainScreen, which provides `items` and draws its list header."""

    items: ItemList
    _asked: dict[str, bool]  # panes shown or hidden by key, over panes_at
    _draw_header: Callable[[], None]

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Show the panes `width` has room for (or that a key asked for)."""
        shown = panes_at(width) | self._asked
        self.set_class(width < COMPACT_BELOW, "-compact")
        self.set_class(not shown["sidebar"], "-no-sidebar")
        self.set_class(not shown["detail"], "-no-detail")
        self.refresh_bindings()
        self.call_after_refresh(self._draw_header)

    def _toggle(self, pane: str) -> None:
        width = self.size.width
        shown = (panes_at(width) | self._asked)[pane]
        self._asked[pane] = not shown
        if self._asked[pane] == panes_at(width)[pane]:
            del self._asked[pane]
        self._fit(width)

    def action_places(self) -> None:
        """`b`: the sidebar, where it gave way; it goes again once a place is chosen."""
        self._toggle("sidebar")
        if not self.has_class("-no-sidebar"):
            self.query_one("#sidebar").focus()
        elif self.focused is None or self.focused.id == "sidebar":
            self.items.focus()

    def action_details(self) -> None:
        """`v`: the detail pane, where it gave way."""
        self._toggle("detail")
