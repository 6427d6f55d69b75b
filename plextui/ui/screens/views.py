"""More ways into a library, and tidying Continue Watching, for MainScreen.

`l` (Views) offers a library's other lists: its collections, its recommended shelves (the
section's hubs), what was added lately, and browse-by lists (genre, year, decade,
director, actor) whose values each open the library filtered. On a collection it also
plays the whole collection. `h` goes up from an episode to its season and, pressed again
in the season, to its show (a track to its album and artist): the breadcrumb is then the
library's, so Backspace walks back down. `x` on Continue Watching removes the highlighted
item from it, as Plex Web does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from plextui.control.transport import LOCAL_NAMES
from plextui.core.models import Library, MediaItem
from plextui.errors import PlextuiError
from plextui.plex.browse import CATEGORIES, Category, Shelf
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.sources import (
    CategorySource,
    ChildrenSource,
    CollectionsSource,
    HubSource,
    SectionRecentSource,
    SectionSource,
    ShelfSource,
    ShelvesSource,
)

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime
    from plextui.ui.sources import Source
    from plextui.ui.widgets.itemlist import ItemList

VIEW_ACTIONS = ("views", "remove_from_deck", "up_level")
UP = {"episode": "season", "track": "album", "season": "show", "album": "artist"}
PLAY_ALL = "play:collection"


class LibraryViews(Screen):
    """Mixed into MainScreen, which provides `rt`, `items`, `stack`, `push`, `show` …"""

    rt: Runtime
    items: ItemList
    stack: list[tuple[Source, int]]
    libraries: list[Library]

    # --- what applies where ----------------------------------------------------------

    def view_library(self) -> Library | None:
        """The library the current list belongs to (the root of the breadcrumb)."""
        for source, _ in self.stack:
            library = getattr(source, "library", None)
            if isinstance(library, Library):
                return library
        return None

    def _row_item(self) -> MediaItem | None:
        row = self.items.current
        source = self.stack[-1][0] if self.stack else None
        return source.item(row) if row is not None and source is not None else None

    def _collection(self) -> MediaItem | None:
        """The collection to play: the highlighted one, or the one whose items are listed."""
        item = self._row_item()
        if item is not None and item.kind == "collection":
            return item
        source = self.stack[-1][0] if self.stack else None
        parent = getattr(source, "parent", None)
        return parent if isinstance(parent, MediaItem) and parent.kind == "collection" else None

    def _plays_one_at_a_time(self) -> bool:
        """The player a play goes to is this computer's mpv, which takes one item, not a
        queue: a collection plays its first film there."""
        controller = self.rt.controller
        if controller.active is not None:
            return controller.active.info.local
        return controller.default_player.casefold() in (*LOCAL_NAMES, "this computer")

    def view_allowed(self, action: str) -> bool:
        source = self.stack[-1][0] if self.stack else None
        if action == "views":
            return self.view_library() is not None or self._collection() is not None
        if action == "remove_from_deck":
            return isinstance(source, HubSource) and source.hub == "ondeck"
        item = self._row_item()  # up_level
        return item is not None and item.kind in UP

    # --- l: views ----------------------------------------------------------------------

    def view_choices(self, library: Library | None) -> list[tuple[str, str]]:
        choices: list[tuple[str, str]] = []
        collection = self._collection()
        if collection is not None and self._plays_one_at_a_time():
            note = "(This computer plays one item at a time)"
            choices.append((PLAY_ALL, f"▶ Play the first film of {collection.title} {note}"))
        elif collection is not None:
            choices.append((PLAY_ALL, f"▶ Play the whole collection: {collection.title}"))
        if library is None:
            return choices
        choices += [
            ("all", f"All of {library.title}"),
            ("collections", "Collections"),
            ("recommended", "Recommended"),
            ("recent", "Recently added"),
        ]
        fields = list(CATEGORIES) if library.type in ("movie", "show") else ["genre"]
        choices += [(f"category:{f}", f"By {CATEGORIES[f].lower()}") for f in fields]
        return choices

    def action_views(self) -> None:
        library = self.view_library()
        choices = self.view_choices(library)
        if not choices:
            return
        note = "Backspace comes back to the whole library."
        title = f"{library.title}: views" if library else "Collection"
        self.app.push_screen(ChoiceDialog(title, choices, note), self.open_view)

    def open_view(self, choice: str | None) -> None:
        library = self.view_library()
        service = self.rt.service
        if choice == PLAY_ALL:
            collection = self._collection()
            if collection is not None:
                self.app.play(collection)  # type: ignore[attr-defined]
            return
        if choice is None or library is None:
            return
        source: Source
        if choice == "all":
            self.open_place(f"lib:{library.key}")  # type: ignore[attr-defined]
            return
        # titles follow the library's in the breadcrumb: `Movies › Collections`
        if choice == "collections":
            source = CollectionsSource(service, "Collections", library=library)
        elif choice == "recommended":
            source = ShelvesSource(service, "Recommended", library=library)
        elif choice == "recent":
            source = SectionRecentSource(service, "Recently added", library=library)
        else:
            field = choice.split(":", 1)[1]
            title = f"By {CATEGORIES[field].lower()}"
            source = CategorySource(service, title, library=library, category=field)
        root = self.stack[0][0] if self.stack else None
        if not (isinstance(root, SectionSource) and root.library == library):
            self.open_place(f"lib:{library.key}")  # type: ignore[attr-defined]
        self.stack = self.stack[:1]  # under the view, the whole library: Backspace goes there
        self.push(source)  # type: ignore[attr-defined]

    def open_row(self, row: Any) -> bool:
        """Enter on a shelf or a category value; False for rows MainScreen opens itself."""
        library = self.view_library()
        service = self.rt.service
        if isinstance(row, Shelf):
            self.push(ShelfSource(service, row.title, shelf=row, library=library))  # type: ignore[attr-defined]
            return True
        if isinstance(row, Category) and library is not None:
            source = SectionSource(
                service,
                row.title,
                library=library,
                filters={row.field: row.key},
                shown={row.field: f"{CATEGORIES[row.field]}: {row.title}"},
            )
            self.push(source)  # type: ignore[attr-defined]
            return True
        return False

    # --- x: remove from Continue Watching ------------------------------------------------

    @work(group="edit")
    async def action_remove_from_deck(self) -> None:
        item = self._row_item()
        if item is None or not self.view_allowed("remove_from_deck"):
            return
        try:
            await self.rt.service.remove_from_deck(item)  # the list reloads (Written)
        except PlextuiError as error:
            self.notify(f"Remove from Continue Watching: {error}", severity="error")
            return
        self.notify(f"Removed {item.display_title} from Continue Watching")

    # --- h: up to the season or show ----------------------------------------------------

    def action_up_level(self) -> None:
        item = self._row_item()
        if item is None or item.kind not in UP:
            return
        source = self.stack[-1][0] if self.stack else None
        parent = getattr(source, "parent", None)
        # in the season's own list, one more level: the show
        here = isinstance(parent, MediaItem) and parent.kind == UP[item.kind]
        self.go_up_from(parent if here and isinstance(parent, MediaItem) else item)

    @work(group="up", exclusive=True)
    async def go_up_from(self, start: MediaItem) -> None:
        """Open the list `start` is in (an episode's season, a season's show), with the
        library's breadcrumb above it and the cursor on `start`; also from a search hit."""
        if start.kind not in UP:
            return
        service = self.rt.service
        try:
            container = await service.ancestor(start, UP[start.kind])
            chain = [container]
            if container.kind in UP:  # a season's show, an album's artist
                chain.insert(0, await service.ancestor(container, UP[container.kind]))
            cursors = [await self._position(chain[-1], start)]
            if len(chain) == 2:  # the show's list keeps its cursor on the season
                cursors.insert(0, await self._position(chain[0], chain[1]))
        except PlextuiError as error:
            self.notify(f"Go to {UP[start.kind]}: {error}", severity="error")
            return
        self._open_chain(chain, cursors)

    async def _position(self, container: MediaItem, child: MediaItem) -> int:
        page = await self.rt.service.children(container)
        keys = [i.rating_key for i in page.items]
        return keys.index(child.rating_key) if child.rating_key in keys else 0

    def _open_chain(self, chain: list[MediaItem], cursors: list[int]) -> None:
        """Library › Show › Season, each with its cursor on where we came from, so
        Backspace walks back up."""
        service = self.rt.service
        library = next((x for x in self.libraries if x.key == chain[0].library_key), None)
        self.stack = []
        if library is not None:
            self.open_place(f"lib:{library.key}")  # type: ignore[attr-defined]
        sources = [ChildrenSource(service, c.title, parent=c) for c in chain]
        self.stack = self.stack[:1] + list(zip(sources, cursors, strict=True))
        self.show(sources[-1], cursors[-1])  # type: ignore[attr-defined]
