"""The PMS aiohttp application: middleware (faults, auth, request log, player proxy) and system routes."""

from __future__ import annotations

import asyncio
import logging
import uuid

import aiohttp
from aiohttp import web

from . import routes_library, routes_playlists, routes_status, xml
from .core import VERSION, Core
from .media import png
from .responses import empty, error
from .responses import xml as xml_response
from .state import ACCOUNTS

log = logging.getLogger("plextui.emulators.plex")
OPEN_PATHS = {"/identity"}
PREFS = (
    ("FriendlyName", "Friendly name", "text", "", "general"),
    ("sendCrashReports", "Send crash reports to Plex", "bool", True, "general"),
    ("TranscoderQuality", "Transcoder quality", "int", 0, "transcoder"),
    ("TranscoderH264Preset", "Transcoder default preset", "text", "veryfast", "transcoder"),
    ("MaxStreamingSessions", "Maximum simultaneous streams", "int", 5, "transcoder"),
    ("WanPerStreamMaxUploadRate", "Limit remote stream bitrate", "int", 0, "network"),
    ("LanNetworksBandwidth", "LAN networks", "text", "", "network"),
    ("allowDirectPlay", "Allow direct play", "bool", True, "transcoder"),
    ("allowDirectStream", "Allow direct stream", "bool", True, "transcoder"),
    (
        "BackgroundTranscodeThrottle",
        "Background transcode throttle (s)",
        "double",
        60.0,
        "transcoder",
    ),
)


def token_of(request: web.Request) -> str | None:
    return request.headers.get("X-Plex-Token") or request.query.get("X-Plex-Token")


def build_app(core: Core, verbose: bool = False) -> web.Application:
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "x-plex-token"}
        query = request.query.copy()
        query.popall("X-Plex-Token", None)
        path = request.path + (
            "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        )
        core.requests.append((request.method, path, headers))
        if verbose:
            log.info("%s %s", request.method, path)
        faults = core.faults
        if faults.hang:
            await asyncio.Event().wait()
        if faults.delay:
            await asyncio.sleep(faults.delay)
        if faults.status:
            return error(int(faults.status))
        if request.path not in OPEN_PATHS and not core.token_ok(token_of(request)):
            return error(401, root=request.path == "/")
        if request.path.startswith("/player/"):
            return await proxy(request)
        try:
            response = await handler(request)
        except web.HTTPNotFound:
            return error(404)
        except web.HTTPMethodNotAllowed:
            return error(405)
        except (ValueError, KeyError):
            return error(400)
        if (
            (faults.malformed or faults.truncated)
            and isinstance(response, web.Response)
            and response.content_type == "text/xml"
        ):
            text = response.text
            text = (
                text[: len(text) // 2]
                if faults.truncated
                else text.replace("<MediaContainer", "<MediaContainer <<", 1)
            )
            return web.Response(
                text=text, status=response.status, content_type="text/xml", charset="utf-8"
            )
        return response

    async def proxy(request: web.Request) -> web.StreamResponse:
        """Forward /player/* to the player named by X-Plex-Target-Client-Identifier, over HTTP."""
        target = request.headers.get("X-Plex-Target-Client-Identifier") or request.query.get(
            "X-Plex-Target-Client-Identifier"
        )
        player = core.player_by_id(target or "")
        if player is None:
            return error(404)
        query = request.query.copy()
        query.popall("X-Plex-Token", None)
        url = f"{player.url}{request.path}"
        try:
            async with (
                aiohttp.ClientSession() as client,
                client.get(
                    url,
                    params=query,
                    headers={"X-Plex-Target-Client-Identifier": player.machine_identifier},
                    timeout=aiohttp.ClientTimeout(total=40),
                ) as reply,
            ):
                body = await reply.read()
                return web.Response(
                    body=body, status=reply.status, content_type="text/xml", charset="utf-8"
                )
        except (aiohttp.ClientError, OSError):
            text = (
                f'<Response code="2000" status="FrameworkException: Unable to find player with identifier '
                f'{player.machine_identifier}"/>'
            )
            return web.Response(text=text, status=500, content_type="text/xml", charset="utf-8")

    app = web.Application(middlewares=[middleware])
    routes_library.setup(app, core)
    routes_playlists.setup(app, core)
    routes_status.setup(app, core)
    _system_routes(app, core)
    return app


def _system_routes(app: web.Application, core: Core) -> None:
    prefs = {pid: default for pid, _l, _t, default, _g in PREFS}
    prefs["FriendlyName"] = core.friendly_name

    async def root(request: web.Request) -> web.Response:
        values = {
            "size": 20,
            "allowCameraUpload": 0,
            "allowChannelAccess": 1,
            "allowMediaDeletion": 1,
            "allowSharing": 1,
            "allowSync": 1,
            "allowTuners": 0,
            "backgroundProcessing": 1,
            "certificate": 0,
            "companionProxy": 1,
            "countryCode": "usa",
            "diagnostics": "logs,databases,streaminglogs",
            "eventStream": 1,
            "friendlyName": prefs["FriendlyName"],
            "hubSearch": 1,
            "itemClusters": 1,
            "livetv": 0,
            "machineIdentifier": core.machine_identifier,
            "mediaProviders": 1,
            "multiuser": 1,
            "myPlex": 0,
            "myPlexMappingState": "unknown",
            "myPlexSigninState": "none",
            "myPlexSubscription": 0,
            "myPlexUsername": "",
            "offlineTranscode": 1,
            "ownerFeatures": "webhooks,hardware_transcoding",
            "photoAutoTag": 0,
            "platform": "Linux",
            "platformVersion": "6.1",
            "pluginHost": 0,
            "pushNotifications": 0,
            "readOnlyLibraries": 0,
            "requestParametersInCookie": 1,
            "streamingBrainABRVersion": 3,
            "streamingBrainVersion": 2,
            "sync": 1,
            "transcoderActiveVideoSessions": sum(
                1 for s in core.state.sessions.values() if s.transcode
            ),
            "transcoderAudio": 1,
            "transcoderLyrics": 1,
            "transcoderPhoto": 1,
            "transcoderSubtitles": 1,
            "transcoderVideo": 1,
            "transcoderVideoBitrates": "64,96,208,320,720,1500,2000,3000,4000,8000,10000,12000,20000",
            "transcoderVideoQualities": "0,1,2,3,4,5,6,7,8,9,10,11,12",
            "transcoderVideoResolutions": "128,128,160,240,320,480,768,720,720,1080,1080,1080,1080",
            "updatedAt": 1_700_000_000,
            "updater": 1,
            "version": VERSION,
            "voiceSearch": 0,
        }
        keys = (
            "activities",
            "butler",
            "clients",
            "hubs",
            "library",
            "playQueues",
            "player",
            "playlists",
            "search",
            "statistics",
            "status",
            "transcode",
            "updater",
            "user",
        )
        body = "".join(xml.tag("Directory", {"count": 1, "key": k, "title": k}) for k in keys)
        return xml_response(xml.container(values, body))

    async def identity(request: web.Request) -> web.Response:
        return xml_response(
            xml.container(
                {
                    "size": 0,
                    "claimed": 1,
                    "machineIdentifier": core.machine_identifier,
                    "version": VERSION,
                }
            )
        )

    async def get_prefs(request: web.Request) -> web.Response:
        body = "".join(
            xml.tag(
                "Setting",
                {
                    "id": pid,
                    "label": label,
                    "summary": label,
                    "type": kind,
                    "default": _pref_text(default),
                    "value": _pref_text(prefs[pid]),
                    "hidden": 0,
                    "advanced": 0,
                    "group": group,
                },
            )
            for pid, label, kind, default, group in PREFS
        )
        return xml_response(xml.container({"size": len(PREFS)}, body))

    async def set_prefs(request: web.Request) -> web.Response:
        kinds = {pid: kind for pid, _l, kind, _d, _g in PREFS}
        for key, value in request.query.items():
            if key.startswith("X-Plex-"):
                continue
            if key not in kinds:
                return error(400)
            prefs[key] = value in ("1", "true") if kinds[key] == "bool" else value
        return empty()

    async def accounts(request: web.Request) -> web.Response:
        body = "".join(
            xml.tag(
                "Account",
                {
                    "id": a,
                    "key": f"/accounts/{a}",
                    "name": n,
                    "defaultAudioLanguage": "en",
                    "autoSelectAudio": 1,
                    "defaultSubtitleLanguage": "en",
                    "subtitleMode": 1,
                    "thumb": f"/accounts/{a}/thumb",
                },
            )
            for a, n in ACCOUNTS
        )
        return xml_response(
            xml.container(
                {"size": len(ACCOUNTS), "identifier": "com.plexapp.system.accounts"}, body
            )
        )

    async def myplex_account(request: web.Request) -> web.Response:
        return xml_response(
            xml.container(
                {
                    "authToken": "",
                    "username": "demo@example.invalid",
                    "mappingState": "unknown",
                    "mappingError": "",
                    "signInState": "none",
                    "publicAddress": "127.0.0.1",
                    "publicPort": 0,
                    "privateAddress": "127.0.0.1",
                    "privatePort": 0,
                    "subscriptionFeatures": "",
                    "subscriptionActive": 0,
                    "subscriptionState": "Unknown",
                },
                root="MyPlex",
            )
        )

    async def security_token(request: web.Request) -> web.Response:
        return xml_response(xml.container({"size": 0, "token": f"transient-{uuid.uuid4()}"}))

    async def thumb(request: web.Request) -> web.Response:
        return web.Response(body=png(int(request.match_info["aid"])), content_type="image/png")

    r = app.router
    r.add_get("/", root)
    r.add_get("/identity", identity)
    r.add_get("/:/prefs", get_prefs)
    r.add_put("/:/prefs", set_prefs)
    r.add_get("/accounts", accounts)
    r.add_get("/accounts/{aid:\\d+}/thumb", thumb)
    r.add_get("/myplex/account", myplex_account)
    r.add_get("/security/token", security_token)
    r.add_get("/:/websockets/notifications", core.notifier.handle)
    r.add_get("/:/websocket/notifications", core.notifier.handle)


def _pref_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
