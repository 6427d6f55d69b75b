"""Collections: a section's list (/library/sections/{id}/collections, or `all?type=18`) and
each collection's members under /library/collections/{id}, which PMS also answers at
/library/metadata/{id} (children, allLeaves), so play queues and plexapi's `items()` work.
"""

from __future__ import annotations

from aiohttp import web

from . import meta, xml
from .core import Core
from .library import COLLECTION_TYPE, Item
from .responses import error, page
from .responses import xml as xml_response


def setup(app: web.Application, core: Core) -> None:
    lib = core.library

    def render(item: Item) -> str:
        return xml.item(lib, item)

    def collection_or_none(request: web.Request) -> Item | None:
        item = lib.get(request.match_info["cid"])
        return item if item is not None and item.kind == "collection" else None

    async def section_collections(request: web.Request) -> web.Response:
        try:
            section = lib.sections[int(request.match_info["sid"])]
        except (KeyError, ValueError):
            return error(404)
        extra = meta.collections_meta(section) if request.query.get("includeMeta") == "1" else ""
        found = lib.sorted_items(section, COLLECTION_TYPE, "titleSort", False)
        return page(request, found, render, xml.library_attrs(section), extra)

    async def collection(request: web.Request) -> web.Response:
        item = collection_or_none(request)
        if item is None:
            return error(404)
        section = lib.sections[item.section]
        values = xml.library_attrs(section) | {"size": 1}
        return xml_response(xml.container(values, render(item)))

    async def members(request: web.Request) -> web.Response:
        item = collection_or_none(request)
        if item is None:
            return error(404)
        section = lib.sections[item.section]
        base = xml.library_attrs(section) | {"key": item.rk, "title1": section.title,
                                             "title2": item.title}  # fmt: skip
        return page(request, lib.children(item), render, base)

    r = app.router
    r.add_get("/library/sections/{sid}/collections", section_collections)
    r.add_get("/library/collections/{cid}", collection)
    r.add_get("/library/collections/{cid}/children", members)
    r.add_get("/library/collections/{cid}/items", members)
