"""Playlists and play queues: creation from server:// and library:// URIs, edits, moves.

Smart playlists (`smart=1`, a `/library/sections/N/all?…` URI) keep their rules and are
filled from the section on every read; as on PMS they cannot be edited item by item
(remove, move, clear answer 400) and a PUT of a new `uri` replaces their rules.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from aiohttp import web

from . import query, xml
from .core import Core
from .library import Item
from .responses import empty, error, page
from .responses import xml as xml_response
from .state import Playlist, PlayQueue

_METADATA = re.compile(r"/library/(?:metadata|collections)/([\d,]+)")
_SECTION = re.compile(r"/library/sections/(\d+)/all")


def uri_items(core: Core, uri: str) -> list[int]:
    """Leaf ratingKeys named by a server://…/library/metadata/1,2 or library:///directory/… URI."""
    match = _METADATA.search(unquote(uri))
    if not match:
        return []
    out: list[int] = []
    for part in match.group(1).split(","):
        item = core.library.get(part)
        if item is not None:
            out.extend(leaf.rk for leaf in core.library.leaves(item))
    return out


def smart_items(core: Core, uri: str) -> list[Item]:
    """The leaves a smart playlist's rules select now; [] when they name no section."""
    match = _SECTION.search(unquote(uri))
    section = core.library.sections.get(int(match.group(1))) if match else None
    if section is None:
        return []
    rules = dict(parse_qsl(urlsplit(unquote(uri)).query))
    found = query.search(core.library, section, rules)
    return [leaf for item in found for leaf in core.library.leaves(item)]


def setup(app: web.Application, core: Core) -> None:
    lib, st = core.library, core.state

    def entries(pl: Playlist) -> list[tuple[int | None, Item | None]]:
        """(playlistItemID, item) in order; a smart playlist's entries have no id."""
        if pl.content:
            return [(None, item) for item in smart_items(core, pl.content)]
        return [(pid, lib.get(rk)) for pid, rk in pl.items]

    def dumb_or_400(request: web.Request) -> Playlist:
        pl = playlist_or_404(request)
        if pl.content:
            raise web.HTTPBadRequest()
        return pl

    def playlist_xml(pl: Playlist) -> str:
        items = [item for _, item in entries(pl)]
        return xml.tag(
            "Playlist",
            {
                "ratingKey": pl.id,
                "key": f"/playlists/{pl.id}/items",
                "guid": f"com.plexapp.agents.none://{pl.id:08x}",
                "type": "playlist",
                "title": pl.title,
                "summary": pl.summary,
                "smart": int(bool(pl.content)),
                "content": pl.content or None,
                "playlistType": pl.kind,
                "composite": f"/playlists/{pl.id}/composite/{pl.updated_at}",
                "leafCount": len(items),
                "duration": sum(i.duration for i in items if i),
                "addedAt": pl.added_at,
                "updatedAt": pl.updated_at,
                "icon": "playlist://image.smart",
            },
        )

    def one(pl: Playlist) -> web.Response:
        return xml_response(xml.container({"size": 1}, playlist_xml(pl)))

    def playlist_or_404(request: web.Request) -> Playlist:
        pl = (
            st.playlists.get(int(request.match_info["pid"]))
            if request.match_info["pid"].isdigit()
            else None
        )
        if pl is None:
            raise web.HTTPNotFound()
        return pl

    async def list_playlists(request: web.Request) -> web.Response:
        q = request.query
        found = [
            p
            for p in st.playlists.values()
            if (not q.get("playlistType") or p.kind == q["playlistType"])
            and (not q.get("title") or q["title"].lower() in p.title.lower())
        ]
        return page(request, found, playlist_xml)

    async def create(request: web.Request) -> web.Response:
        q = request.query
        kind = "audio" if q.get("type", "video") in ("audio", "music") else q.get("type", "video")
        if q.get("smart") == "1":
            if not q.get("title") or not _SECTION.search(unquote(q.get("uri", ""))):
                return error(400)
            pl = st.create_playlist(q["title"], kind, [])
            pl.content = q["uri"]
            return one(pl)
        rks = uri_items(core, q.get("uri", ""))
        if not q.get("title") or not rks:
            return error(400)
        return one(st.create_playlist(q["title"], kind, rks))

    async def get_playlist(request: web.Request) -> web.Response:
        return one(playlist_or_404(request))

    async def edit(request: web.Request) -> web.Response:
        """`?title=` as older clients send it, `?title.value=` as plexapi's editTitle does."""
        q = request.query
        pl = playlist_or_404(request)
        pl.title = q.get("title.value") or q.get("title") or pl.title
        pl.summary = q.get("summary.value", q.get("summary", pl.summary))
        pl.updated_at = int(core.clock.now())
        return one(pl)

    async def delete(request: web.Request) -> web.Response:
        st.playlists.pop(playlist_or_404(request).id)
        return empty()

    async def items(request: web.Request) -> web.Response:
        pl = playlist_or_404(request)
        base = {"ratingKey": pl.id, "title": pl.title, "playlistType": pl.kind}
        base["smart"] = int(bool(pl.content))
        return page(
            request, entries(pl), lambda p: xml.item(lib, p[1], {"playlistItemID": p[0]}), base
        )

    async def add_items(request: web.Request) -> web.Response:
        pl = playlist_or_404(request)
        uri = request.query.get("uri", "")
        if pl.content:  # a smart playlist takes new rules, not items
            if not _SECTION.search(unquote(uri)):
                return error(400)
            pl.content = uri
            return one(pl)
        rks = uri_items(core, uri)
        if not rks:
            return error(400)
        pl.items += [(st.next_id(), rk) for rk in rks]
        pl.updated_at = int(core.clock.now())
        return one(pl)

    async def clear(request: web.Request) -> web.Response:
        pl = dumb_or_400(request)
        pl.items.clear()
        return one(pl)

    async def remove_item(request: web.Request) -> web.Response:
        pl = dumb_or_400(request)
        iid = int(request.match_info["iid"])
        if not any(pid == iid for pid, _ in pl.items):
            return error(404)
        pl.items = [p for p in pl.items if p[0] != iid]
        return one(pl)

    async def move_item(request: web.Request) -> web.Response:
        pl = dumb_or_400(request)
        pl.items = _move(pl.items, int(request.match_info["iid"]), request.query.get("after"))
        return one(pl)

    # ----- play queues -----
    def pq_xml(pq: PlayQueue) -> web.Response:
        window = pq.items[:500]
        sel_id, sel_rk = pq.items[pq.selected] if pq.items else (0, 0)
        values = xml.library_attrs(None) | {
            "size": len(window),
            "playQueueID": pq.id,
            "playQueueSelectedItemID": sel_id or None,
            "playQueueSelectedItemOffset": pq.selected,
            "playQueueSelectedMetadataItemID": sel_rk or None,
            "playQueueShuffled": int(pq.shuffled),
            "playQueueSourceURI": pq.source,
            "playQueueTotalCount": len(pq.items),
            "playQueueVersion": pq.version,
        }
        body = "".join(xml.item(lib, lib.get(rk), {"playQueueItemID": qid}) for qid, rk in window)
        return xml_response(xml.container(values, body))

    def pq_or_404(request: web.Request) -> PlayQueue:
        pq = (
            st.play_queues.get(int(request.match_info["qid"]))
            if request.match_info["qid"].isdigit()
            else None
        )
        if pq is None:
            raise web.HTTPNotFound()
        return pq

    async def create_pq(request: web.Request) -> web.Response:
        q = request.query
        if q.get("playlistID"):
            pl = st.playlists.get(int(q["playlistID"]))
            if pl is None:
                return error(404)
            rks = [item.rk for _, item in entries(pl) if item]
            source = f"library://x/playlist/{pl.id}"
        else:
            rks, source = uri_items(core, q.get("uri", "")), q.get("uri", "")
        if not rks:
            return error(400)
        start = _METADATA.search(q.get("key", ""))
        pq = st.create_play_queue(
            q.get("type", "video"),
            rks,
            int(start.group(1)) if start else None,
            q.get("shuffle") == "1",
            source,
        )
        return pq_xml(pq)

    async def get_pq(request: web.Request) -> web.Response:
        return pq_xml(pq_or_404(request))

    async def add_pq(request: web.Request) -> web.Response:
        pq = pq_or_404(request)
        rks = uri_items(core, request.query.get("uri", ""))
        if request.query.get("playlistID"):
            pl = st.playlists.get(int(request.query["playlistID"]))
            rks = [item.rk for _, item in entries(pl) if item] if pl else []
        new = [(st.next_id(), rk) for rk in rks]
        at = pq.selected + 1 if request.query.get("next") == "1" else len(pq.items)
        pq.items[at:at] = new
        pq.version += 1
        return pq_xml(pq)

    async def shuffle_pq(request: web.Request) -> web.Response:
        pq = pq_or_404(request)
        pq.shuffled = request.match_info["op"] == "shuffle"
        head, rest = pq.items[: pq.selected + 1], pq.items[pq.selected + 1 :]
        pq.items = head + (rest[::-1] if pq.shuffled else sorted(rest))
        pq.version += 1
        return pq_xml(pq)

    async def remove_pq(request: web.Request) -> web.Response:
        pq = pq_or_404(request)
        iid = int(request.match_info["iid"])
        if not any(qid == iid for qid, _ in pq.items):
            return error(404)
        pq.items = [p for p in pq.items if p[0] != iid]
        pq.selected = min(pq.selected, max(len(pq.items) - 1, 0))
        pq.version += 1
        return pq_xml(pq)

    async def clear_pq(request: web.Request) -> web.Response:
        pq = pq_or_404(request)
        pq.items = pq.items[pq.selected : pq.selected + 1]
        pq.selected = 0
        pq.version += 1
        return pq_xml(pq)

    async def move_pq(request: web.Request) -> web.Response:
        pq = pq_or_404(request)
        current = pq.items[pq.selected][0] if pq.items else None
        pq.items = _move(pq.items, int(request.match_info["iid"]), request.query.get("after"))
        pq.selected = next((n for n, (q, _) in enumerate(pq.items) if q == current), 0)
        pq.version += 1
        return pq_xml(pq)

    r = app.router
    r.add_get("/playlists", list_playlists)
    r.add_get("/playlists/all", list_playlists)
    r.add_post("/playlists", create)
    r.add_get("/playlists/{pid}", get_playlist)
    r.add_put("/playlists/{pid}", edit)
    r.add_delete("/playlists/{pid}", delete)
    r.add_get("/playlists/{pid}/items", items)
    r.add_put("/playlists/{pid}/items", add_items)
    r.add_delete("/playlists/{pid}/items", clear)
    r.add_delete("/playlists/{pid}/items/{iid}", remove_item)
    r.add_put("/playlists/{pid}/items/{iid}/move", move_item)
    r.add_post("/playQueues", create_pq)
    r.add_get("/playQueues/{qid}", get_pq)
    r.add_put("/playQueues/{qid}", add_pq)
    r.add_put("/playQueues/{qid}/{op:shuffle|unshuffle}", shuffle_pq)
    r.add_delete("/playQueues/{qid}/items", clear_pq)
    r.add_delete("/playQueues/{qid}/items/{iid}", remove_pq)
    r.add_put("/playQueues/{qid}/items/{iid}/move", move_pq)


def _move(items: list[tuple[int, int]], iid: int, after: str | None) -> list[tuple[int, int]]:
    """Move entry `iid` to just after `after` (or to the front when after is absent/0)."""
    moving = next((p for p in items if p[0] == iid), None)
    if moving is None:
        raise web.HTTPNotFound()
    rest = [p for p in items if p[0] != iid]
    pos = 0
    if after and after != "0":
        pos = next((n + 1 for n, p in enumerate(rest) if str(p[0]) == after), len(rest))
    return rest[:pos] + [moving] + rest[pos:]
