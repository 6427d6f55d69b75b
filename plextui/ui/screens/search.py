"""SearchScreen: search as you type across libraries, results grouped by kind.

Typing restarts a short timer; only a pause of 300 ms sends a query, and a newer query
cancels an older one still in flight (exclusive worker), so results never arrive out
of order. From the first key until the answer the results say "searching…", so what was
listed for an older query cannot be chosen. Enter in the box takes the top hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from plextui.core.models import MediaItem
from plextui.errors import PlextuiError
from plextui.ui.screens.dialogs import CANCEL
from plextui.ui.screens.views import UP

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


def listed(items: list[MediaItem]) -> list[Option]:
    """The results as options, a header over each kind. Prompts are Content, not markup:
    a list of 150 hits has nothing to parse before it shows."""
    options = []
    for label, found in grouped(items):
        options.append(Option(Content.styled(label, "bold"), disabled=True))
        options += [Option(Content(f"  {i.display_title}"), id=i.rating_key) for i in found]
    return options


class SearchScreen(ModalScreen[MediaItem | None]):
    BINDINGS = [*CANCEL, Binding("h", "up_level", "Go to season/show", show=False, id="up_level")]

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.rt = runtime
        self._timer: Timer | None = None
        self._found: dict[str, MediaItem] = {}  # what the results on screen stand for
        self._submitted = False  # enter came before the results: take the top hit then

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Label("Search every library", classes="dialog-title")
            yield Input(placeholder="Title, show, artist…", id="query")
            yield OptionList(id="results")
            yield Label(
                "enter plays the top hit · ↓ to the results · h its season · escape closes",
                classes="dialog-note",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def results(self) -> OptionList:
        return self.query_one("#results", OptionList)

    def _say(self, text: str) -> None:
        """One line in place of the results; what was listed can no longer be chosen."""
        self._found = {}
        self.results.set_options(
            [Option(Content.styled(text, "dim"), disabled=True)] if text else []
        )

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.workers.cancel_group(self, "search")
        self._submitted = False
        query = event.value.strip()
        self._say("searching…" if query else "")
        if query:
            self._timer = self.set_timer(DEBOUNCE, lambda: self.search(query))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        """Enter in the box: the top hit, now or as soon as the search answers."""
        query = event.value.strip()
        if not query:
            return
        if self._found:
            self._take_top()
            return
        self._submitted = True
        if self._timer is not None:  # no need to wait out the pause in typing
            self._timer.stop()
            self._timer = None
            self.search(query)

    def _first_result(self) -> int | None:
        results = self.results
        return next(
            (i for i in range(results.option_count) if not results.get_option_at_index(i).disabled),
            None,
        )

    def _take_top(self) -> None:
        first = self._first_result()
        if first is not None:
            self.dismiss(self._found.get(self.results.get_option_at_index(first).id or ""))

    def on_key(self, event: events.Key) -> None:
        """↓ in the box moves to the first result (the key goes no further)."""
        if event.key == "down" and self.query_one(Input).has_focus:
            event.stop()
            event.prevent_default()
            first = self._first_result()
            if first is not None:
                self.results.focus()
                self.results.highlighted = first

    @work(group="search", exclusive=True)
    async def search(self, query: str) -> None:
        self._timer = None
        try:
            items = await self.rt.service.search(query, limit=30)
        except PlextuiError as error:
            self._submitted = False
            self._say(f"search failed: {error}")
            return
        if self.query_one(Input).value.strip() != query:
            return  # typed on meanwhile; that query's search is on its way
        if items:
            self.results.set_options(listed(items))  # in one go: re-measured once
        else:
            self._say(f"No results for '{query}'")
        self._found = {i.rating_key: i for i in items}
        if self._submitted:
            self._submitted = False
            self._take_top()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        item = self._found.get(event.option.id or "")
        if item is not None:
            self.dismiss(item)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _hit(self) -> MediaItem | None:
        option = self.results.highlighted_option
        return self._found.get(option.id or "") if option is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "up_level":  # in the results, on an episode, season, track or album
            hit = self._hit()
            return self.results.has_focus and hit is not None and hit.kind in UP
        return True

    def action_up_level(self) -> None:
        """`h` on a hit: its season (or show, album, artist) in the library, not played."""
        hit = self._hit()
        if hit is not None:
            self.dismiss(None)
            self.app._main().go_up_from(hit)  # type: ignore[attr-defined]
