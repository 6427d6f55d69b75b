"""SearchScreen: search as you type across libraries, results grouped by kind.

Typing restarts a short timer; only a pause of 300 ms sends a query, and a newer query
cancels an older one still in flight (exclusive worker), so results never arrive out
of order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from plextui.core.models import MediaItem
from plextui.errors import PlextuiError
from plextui.ui.screens.dialogs import CANCEL

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime

DEBOUNCE = 0.3
GROUPS = [
    ("movie", "Movies"),
    ("show", "Shows"),
    ("season", "Seasons"),
    ("episode", "Episodes"),
    ("artist", "Artists"),
    ("album", "Albums"),
    ("track", "Tracks"),
]


def grouped(items: list[MediaItem]) -> list[tuple[str, list[MediaItem]]]:
    return [
        (label, found) for kind, label in GROUPS if (found := [i for i in items if i.kind == kind])
    ]


class SearchScreen(ModalScreen[MediaItem | None]):
    BINDINGS = CANCEL

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.rt = runtime
        self._timer: Timer | None = None
        self._found: dict[str, MediaItem] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Label("Search every library", classes="dialog-title")
            yield Input(placeholder="Title, show, artist…", id="query")
            yield OptionList(id="results")
            yield Label(
                "↓ to the results · enter opens or plays · escape closes", classes="dialog-note"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        query = event.value.strip()
        if query:
            self._timer = self.set_timer(DEBOUNCE, lambda: self.search(query))

    @on(Input.Submitted)
    def _to_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = next(
                (
                    i
                    for i in range(results.option_count)
                    if not results.get_option_at_index(i).disabled
                ),
                None,
            )

    def key_down(self) -> None:
        if self.query_one(Input).has_focus:
            self._to_results()

    @work(group="search", exclusive=True)
    async def search(self, query: str) -> None:
        results = self.query_one(OptionList)
        try:
            items = await self.rt.service.search(query, limit=30)
        except PlextuiError as error:
            self.notify(str(error), title="Search", severity="error")
            return
        self._found = {i.rating_key: i for i in items}
        results.clear_options()
        if not items:
            results.add_option(Option(f"No results for '{query}'", disabled=True))
            return
        for label, found in grouped(items):
            results.add_option(Option(f"[b]{escape(label)}[/b]", disabled=True))
            for item in found:
                results.add_option(Option(f"  {item.display_title}", id=item.rating_key))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._found.get(event.option.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
