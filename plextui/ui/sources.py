"""What the main list shows: one Source per place (a section, a show, a playlist, history …).

A source fetches pages on demand and knows how to render its rows as cells, so the
list widget stays generic and never holds more than the pages a user has scrolled to.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plextui.core.models import HistoryEntry, Library, MediaItem, Playlist
from plextui.core.timecode import format_compact
from plextui.plex.browse import CATEGORIES, Category, Shelf
from plextui.plex.server import SORTS

if TYPE_CHECKING:
    from plextui.plex.server import PlexService

ITEM_COLUMNS = (("", 1), ("Title", 0), ("Year", 4), ("Length", 7))
SORT_LABELS = {
    "title": "Title",
    "added": "Recently added",
    "year": "Year",
    "rating": "Rating",
    "played": "Last played",
}


def marker(item: MediaItem) -> str:
    """Plex's unwatched dot: ● unwatched, ◐ started, blank when watched."""
    if item.kind in ("artist", "album", "track", "playlist", "collection"):
        return ""
    return "◐" if item.in_progress else "" if item.watched else "●"


COUNT_UNITS = {"show": "ep", "season": "ep", "artist": "track", "album": "track"}
COUNT_UNITS |= {"collection": "item"}


def item_title(item: MediaItem) -> str:
    if item.kind in ("episode", "track") and item.index is not None:
        return f"{item.index:>2}. {item.title}"
    return item.title


def leaf_title(item: MediaItem) -> str:
    """A row of a mixed list (playlist, hub): episodes and tracks say whose they are; the
    year has its own column, so it is not repeated in the title."""
    return item.display_title if item.kind in ("episode", "track") else item_title(item)


def length(item: MediaItem) -> str:
    """The Length cell: a running time, or what a container holds (`8 eps`, `12 tracks`)."""
    unit = COUNT_UNITS.get(item.kind)
    if unit is not None:
        count = item.leaf_count
        if not count:
            return ""
        plural = "s" if count != 1 else ""
        return f"{count} {unit}{plural}"
    return format_compact(item.duration_ms) if item.duration_ms else ""


def year(item: MediaItem) -> str:
    return str(item.year) if item.year and item.kind in ("movie", "show", "album") else ""


def item_cells(item: MediaItem) -> tuple[str, ...]:
    return (marker(item), item_title(item), year(item), length(item))


def leaf_cells(item: MediaItem) -> tuple[str, ...]:
    """Cells of a mixed list, where an episode's or a track's own year is worth showing."""
    return (marker(item), leaf_title(item), str(item.year or ""), length(item))


@dataclass
class Source(ABC):
    """A place in the library; subclasses fetch pages and may be sorted or filtered."""

    service: PlexService
    title: str = ""
    columns: tuple[tuple[str, int], ...] = ITEM_COLUMNS
    sortable: bool = False

    @abstractmethod
    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        """Rows `start`…`start+size` and the total number of rows."""

    def cells(self, row: Any) -> tuple[str, ...]:
        return item_cells(row)

    def labels(self) -> tuple[str, ...]:
        """The column headings (a sorted list marks its sort column)."""
        return tuple(label for label, _ in self.columns)

    def item(self, row: Any) -> MediaItem | None:
        """The media item behind a row, for details, play and watched toggles."""
        return row if isinstance(row, MediaItem) else None

    def key(self, row: Any) -> str:
        """The text a typed letter jumps on (the sort title)."""
        item = self.item(row)
        return sort_title(item.title if item else str(row))

    @property
    def by_title(self) -> bool:
        """Rows come sorted by title, so a letter jump can binary-search."""
        return False

    async def letter_index(self, letter: str) -> int | None:
        """Where titles with `letter` begin, when the server can say without paging."""
        return None


def sort_title(title: str) -> str:
    lowered = title.casefold()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            return lowered[len(article) :]
    return lowered


@dataclass
class SectionSource(Source):
    """A library section, sorted and filtered; `reverse` flips the sort's natural direction
    (Title A→Z, the others newest or highest first)."""

    library: Library | None = None
    sort: str = "title"
    reverse: bool = False
    filters: dict[str, Any] = field(default_factory=dict)
    sortable: bool = True
    shown: dict[str, str] = field(default_factory=dict)  # a filter's name for its key

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.library is not None
        page = await self.service.browse(self.library, start, size, self.sort_param, self.filters)
        return list(page.items), page.total

    @property
    def sort_param(self) -> str:
        """What the service is asked for: the sort's name, or its PMS key flipped."""
        if not self.reverse:
            return self.sort
        field_name, _, direction = SORTS.get(self.sort, self.sort).partition(":")
        return f"{field_name}:{'asc' if direction == 'desc' else 'desc'}"

    @property
    def ascending(self) -> bool:
        return SORTS.get(self.sort, "").endswith(":asc") != self.reverse

    @property
    def arrow(self) -> str:
        return "▲" if self.ascending else "▼"

    def labels(self) -> tuple[str, ...]:
        sorted_on = SORT_LABELS.get(self.sort)
        return tuple(
            f"{label} {self.arrow}" if label == sorted_on else label for label, _ in self.columns
        )

    @property
    def by_title(self) -> bool:
        return self.sort == "title" and not self.reverse

    async def letter_index(self, letter: str) -> int | None:
        """One request (PMS firstCharacter counts) instead of a binary search over pages."""
        if not self.by_title or self.library is None:
            return None
        before = 0
        for key, count in await self.service.first_characters(self.library, self.filters):
            if key.isalpha() and key.casefold() >= letter:
                return before
            before += count
        return before

    def describe(self) -> str:
        """`sorted by Year · unwatched · Drama`: what the header line says about the view."""
        parts = [f"sorted by {SORT_LABELS.get(self.sort, self.sort)} {self.arrow}"]
        if self.filters.get("unwatched"):
            parts.append("unwatched")
        parts += [
            self.shown.get(k, str(v)) for k, v in self.filters.items() if k != "unwatched" and v
        ]
        return " · ".join(parts)


@dataclass
class ChildrenSource(Source):
    parent: MediaItem | None = None

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.parent is not None
        page = await self.service.children(self.parent, start, size)
        return list(page.items), page.total


@dataclass
class HubSource(Source):
    """Continue Watching or Recently Added: one short list."""

    hub: str = "ondeck"

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        if start:
            return [], 0
        call = self.service.on_deck if self.hub == "ondeck" else self.service.recently_added
        page = await call(size)
        return list(page.items), len(page.items)

    def cells(self, row: Any) -> tuple[str, ...]:
        return leaf_cells(row)


@dataclass
class PlaylistsSource(Source):
    columns: tuple[tuple[str, int], ...] = (("", 1), ("Playlist", 0), ("Items", 5), ("Length", 7))

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        playlists = await self.service.playlists()
        return playlists[start : start + size], len(playlists)

    def cells(self, row: Playlist) -> tuple[str, ...]:
        icon = "♫" if row.kind == "audio" else "▶"
        return (icon, row.title, str(row.count), format_compact(row.duration_ms))

    def key(self, row: Any) -> str:
        return sort_title(row.title)


@dataclass
class PlaylistItemsSource(Source):
    playlist: Playlist | None = None

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.playlist is not None
        page = await self.service.playlist_items(self.playlist, start, size)
        return list(page.items), page.total

    def cells(self, row: MediaItem) -> tuple[str, ...]:
        return leaf_cells(row)


@dataclass
class HistorySource(Source):
    user: str | None = None
    columns: tuple[tuple[str, int], ...] = (("", 1), ("Title", 0), ("User", 12), ("When", 16))

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        if start:
            return [], 0
        entries = await self.service.history(user=self.user, size=size)
        return entries, len(entries)

    def cells(self, row: HistoryEntry) -> tuple[str, ...]:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.viewed_at))
        return ("✓" if row.item.watched else "", row.item.display_title, row.user, when)

    def item(self, row: Any) -> MediaItem | None:
        return row.item


# --- a library's other views (l): collections, recommended shelves, categories, recent --


@dataclass
class CollectionsSource(Source):
    library: Library | None = None
    columns: tuple[tuple[str, int], ...] = (("", 1), ("Collection", 0), ("Items", 8))

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.library is not None
        page = await self.service.collections(self.library, start, size)
        return list(page.items), page.total

    def cells(self, row: MediaItem) -> tuple[str, ...]:
        return ("▦", row.title, length(row))


@dataclass
class ShelvesSource(Source):
    """A library's recommended shelves (its hubs); Enter opens one."""

    library: Library | None = None
    columns: tuple[tuple[str, int], ...] = (("", 1), ("Shelf", 0), ("Items", 6))

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.library is not None
        if start:
            return [], 0
        shelves = await self.service.shelves(self.library)
        return shelves, len(shelves)

    def cells(self, row: Shelf) -> tuple[str, ...]:
        return ("≡", row.title, str(len(row.items)))

    def item(self, row: Any) -> MediaItem | None:
        return None

    def key(self, row: Any) -> str:
        return sort_title(row.title)


@dataclass
class ShelfSource(Source):
    """The items of one shelf, as the section's hubs sent them."""

    shelf: Shelf | None = None
    library: Library | None = None

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.shelf is not None
        items = list(self.shelf.items)
        return items[start : start + size], len(items)

    def cells(self, row: MediaItem) -> tuple[str, ...]:
        if row.kind == "collection":
            return ("▦", row.title, "", length(row))
        return leaf_cells(row)


@dataclass
class CategorySource(Source):
    """The values of one browse-by list (every genre, year …); Enter filters the library."""

    library: Library | None = None
    category: str = "genre"

    def __post_init__(self) -> None:
        self.columns = (("", 1), (CATEGORIES.get(self.category, "Value"), 0))

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.library is not None
        values = await self.service.categories(self.library, self.category)
        return values[start : start + size], len(values)

    def cells(self, row: Category) -> tuple[str, ...]:
        return ("›", row.title)

    def item(self, row: Any) -> MediaItem | None:
        return None

    def key(self, row: Any) -> str:
        return sort_title(row.title)


@dataclass
class SectionRecentSource(Source):
    """What was added to one library lately, newest first."""

    library: Library | None = None

    async def fetch(self, start: int, size: int) -> tuple[list[Any], int]:
        assert self.library is not None
        page = await self.service.section_recent(self.library, start, size)
        return list(page.items), page.total

    def cells(self, row: MediaItem) -> tuple[str, ...]:
        return leaf_cells(row)
