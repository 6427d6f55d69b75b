"""More ways into a library than its `all` list: collections, the section's recommended
shelves (its hubs), category values (genre, year, decade, director, actor), what was added
lately, and the way up from an episode to its season or show; plus tidying Continue Watching.

Mixed into PlexService (server.py), whose plumbing (`run`, `_page`, `_ask`) it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from plextui.core.models import Library, MediaItem, Page
from plextui.errors import MediaError
from plextui.plex import convert

CATEGORIES = {  # the browse-by lists a film or TV section offers, in Plex Web's order
    "genre": "Genre",
    "year": "Year",
    "decade": "Decade",
    "director": "Director",
    "actor": "Actor",
}
SHELF_SIZE = 50  # items kept per recommended shelf (one request for all of them)


@dataclass(frozen=True)
class Shelf:
    """One of a section's hubs: Recently Added, Top Rated, Collections …"""

    title: str
    identifier: str
    items: tuple[MediaItem, ...] = ()


@dataclass(frozen=True)
class Category:
    """One value of a browse-by list: what it is called and the key PMS filters on."""

    field: str
    key: str
    title: str


class BrowseOps:
    """Mixed into PlexService; uses its run plumbing and the plexapi server."""

    async def collections(self, section: Library, start: int = 0, size: int = 100) -> Page:
        path = f"/library/sections/{section.key}/collections"
        fetch = partial(self._page, path, start, size)
        key = f"collections:{section.key}:{start}:{size}"
        return await self._ask(key, Page, fetch)

    async def shelves(self, section: Library) -> list[Shelf]:
        """The section's hubs (PMS /hubs/sections/{id}), each with its first items."""

        def fetch() -> list[Shelf]:
            data = self.plex.query(f"/hubs/sections/{section.key}?count={SHELF_SIZE}")
            out = []
            for hub in data.iter("Hub"):
                items = tuple(convert.media_item(i) for i in self.plex.findItems(hub))
                ident = hub.attrib.get("hubIdentifier", "")
                if items:
                    out.append(Shelf(hub.attrib.get("title", ident), ident, items))
            return out

        return await self._ask(f"shelves:{section.key}", list[Shelf], fetch, 60.0)

    async def categories(self, section: Library, field: str) -> list[Category]:
        """The values of one browse-by list (`genre`, `year` …), as the section has them."""
        if field not in CATEGORIES:
            raise MediaError(f"no category '{field}'; try {', '.join(CATEGORIES)}")

        def fetch() -> list[Category]:
            data = self.plex.query(f"/library/sections/{section.key}/{field}")
            return [
                Category(field, d.attrib.get("key", ""), d.attrib.get("title", ""))
                for d in data
                if d.attrib.get("key")
            ]

        key = f"categories:{section.key}:{field}"
        return await self._ask(key, list[Category], fetch)

    async def section_recent(self, section: Library, start: int = 0, size: int = 50) -> Page:
        """What was added to one section lately, newest first."""
        path = f"/library/sections/{section.key}/recentlyAdded"
        fetch = partial(self._page, path, start, size)
        key = f"recent:{section.key}:{start}:{size}"
        return await self._ask(key, Page, fetch, self.search_ttl)

    async def ancestor(self, item: MediaItem, level: str) -> MediaItem:
        """An episode's `season` or `show` (a track's `album` or `artist`; a season's or an
        album's one level up), fresh from the server: list rows do not carry their
        parents' keys."""

        def fetch() -> MediaItem:
            full = self.plex.fetchItem(int(item.rating_key))
            one_up = full.type in ("season", "album") or level in ("season", "album")
            wanted = "parentRatingKey" if one_up else "grandparentRatingKey"
            key = getattr(full, wanted, None)
            if not key:
                raise MediaError(f"{item.display_title} has no {level} to go to")
            return convert.media_item(self.plex.fetchItem(int(key)))

        return await self.run(fetch)

    async def remove_from_deck(self, item: MediaItem) -> None:
        """Plex Web's "Remove from Continue Watching"; the resume point stays."""
        path = f"/actions/removeFromContinueWatching?ratingKey={item.rating_key}"
        await self.run(partial(self.plex.query, path, method=self._http.put))
        await self.forget("deck", "shelves:")
