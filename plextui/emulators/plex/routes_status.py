"""Status routes: sessions (+terminate), transcode sessions, history, /:/timeline, clients, statistics."""

from __future__ import annotations

from aiohttp import web

from . import xml
from .core import Core
from .responses import empty, error, page
from .responses import xml as xml_response
from .state import ACCOUNTS, DEVICES, Session, transcode_key


def _own(core: Core, request: web.Request, rows: list, account_of) -> list:
    """A non-admin (Home user) token sees only its own account's rows, like the Plex apps."""
    token = request.headers.get("X-Plex-Token") or request.query.get("X-Plex-Token")
    account = core.account_of(token)
    return rows if account is None else [r for r in rows if account_of(r) == account[0]]


def session_xml(core: Core, s: Session) -> str:
    """One /status/sessions entry: the item plus User, Player, Session and TranscodeSession."""
    lib, st = core.library, core.state
    item = lib.get(s.rk)
    player = s.player | {
        "state": s.state,
        "local": int(s.lan),
        "userID": s.user[0],
        "profile": s.player.get("product"),
        "platformVersion": "6.1",
    }
    tail = xml.tag(
        "User", {"id": s.user[0], "title": s.user[1], "thumb": f"/accounts/{s.user[0]}/thumb"}
    )
    tail += xml.tag("Player", player)
    tail += xml.tag(
        "Session",
        {
            "id": s.session_id,
            "bandwidth": st.session_bandwidth(s),
            "location": "lan" if s.lan else "wan",
        },
    )
    if s.transcode:
        tail += xml.tag("TranscodeSession", transcode_attrs(core, s))
    extra = {"sessionKey": s.key, "viewOffset": s.offset}
    decision = "transcode" if s.transcode else "directplay"
    return xml.item(lib, item, extra, tail, decision, s.extra.get("media_index", 0))


def transcode_attrs(core: Core, s: Session) -> dict:
    item = core.library.get(s.rk)
    info = core.state.transcode_info(s, core.faults.transcoder_speed)
    video = item.kind != "track"
    return {
        "key": f"/transcode/sessions/{transcode_key(s)}",
        "throttled": info["throttled"],
        "complete": info["complete"],
        "progress": info["progress"],
        "size": -22,
        "speed": info["speed"],
        "error": 0,
        "duration": item.duration,
        "remaining": info["remaining"],
        "context": "streaming",
        "sourceVideoCodec": ("hevc" if item.resolution == "4k" else "h264") if video else None,
        "sourceAudioCodec": "eac3" if video else "flac",
        "videoDecision": "transcode" if video else None,
        "audioDecision": "transcode",
        "protocol": "hls",
        "container": "mpegts",
        "videoCodec": "h264" if video else None,
        "audioCodec": "aac",
        "audioChannels": 2,
        "width": 1280 if video else None,
        "height": 720 if video else None,
        "transcodeHwRequested": 0,
        "timeStamp": f"{core.clock.now():.4f}",
        "maxOffsetAvailable": info["maxOffsetAvailable"],
        "minOffsetAvailable": 0,
    }


def setup(app: web.Application, core: Core) -> None:
    lib, st = core.library, core.state

    async def sessions(request: web.Request) -> web.Response:
        await core.tick()
        found = _own(core, request, list(st.sessions.values()), lambda s: s.user[0])
        return page(request, found, lambda s: session_xml(core, s))

    async def terminate(request: web.Request) -> web.Response:
        sid = request.query.get("sessionId", "")
        session = next((s for s in st.sessions.values() if s.session_id == sid), None)
        if session is None:
            return error(404)
        reason = request.query.get("reason", "")
        player = core.player_by_id(session.client_id)
        if player is not None:
            player.stop()
        st.terminated[session.client_id] = reason
        note = st.stop_session(session.client_id)
        await core.notifier.publish("playing", "PlaySessionStateNotification", [note])
        return empty()

    async def transcode_sessions(request: web.Request) -> web.Response:
        await core.tick()
        found = [s for s in st.sessions.values() if s.transcode]
        return page(
            request,
            found,
            lambda s: xml.tag(
                "TranscodeSession", transcode_attrs(core, s) | {"key": transcode_key(s)}
            ),
        )

    def history_xml(h: dict) -> str:
        item = lib.get(h["rk"])
        values = {
            "historyKey": f"/status/sessions/history/{h['id']}",
            "key": f"/library/metadata/{item.rk}",
            "ratingKey": item.rk,
            "librarySectionID": item.section,
            "title": item.title,
            "type": item.kind,
            "thumb": f"/library/metadata/{item.rk}/thumb/{item.added_at}",
            "viewedAt": h["viewedAt"],
            "accountID": h["account"],
            "deviceID": h["device"],
            "index": item.index or None,
            "originallyAvailableAt": f"{item.year}-01-01" if item.year else None,
        }
        for prefix, anc in zip(("parent", "grandparent"), lib.ancestors(item), strict=False):
            values |= {
                f"{prefix}Key": f"/library/metadata/{anc.rk}",
                f"{prefix}RatingKey": anc.rk,
                f"{prefix}Title": anc.title,
                f"{prefix}Index": anc.index or None,
            }
        return xml.tag(xml.element_name(item), values)

    async def history(request: web.Request) -> web.Response:
        q = request.query
        found = _own(core, request, st.history, lambda h: h["account"])
        if q.get("accountID"):
            found = [h for h in found if str(h["account"]) == q["accountID"]]
        if q.get("metadataItemID"):
            wanted = lib.get(q["metadataItemID"])
            keys = {leaf.rk for leaf in lib.leaves(wanted)} if wanted else set()
            found = [h for h in found if h["rk"] in keys]
        if q.get("librarySectionID"):
            found = [h for h in found if str(lib.get(h["rk"]).section) == q["librarySectionID"]]
        if q.get("viewedAt>"):
            found = [h for h in found if h["viewedAt"] >= int(q["viewedAt>"])]
        if q.get("viewedAt<"):
            found = [h for h in found if h["viewedAt"] <= int(q["viewedAt<"])]
        desc = q.get("sort", "viewedAt:desc").endswith(":desc")
        found = sorted(found, key=lambda h: (h["viewedAt"], h["id"]), reverse=desc)
        return page(request, found, history_xml)

    async def delete_history(request: web.Request) -> web.Response:
        hid = int(request.match_info["hid"]) if request.match_info["hid"].isdigit() else -1
        if not any(h["id"] == hid for h in st.history):
            return error(404)
        st.history = [h for h in st.history if h["id"] != hid]
        return empty()

    async def timeline(request: web.Request) -> web.Response:
        """Timeline reports from any client (mpv, Plex apps, plexapi's updateTimeline) become sessions."""
        q = request.query
        client = request.headers.get("X-Plex-Client-Identifier") or q.get(
            "X-Plex-Client-Identifier"
        )
        if not client:
            return error(400)
        rk = q.get("ratingKey") or q.get("key", "").rstrip("/").split("/")[-1]
        if lib.get(rk) is None:
            return error(404)
        reason = st.terminated.pop(client, None)
        if reason is not None:
            return xml_response(
                xml.container(
                    {
                        "size": 0,
                        "terminationCode": 2006,
                        "terminationText": f"Admin terminated playback with reason: {reason}",
                    }
                )
            )

        def header(name: str) -> str | None:  # X-Plex-* come as headers or in the query
            return request.headers.get(name) or q.get(name)

        player = {
            "title": header("X-Plex-Device-Name") or header("X-Plex-Product") or "Unknown",
            "machineIdentifier": client,
            "address": request.remote or "127.0.0.1",
            "device": header("X-Plex-Device") or header("X-Plex-Platform") or "Linux",
            "platform": header("X-Plex-Platform") or "Linux",
            "product": header("X-Plex-Product") or "Plex",
            "version": header("X-Plex-Version") or "1.0",
            "model": "",
            "relayed": 0,
            "secure": 0,
        }
        try:
            offset = int(float(q.get("time", 0) or 0))
        except ValueError:
            return error(400)
        duration = int(float(q["duration"])) if q.get("duration") else None
        token = request.headers.get("X-Plex-Token") or q.get("X-Plex-Token")
        user = core.account_of(token) or ACCOUNTS[0]
        await core.report(
            client, player, int(rk), q.get("state", "playing"), offset, duration=duration, user=user
        )
        return empty()

    async def clients(request: web.Request) -> web.Response:
        """The players heard announcing themselves by GDM (HELLO, until their BYE)."""
        heard = core.gdm.clients()
        body = "".join(xml.tag("Server", c) for c in heard)
        return xml_response(xml.container({"size": len(heard)}, body))

    async def bandwidth(request: web.Request) -> web.Response:
        await core.tick()
        q = request.query
        found = [
            b
            for b in st.bandwidth
            if (not q.get("accountID") or str(b["accountID"]) == q["accountID"])
            and (not q.get("lan") or int(b["lan"]) == int(q["lan"]))
        ]
        head = "".join(
            xml.tag(
                "Device",
                {
                    "id": d,
                    "name": n,
                    "platform": "Linux",
                    "clientIdentifier": f"device-{d}",
                    "createdAt": 1_600_000_000,
                },
            )
            for d, n in DEVICES
        )
        head += "".join(
            xml.tag("Account", {"id": a, "key": f"/accounts/{a}", "name": n}) for a, n in ACCOUNTS
        )
        return page(request, found, lambda b: xml.tag("StatisticsBandwidth", b), extra_body=head)

    async def resources(request: web.Request) -> web.Response:
        now, playing = int(core.clock.now()), len(st.sessions)
        rows = [
            {
                "at": now - 6 * n,
                "timespan": 6,
                "hostCpuUtilization": round(8.0 + 5 * playing + n % 3, 3),
                "processCpuUtilization": round(2.0 + 4 * playing + n % 2, 3),
                "hostMemoryUtilization": 41.5,
                "processMemoryUtilization": 3.2,
            }
            for n in range(10)
        ]
        return page(request, rows, lambda r: xml.tag("StatisticsResources", r))

    r = app.router
    r.add_get("/status/sessions", sessions)
    r.add_get("/status/sessions/terminate", terminate)
    r.add_get("/status/sessions/terminate/player", terminate)
    r.add_get("/status/sessions/history/all", history)
    r.add_delete("/status/sessions/history/{hid}", delete_history)
    r.add_get("/transcode/sessions", transcode_sessions)
    r.add_route("*", "/:/timeline", timeline)
    r.add_get("/clients", clients)
    r.add_get("/statistics/bandwidth", bandwidth)
    r.add_get("/statistics/resources", resources)
