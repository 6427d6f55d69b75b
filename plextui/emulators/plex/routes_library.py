"""Library routes: sections, search with Meta, metadata, hubs, watch state, images, media files."""

from __future__ import annotations

from aiohttp import web

from . import meta, query, xml
from .core import Core
from .library import Item, Section
from .media import CONTENT_TYPES, png
from .responses import empty, error, page
from .responses import xml as xml_response
from .versions import SPAN, languages

# A section's own listing (/library/sections/{id}): the shortcuts PMS offers, per kind.
SHORTCUTS = {
    "movie": (
        ("all", "All Movies"),
        ("unwatched", "Unplayed"),
        ("newest", "Recently Released"),
        ("recentlyAdded", "Recently Added"),
        ("recentlyViewed", "Recently Viewed"),
        ("onDeck", "On Deck"),
    ),
    "show": (
        ("all", "All Shows"),
        ("unwatched", "Unplayed"),
        ("newest", "Recently Aired"),
        ("recentlyAdded", "Recently Added"),
        ("recentlyViewed", "Recently Viewed"),
        ("recentlyViewedShows", "Recently Viewed Shows"),
        ("onDeck", "On Deck"),
    ),
    "artist": (
        ("all", "All Artists"),
        ("albums", "By Album"),
        ("recentlyAdded", "Recently Added"),
        ("recentlyViewed", "Recently Played"),
    ),
}
SECONDARY = (("genre", "By Genre"), ("year", "By Year"), ("decade", "By Decade"),
             ("contentRating", "By Content Rating"), ("resolution", "By Resolution"),
             ("firstCharacter", "By First Letter"))  # fmt: skip


def setup(app: web.Application, core: Core) -> None:
    lib = core.library

    def section_or_404(request: web.Request) -> Section:
        try:
            return lib.sections[int(request.match_info["sid"])]
        except (KeyError, ValueError):
            raise web.HTTPNotFound() from None

    def item_or_404(value: str) -> Item:
        item = lib.get(value)
        if item is None:
            raise web.HTTPNotFound()
        return item

    def render(item: Item) -> str:
        return xml.item(lib, item)

    def render_with_guids(item: Item) -> str:
        return xml.item(lib, item, tail=xml.guids(lib, item))

    async def library_root(request: web.Request) -> web.Response:
        body = "".join(
            xml.tag("Directory", {"key": k, "title": t})
            for k, t in (
                ("sections", "Library Sections"),
                ("recentlyAdded", "Recently Added Content"),
                ("onDeck", "On Deck Content"),
            )
        )
        values = xml.library_attrs(None) | {"size": 3, "title1": "Plex Library", "allowSync": 0}
        return xml_response(xml.container(values, body))

    async def sections(request: web.Request) -> web.Response:
        body = []
        for s in lib.sections.values():
            location = xml.tag(
                "Location", {"id": s.id, "path": f"/data/{s.title.lower().replace(' ', '')}"}
            )
            agent = {
                "movie": "tv.plex.agents.movie",
                "show": "tv.plex.agents.series",
                "artist": "tv.plex.agents.music",
            }[s.kind]
            body.append(
                xml.tag(
                    "Directory",
                    {
                        "allowSync": 1,
                        "art": f"/:/resources/{s.kind}-fanart.jpg",
                        "filters": 1,
                        "refreshing": 0,
                        "thumb": f"/:/resources/{s.kind}.png",
                        "key": s.id,
                        "type": s.kind,
                        "title": s.title,
                        "agent": agent,
                        "scanner": f"Plex {s.kind.title()} Scanner",
                        "language": "en-US",
                        "uuid": s.uuid,
                        "updatedAt": s.updated_at,
                        "createdAt": 1_600_000_000,
                        "scannedAt": s.updated_at,
                        "content": 1,
                        "directory": 1,
                        "contentChangedAt": s.updated_at,
                        "hidden": 0,
                    },
                    location,
                )
            )
        values = xml.library_attrs(None) | {
            "size": len(body),
            "title1": "Plex Library",
            "allowSync": 0,
        }
        return xml_response(xml.container(values, "".join(body)))

    async def section_all(request: web.Request) -> web.Response:
        section = section_or_404(request)
        items = query.search(lib, section, request.query)
        base = xml.library_attrs(section) | {"title1": section.title}
        extra = meta.meta(section) if request.query.get("includeMeta") == "1" else ""
        guids = request.query.get("includeGuids") == "1"
        return page(request, items, render_with_guids if guids else render, base, extra)

    async def section_detail(request: web.Request) -> web.Response:
        """A section's own listing: shortcuts to its views, then secondary browse-by lists."""
        section = section_or_404(request)
        rows = [{"key": k, "title": t} for k, t in SHORTCUTS[section.kind]]
        rows += [{"secondary": 1, "key": k, "title": t} for k, t in SECONDARY]
        num = query.default_type(section)
        rows.append({"prompt": f"Search {section.title}", "search": 1,
                     "key": f"search?type={num}", "title": "Search..."})  # fmt: skip
        values = xml.library_attrs(section) | {
            "size": len(rows),
            "allowSync": 0,
            "art": f"/:/resources/{section.kind}-fanart.jpg",
            "content": "secondary",
            "thumb": f"/:/resources/{section.kind}.png",
            "title1": section.title,
            "viewGroup": "secondary",
            "viewMode": 65592,
        }
        body = "".join(xml.tag("Directory", r) for r in rows)
        return xml_response(xml.container(values, body))

    async def first_character(request: web.Request) -> web.Response:
        """Counts per first letter of titleSort, in order ('#' for digits and symbols), for
        the same filters as `all`: how clients jump to a letter without loading a section."""
        section = section_or_404(request)
        params = {k: v for k, v in request.query.items() if k != "sort"}
        counts: dict[str, int] = {}
        for item in query.search(lib, section, params):
            first = item.title_sort[:1].upper()
            letter = first if first.isalpha() and first.isascii() else "#"
            counts[letter] = counts.get(letter, 0) + 1
        body = "".join(
            xml.tag("Directory", {"size": n, "key": k, "title": k})
            for k, n in sorted(counts.items(), key=lambda kv: (kv[0] != "#", kv[0]))
        )
        return xml_response(xml.container({"size": len(counts)} | xml.library_attrs(section), body))

    async def section_on_deck(request: web.Request) -> web.Response:
        section = section_or_404(request)
        return page(request, lib.on_deck([section]), render, xml.library_attrs(section))

    async def section_recent(request: web.Request) -> web.Response:
        section = section_or_404(request)
        items = lib.sorted_items(section, query.default_type(section), "addedAt", True)
        return page(request, items, render, xml.library_attrs(section))

    async def section_sorts(request: web.Request) -> web.Response:
        section_or_404(request)
        body = "".join(
            xml.tag(
                "Directory", {"defaultDirection": d, "descKey": f"{k}:desc", "key": k, "title": t}
            )
            for k, t, d in meta.SORTS
        )
        return xml_response(xml.container({"size": len(meta.SORTS)}, body))

    async def section_filter(request: web.Request) -> web.Response:
        section = section_or_404(request)
        choices = meta.filter_choices(lib, section, request.match_info["name"])
        if choices is None:
            return error(404)
        return page(request, choices, lambda c: xml.tag("Directory", c), xml.library_attrs(section))

    async def section_refresh(request: web.Request) -> web.Response:
        await core.touch_section(section_or_404(request).id)
        return empty()

    async def on_deck(request: web.Request) -> web.Response:
        return page(request, lib.on_deck(), render, xml.library_attrs(None))

    async def recently_added(request: web.Request) -> web.Response:
        return page(request, lib.recently_added(), render, xml.library_attrs(None))

    async def metadata(request: web.Request) -> web.Response:
        items = [lib.get(v) for v in request.match_info["ids"].split(",")]
        if not items or any(i is None for i in items):
            return error(404)
        body = []
        for item in items:
            tail = ""
            if request.query.get("includeOnDeck") == "1" and not item.leaf:
                deck = next((leaf for leaf in lib.leaves(item) if leaf.view_offset), None) or next(
                    (leaf for leaf in lib.leaves(item) if not leaf.view_count), None
                )
                tail = xml.tag("OnDeck", {}, render(deck)) if deck else ""
            body.append(xml.item(lib, item, tail=xml.guids(lib, item) + tail))
        section = lib.sections[items[0].section]
        return xml_response(
            xml.container(xml.library_attrs(section) | {"size": len(body)}, "".join(body))
        )

    def parent_attrs(item: Item) -> dict:
        section = lib.sections[item.section]
        return xml.library_attrs(section) | {
            "key": item.rk,
            "parentTitle": item.title,
            "parentIndex": item.index or None,
            "parentYear": item.year or None,
            "title1": section.title,
            "title2": item.title,
            "thumb": f"/library/metadata/{item.rk}/thumb/{item.added_at}",
        }

    async def children(request: web.Request) -> web.Response:
        item = item_or_404(request.match_info["rk"])
        return page(request, lib.children(item), render, parent_attrs(item))

    async def all_leaves(request: web.Request) -> web.Response:
        item = item_or_404(request.match_info["rk"])
        return page(request, lib.leaves(item), render, parent_attrs(item))

    async def grandchildren(request: web.Request) -> web.Response:
        """A show's episodes or an artist's tracks, across its seasons or albums."""
        item = item_or_404(request.match_info["rk"])
        found = [g for c in lib.children(item) for g in lib.children(c)]
        return page(request, found, render, parent_attrs(item))

    async def image(request: web.Request) -> web.Response:
        item = item_or_404(request.match_info["rk"])
        size = (120, 68) if request.match_info["kind"] == "art" else (40, 60)
        return web.Response(body=png(item.rk, *size), content_type="image/png")

    async def photo_transcode(request: web.Request) -> web.Response:
        url = request.query.get("url", "")
        try:
            width = max(4, min(int(request.query.get("width", 40)), 400))
            height = max(4, min(int(request.query.get("height", 60)), 400))
        except ValueError:
            return error(400)
        digits = "".join(c for c in url if c.isdigit())[:9] or "7"
        return web.Response(body=png(int(digits), width, height), content_type="image/png")

    async def watch_state(request: web.Request) -> web.Response:
        """/:/scrobble, /:/unscrobble, /:/progress and /:/rate on an item (and its descendants)."""
        action = request.match_info["action"]
        item = item_or_404(request.query.get("key", ""))
        targets = lib.leaves(item)
        if action == "scrobble":
            for leaf in targets:
                leaf.view_count += 1
                leaf.view_offset = 0
                leaf.last_viewed_at = int(core.clock.now())
        elif action == "unscrobble":
            for leaf in targets:
                leaf.view_count = leaf.view_offset = 0
        elif action == "progress":
            item.view_offset = int(float(request.query.get("time", 0) or 0))
            item.last_viewed_at = int(core.clock.now())
        elif action == "rate":
            item.user_rating = max(0.0, min(float(request.query.get("rating", 0) or 0), 10.0))
        lib.invalidate_sorts()
        return empty()

    async def part_file(request: web.Request) -> web.Response:
        pid = request.match_info["pid"]
        item = item_or_404(str(int(pid) % SPAN) if pid.isdigit() else pid)  # any version
        if client := request.query.get("X-Plex-Client-Identifier"):
            core.state.end_transcode(client)
            core.state.media_of[client] = int(pid) // SPAN if pid.isdigit() else 0
        return _file_response(core, item)

    async def transcode_start(request: web.Request) -> web.Response:
        """The universal transcoder: we serve the real file itself, which mpv plays fine."""
        path = request.query.get("path", "")
        item = lib.get(path.rstrip("/").split("/")[-1])
        if item is None or not item.leaf:
            return error(400 if not path else 404)
        # Plex Web names its client in the transcode URL; PMS ties the transcode to its session.
        client = request.query.get("X-Plex-Client-Identifier") or request.headers.get(
            "X-Plex-Client-Identifier"
        )
        if client:
            offset_ms = int(float(request.query.get("offset", 0) or 0) * 1000)
            core.state.start_transcode(client, offset_ms)
        return _file_response(core, item)

    r = app.router
    r.add_get("/library", library_root)
    r.add_get("/library/", library_root)
    r.add_get("/library/sections", sections)
    r.add_get("/library/sections/", sections)
    r.add_get("/library/sections/all", sections)
    r.add_get("/library/sections/{sid}", section_detail)
    r.add_get("/library/sections/{sid}/all", section_all)
    r.add_get("/library/sections/{sid}/onDeck", section_on_deck)
    r.add_get("/library/sections/{sid}/recentlyAdded", section_recent)
    r.add_get("/library/sections/{sid}/sorts", section_sorts)
    r.add_get("/library/sections/{sid}/firstCharacter", first_character)
    r.add_get("/library/sections/{sid}/firstCharacters", first_character)
    r.add_get("/library/sections/{sid}/refresh", section_refresh)
    r.add_get("/library/sections/{sid}/{name}", section_filter)
    r.add_get("/library/onDeck", on_deck)
    r.add_get("/library/recentlyAdded", recently_added)
    r.add_get("/library/metadata/{ids}", metadata)
    r.add_get("/library/metadata/{rk}/children", children)
    r.add_get("/library/metadata/{rk}/allLeaves", all_leaves)
    r.add_get("/library/metadata/{rk}/grandchildren", grandchildren)
    r.add_get("/library/metadata/{rk}/{kind:thumb|art}/{stamp}", image)
    r.add_get("/library/metadata/{rk}/{kind:thumb|art}", image)
    r.add_get("/photo/:/transcode", photo_transcode)
    r.add_route("*", "/:/{action:scrobble|unscrobble|progress|rate}", watch_state)
    r.add_get("/library/parts/{pid}/{stamp}/{name}", part_file)
    # progressive (protocol=http) starts; start.m3u8 is HLS, in routes_media
    r.add_get(
        "/{kind:video|audio|music}/:/transcode/universal/start{ext:(?:\\.(?:mkv|mp4|mpd))?}",
        transcode_start,
    )


def _file_response(core: Core, item: Item) -> web.FileResponse:
    """The part itself: a file exactly as long as the item (media.py)."""
    kind = "audio" if item.kind == "track" else "video"
    path = core.files.part(kind, item.duration, languages(item.kind, item.rk))
    return web.FileResponse(path, headers={"Content-Type": CONTENT_TYPES[kind]})
