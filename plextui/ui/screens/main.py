"""MainScreen: sidebar of places, the list of the current place, and the detail pane.

Navigation is a stack of Sources: Enter on a show, season, artist, album or playlist
pushes one, Esc/Backspace pops back to where the cursor was.

The list wins at any size: as the terminal narrows, the poster, the detail pane and the
sidebar give way in turn (screens/panes.py); a key brings each back.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from plextui.core.models import HistoryEntry, Library, MediaItem, Playlist
from plextui.errors import PlextuiError
from plextui.ui import keys
from plextui.ui.arrange import arranged
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.edits import EditActions
from plextui.ui.screens.gridmode import GridMode
from plextui.ui.screens.panes import Panes, panes_at
from plextui.ui.screens.views import VIEW_ACTIONS, LibraryViews
from plextui.ui.sources import (
    SORT_LABELS,
    ChildrenSource,
    HistorySource,
    HubSource,
    PlaylistItemsSource,
    PlaylistsSource,
    SectionSource,
    Source,
)
from plextui.ui.widgets.detail import DetailPane
from plextui.ui.widgets.footer import KeyFooter
from plextui.ui.widgets.itemlist import ItemList
from plextui.ui.widgets.nowbar import NowPlayingBar
from plextui.ui.widgets.status import StatusLine

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime

CONTAINERS = ("show", "season", "artist", "album", "collection")
PLACES = [
    ("ondeck", "Continue Watching"),
    ("recent", "Recently Added"),
    ("playlists", "Playlists"),
    ("history", "History"),
    ("sessions", "Sessions"),
]
ICONS = {"movie": "▣", "show": "▤", "artist": "♫", "photo": "▨"}
DETAILS_KEPT = 64  # full items (streams and all) kept for the detail pane


class MainScreen(Panes, GridMode, LibraryViews, EditActions):
    BINDINGS = keys.BROWSE

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.rt = runtime
        self.libraries: list[Library] = []
        self.stack: list[tuple[Source, int]] = []
        self._detail_timer: Timer | None = None
        self._details: dict[str, MediaItem] = {}  # the last DETAILS_KEPT items looked at
        self._sorts: dict[str, tuple[str, bool]] = {}  # library key → (sort, reverse)
        self._asked: dict[str, bool] = {}  # panes shown or hidden by key, over panes_at

    def compose(self) -> ComposeResult:
        yield StatusLine(id="topbar")
        with Horizontal(id="body"):
            yield OptionList(id="sidebar")
            with Vertical(id="center"):
                yield Static("", id="crumbs")
                yield Static("", id="listhead")
                yield ItemList(page_size=self.rt.settings.ui.page_size, id="list")
                # the poster grid (#grid) is mounted here when first wanted (gridmode.py)
            yield DetailPane(id="detail")
        yield NowPlayingBar(id="nowbar")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._fit(self.size.width)
        self.query_one(ItemList).focus()
        self.load_libraries()

    @property
    def items(self) -> ItemList:
        return self.query_one(ItemList)

    @property
    def gone(self) -> bool:
        """The screen went while a worker's read was out: another server, or a quit.
        Quitting, Textual removes the screen's widgets before it stops its workers, so
        a worker resuming then finds no sidebar and no list."""
        return not self.is_attached or not self.app.is_running

    @property
    def source(self) -> Source | None:
        return self.stack[-1][0] if self.stack else None

    # --- places ----------------------------------------------------------------------

    @work(group="libraries", exclusive=True)
    async def load_libraries(self) -> None:
        try:
            self.libraries = await self.rt.service.libraries()
        except PlextuiError as error:
            self.notify(str(error), title="Libraries", severity="error")
            self._rows_drawn()  # none will come
            return
        finally:
            self.app.note_freshness()  # type: ignore[attr-defined]
        if self.gone:
            return
        self.arrange_sidebar()
        if not self.stack:
            self._rows_drawn()  # nothing to list

    def arrange_sidebar(self) -> None:
        """List the libraries as `[ui]` arranges them (hidden ones left out), then places."""
        ui = self.rt.settings.ui
        shown = arranged(self.libraries, ui.hidden_libraries, ui.library_order)
        sidebar = self.query_one("#sidebar", OptionList)
        was = sidebar.highlighted_option.id if sidebar.highlighted_option else None
        sidebar.clear_options()
        for lib in shown:
            label = f"{ICONS.get(lib.type, '·')} {lib.title}"
            sidebar.add_option(Option(label, id=f"lib:{lib.key}"))
        sidebar.add_option(None)
        sidebar.add_options(Option(label, id=key) for key, label in PLACES)
        if shown and not self.stack:
            sidebar.highlighted = 0
            self.open_place(f"lib:{shown[0].key}")
        elif was is not None:
            with contextlib.suppress(OptionDoesNotExist):
                sidebar.highlighted = sidebar.get_option_index(was)

    def setting_changed(self, name: str) -> None:
        """A `[ui]` key saved from Settings: the sidebar and the list follow it at once."""
        if name in ("ui.hidden_libraries", "ui.library_order"):
            self.arrange_sidebar()
        elif name == "ui.grid_libraries":
            self.fit_view()
        elif name == "ui.page_size":
            self.items.page_size = self.rt.settings.ui.page_size
            self.items.reload()

    @on(OptionList.OptionSelected, "#sidebar")
    def _place_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_place(event.option.id)
            if event.option.id != "sessions":
                self._asked.pop("sidebar", None)  # called up by `b`: it goes again
                self._fit(self.size.width)
                self.items.focus()

    def open_place(self, place: str) -> None:
        """Replace the stack with a sidebar place (Sessions is its own screen)."""
        service = self.rt.service
        source: Source
        if place.startswith("lib:"):
            lib = next((x for x in self.libraries if x.key == place[4:]), None)
            if lib is None:
                return
            sort, reverse = self._sorts.get(lib.key, ("title", False))
            source = SectionSource(service, lib.title, library=lib, sort=sort, reverse=reverse)
        elif place in ("ondeck", "recent"):
            source = HubSource(service, dict(PLACES)[place], hub=place)
        elif place == "playlists":
            source = PlaylistsSource(service, "Playlists")
        elif place == "history":
            source = HistorySource(service, "History")
        else:
            self.app.action_sessions()
            return
        sidebar = self.query_one("#sidebar", OptionList)
        try:
            sidebar.highlighted = sidebar.get_option_index(place)
        except OptionDoesNotExist:
            pass
        self.stack = []
        self.push(source)

    def open_library(self, key: str) -> None:
        self.open_place(f"lib:{key}")

    def push(self, source: Source) -> None:
        if self.stack:
            self.stack[-1] = (self.stack[-1][0], self.items.cursor)
        self.stack.append((source, 0))
        self.show(source, 0)

    def show(self, source: Source, cursor: int) -> None:
        self.query_one("#crumbs", Static).update(self._crumbs() + "  [dim]loading…[/dim]")
        self.items.load(source, cursor)
        self.fit_view()  # the list, or the grid of posters (gridmode.py)
        self._draw_header()
        self.refresh_bindings()  # sort/filter/playlist keys depend on the source (footer)

    def _crumbs(self, total: int | None = None) -> str:
        names = escape(" › ".join(source.title for source, _ in self.stack))
        source = self.source
        extra = [source.describe()] if isinstance(source, SectionSource) else []
        if total is not None:
            extra.append(f"{total} item" if total == 1 else f"{total} items")
        shown = escape(" · ".join(extra))
        return f"[b]{names}[/b]" + (f"  [dim]{shown}[/dim]" if extra else "")

    def went_live(self) -> None:
        """The server answered after a start from cache: refresh what is on screen."""
        self.load_libraries()
        if self.source is not None:
            self.items.reload()

    def _rows_drawn(self) -> None:
        """Tell the app, after the next refresh, that the first rows are on screen."""
        self.call_after_refresh(self.app.rows_drawn)  # type: ignore[attr-defined]

    @on(ItemList.Loaded)
    def _loaded(self, event: ItemList.Loaded) -> None:
        self.app.note_freshness()  # type: ignore[attr-defined]
        self._rows_drawn()
        if event.error:
            self.notify(event.error, title="Could not load", severity="error")
            self.query_one("#crumbs", Static).update(self._crumbs() + "  [red]not loaded[/red]")
            return
        self.query_one("#crumbs", Static).update(self._crumbs(event.total))
        if not event.total:
            self.query_one(DetailPane).show_item(None)

    @on(ItemList.ColumnsChanged)
    def _draw_header(self) -> None:
        if self.source is not None:
            self.query_one("#listhead", Static).update(self.items.header())

    # --- rows --------------------------------------------------------------------------

    @on(ItemList.Highlighted)
    def _highlighted(self, event: ItemList.Highlighted) -> None:
        pane = self.query_one(DetailPane)
        if isinstance(event.row, Playlist):
            pane.show_playlist(event.row)
            return
        item = self.source.item(event.row) if self.source else None
        pane.show_item(self._details.get(item.rating_key, item) if item else None)
        if item is not None and item.rating_key not in self._details:
            if self._detail_timer is not None:
                self._detail_timer.stop()
            self._detail_timer = self.set_timer(0.2, lambda: self.load_detail(item))

    @work(group="detail", exclusive=True)
    async def load_detail(self, item: MediaItem) -> None:
        try:
            full = await self.rt.service.item(item.rating_key)
        except PlextuiError:
            return  # the short row is still shown; browsing errors are reported elsewhere
        if self.gone:
            return
        self._details[item.rating_key] = full
        while len(self._details) > DETAILS_KEPT:
            del self._details[next(iter(self._details))]
        current = self.items.current
        if current is not None and self.source and self.source.item(current) == item:
            self.query_one(DetailPane).show_item(full)

    @on(ItemList.Selected)
    def _selected(self, event: ItemList.Selected) -> None:
        self.activate(event.row)

    def activate(self, row: Any) -> None:
        """Enter: open containers and playlists, play everything else."""
        service = self.rt.service
        if self.open_row(row):  # a shelf or a category value (views.py)
            return
        if isinstance(row, Playlist):
            self.push(PlaylistItemsSource(service, row.title, playlist=row))
            return
        item = row.item if isinstance(row, HistoryEntry) else row
        if isinstance(item, MediaItem) and item.kind in CONTAINERS:
            self.push(ChildrenSource(service, item.title, parent=item))
        elif isinstance(item, MediaItem):
            self.app.play(item)

    def open_item(self, item: MediaItem) -> None:
        """From search or the palette: containers open under their own library (the
        breadcrumb reads `TV Shows › Show`), playable items are shown and played."""
        if item.kind in CONTAINERS:
            if any(lib.key == item.library_key for lib in self.libraries):
                self.open_place(f"lib:{item.library_key}")
            self.push(ChildrenSource(self.rt.service, item.title, parent=item))
        else:
            self.query_one(DetailPane).show_item(item)
            self.app.play(item)

    # --- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        source = self.source
        if action in ("places", "details"):  # only where the pane gave way to the list
            return not panes_at(self.size.width)["sidebar" if action == "places" else "detail"]
        if action in ("sort", "filter", "unwatched"):
            return isinstance(source, SectionSource)
        if action in VIEW_ACTIONS:
            return self.view_allowed(action)
        if action in ("remove_from_playlist", "move"):
            return isinstance(source, PlaylistItemsSource)
        if action == "delete_playlist":
            return isinstance(source, PlaylistsSource)
        if action == "grid":
            return self.grid_allowed()
        if action == "rename_playlist":
            return isinstance(source, PlaylistsSource | PlaylistItemsSource)
        return True

    def action_back(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()
            source, cursor = self.stack[-1]
            self.show(source, cursor)

    def action_refresh(self) -> None:
        self.items.reload()

    def action_sort(self) -> None:
        source = self.source
        if not isinstance(source, SectionSource):
            return

        def chosen(sort: str | None) -> None:
            if sort:
                source.reverse = not source.reverse if sort == source.sort else False
                source.sort = sort
                if source.library is not None:
                    self._sorts[source.library.key] = (sort, source.reverse)
                self.show(source, 0)

        choices = list(SORT_LABELS.items())
        note = "The same sort again flips it (▲ ascending, ▼ descending)."
        dialog = ChoiceDialog("Sort by", choices, note, current=source.sort)
        self.app.push_screen(dialog, chosen)

    def action_unwatched(self) -> None:
        source = self.source
        if isinstance(source, SectionSource):
            source.filters["unwatched"] = not source.filters.get("unwatched")
            self.show(source, 0)

    @work(group="filter", exclusive=True)
    async def action_filter(self) -> None:
        source = self.source
        if not isinstance(source, SectionSource) or source.library is None:
            return
        try:
            genres = await self.rt.service.genres(source.library)
        except PlextuiError as error:
            self.notify(str(error), severity="error")
            genres = []
        choices = [("clear", "Everything"), ("unwatched", "Unwatched")]
        choices += [(f"genre:{g}", f"Genre: {g}") for g in genres]
        choices += [(f"decade:{d}", f"{d}s") for d in range(2020, 1940, -10)]
        note = "Filters combine with the sort; u toggles unwatched."
        choice = await self.app.push_screen_wait(ChoiceDialog("Filter", choices, note))
        if choice is None:
            return
        if choice == "clear":
            source.filters.clear()
        elif choice == "unwatched":
            source.filters["unwatched"] = True
        else:
            name, value = choice.split(":", 1)
            source.filters.pop("genre", None)
            source.filters.pop("decade", None)
            source.filters[name] = int(value) if name == "decade" else value
        self.show(source, 0)
