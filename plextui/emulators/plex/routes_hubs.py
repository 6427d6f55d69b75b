"""Hubs: the home screen's shelves (/hubs, /hubs/sections/{id}) and hub search.

Items inside hubs are partial, as PMS sends them: enough to list and identify an item, none
of its details (summary, ratings, studio, media, tags). A client that needs those fetches the
item's `key`, which is what plexapi does when a missing attribute is touched.
"""

from __future__ import annotations

from aiohttp import web

from . import xml
from .core import Core
from .library import COLLECTION_TYPE, TYPE_NUMBERS, Item, Section
from .responses import empty, error, page
from .responses import xml as xml_response

HUB_TITLES = {"movie": "Movies", "show": "Shows", "season": "Seasons", "episode": "Episodes",
              "artist": "Artists", "album": "Albums", "track": "Tracks"}  # fmt: skip
KIND_TITLES = {"movie": "Movies", "show": "TV", "artist": "Music"}
HOME_NAMES = {"movie": "movies", "show": "television", "artist": "music"}
DETAILS = frozenset({
    "summary", "tagline", "studio", "contentRating", "rating", "audienceRating",
    "audienceRatingImage", "originallyAvailableAt", "userRating", "viewedLeafCount",
})  # fmt: skip
DEFAULT_COUNT = 6
# a film or TV section's own shelves after its recent and in-progress ones: (id, title, sort)
SECTION_SHELVES = (("recentlyreleased", "Recently Released", "year"),
                   ("toprated", "Top Rated", "rating"))  # fmt: skip


def setup(app: web.Application, core: Core) -> None:
    lib = core.library

    def partial(item: Item) -> str:
        attrs = {k: v for k, v in xml.item_attrs(lib, item).items() if k not in DETAILS}
        return xml.tag(xml.element_name(item), attrs)

    def hub(identifier: str, title: str, kind: str, key: str | None, items: list[Item], count: int,
            style: str = "shelf", context: str = "", promoted: bool = False) -> str:  # fmt: skip
        shown = items[:count]
        values = {
            "hubKey": "/library/metadata/" + ",".join(str(i.rk) for i in shown) if shown else None,
            "key": key,
            "title": title,
            "type": kind,
            "hubIdentifier": identifier,
            "context": context or f"hub.{identifier}",
            "size": len(shown),
            "more": len(items) > len(shown),
            "style": style,
            "promoted": promoted or None,
        }
        return xml.tag("Hub", values, "".join(partial(i) for i in shown))

    def home_hubs(count: int) -> list[tuple[str, str]]:
        """(identifier, rendered hub) for every global hub, in PMS's order."""
        deck = lib.on_deck()
        out = [
            ("home.continue", hub("home.continue", "Continue Watching", "mixed",
                                  "/hubs/continueWatching/items", deck, count, "hero",
                                  promoted=True)),
            ("home.ondeck", hub("home.ondeck", "On Deck", "mixed", "/library/onDeck", deck,
                                count)),
        ]  # fmt: skip
        for section in lib.sections.values():
            ident = f"home.{HOME_NAMES[section.kind]}.recent"
            out.append((ident, recent_hub(section, ident, count, promoted=True)))
        return out

    def recent_hub(section: Section, ident: str, count: int, promoted: bool = False) -> str:
        kind = {"movie": 1, "show": 4, "artist": 9}[section.kind]
        items = lib.sorted_items(section, kind, "addedAt", True)
        title = f"Recently Added {KIND_TITLES[section.kind]}"
        key = f"/library/sections/{section.id}/recentlyAdded"
        label = {1: "movie", 4: "episode", 9: "album"}[kind]
        return hub(ident, title, label, key, items, count, promoted=promoted)

    def count_of(request: web.Request) -> int:
        return max(int(request.query.get("count", DEFAULT_COUNT) or DEFAULT_COUNT), 0)

    async def hubs(request: web.Request) -> web.Response:
        wanted = {i for v in request.query.getall("identifier", []) for i in v.split(",") if i}
        found = [h for ident, h in home_hubs(count_of(request)) if not wanted or ident in wanted]
        values = {"size": len(found), "allowSync": 0, "identifier": "com.plexapp.plugins.library"}
        return xml_response(xml.container(values, "".join(found)))

    async def section_hubs(request: web.Request) -> web.Response:
        try:
            section = lib.sections[int(request.match_info["sid"])]
        except (KeyError, ValueError):
            return error(404)
        count = count_of(request)
        found = [recent_hub(section, f"{section.kind}.recentlyadded", count)]
        if section.kind != "artist":
            deck = lib.on_deck([section])
            found.append(hub(f"{section.kind}.inprogress", "Continue Watching", "mixed",
                             f"/library/sections/{section.id}/onDeck", deck, count))  # fmt: skip
            num, kind = TYPE_NUMBERS[section.kind], section.kind
            for ident, title, field in SECTION_SHELVES:
                items = lib.sorted_items(section, num, field, True)
                found.append(hub(f"{kind}.{ident}", title, kind, None, items, count))
            collections = lib.sorted_items(section, COLLECTION_TYPE, "titleSort", False)
            if collections:
                found.append(hub(f"{kind}.collections", "Collections", "collection",
                                 f"/library/sections/{section.id}/collections", collections,
                                 count))  # fmt: skip
        values = xml.library_attrs(section) | {"size": len(found)}
        return xml_response(xml.container(values, "".join(found)))

    async def continue_watching_hub(request: web.Request) -> web.Response:
        """The global Continue Watching hub alone (/hubs/continueWatching)."""
        one = hub("home.continue", "Continue Watching", "mixed", "/hubs/continueWatching/items",
                  lib.on_deck(), count_of(request), "hero", promoted=True)  # fmt: skip
        return xml_response(xml.container({"size": 1} | xml.library_attrs(None), one))

    async def continue_watching(request: web.Request) -> web.Response:
        return page(request, lib.on_deck(), lambda i: xml.item(lib, i), xml.library_attrs(None))

    async def hub_search(request: web.Request) -> web.Response:
        if "query" not in request.query:
            return error(400)
        text = request.query["query"].lower()
        limit = int(request.query.get("limit", 3) or 3)
        sid = request.query.get("sectionId")
        secs = [s for s in lib.sections.values() if sid is None or str(s.id) == sid]
        if not secs:
            return error(404)
        found = []
        for kind, num in TYPE_NUMBERS.items():
            hits = [
                i for s in secs for i in s.by_type.get(num, []) if text and text in i.title_lower
            ]
            if hits:
                found.append(hub(kind, HUB_TITLES[kind], kind, None, hits, limit,
                                 context="hub.search"))  # fmt: skip
        return xml_response(xml.container({"size": len(found)}, "".join(found)))

    async def remove_from_continue_watching(request: web.Request) -> web.Response:
        """PUT /actions/removeFromContinueWatching?ratingKey=K, as Plex Web sends it."""
        key = request.query.get("ratingKey", "")
        if not key:
            return error(400)
        item = lib.get(key)
        if item is None:
            return error(404)
        lib.remove_from_deck(item)
        return empty()

    r = app.router
    r.add_put("/actions/removeFromContinueWatching", remove_from_continue_watching)
    r.add_get("/hubs", hubs)
    r.add_get("/hubs/sections/{sid}", section_hubs)
    r.add_get("/hubs/continueWatching", continue_watching_hub)
    r.add_get("/hubs/continueWatching/items", continue_watching)
    r.add_get("/hubs/search", hub_search)
    r.add_get("/hubs/search/", hub_search)
