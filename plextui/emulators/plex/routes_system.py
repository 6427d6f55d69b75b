"""System routes: server root, identity, prefs, accounts, devices, activities, tokens."""

from __future__ import annotations

import uuid

from aiohttp import web

from . import xml
from .core import VERSION, Core
from .media import png
from .responses import empty, error
from .responses import xml as xml_response
from .state import ACCOUNTS, DEVICES

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


def setup(app: web.Application, core: Core) -> None:
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
        """A transient token with the caller's access, accepted until the server restarts."""
        q = request.query
        if q.get("type") != "delegation" or q.get("scope") != "all":
            return error(400)
        token = f"transient-{uuid.uuid4()}"
        caller = request.headers.get("X-Plex-Token") or q.get("X-Plex-Token", "")
        core.transient_tokens[token] = core.transient_tokens.get(caller, caller)
        return xml_response(xml.container({"size": 0, "token": token}))

    async def devices(request: web.Request) -> web.Response:
        """The household's devices (the ids bandwidth statistics use), then every client seen."""
        known = [
            {
                "id": d,
                "name": n,
                "platform": "Linux",
                "clientIdentifier": f"device-{d}",
                "createdAt": 1_600_000_000,
            }
            for d, n in DEVICES
        ]
        rows = known + list(core.devices.values())
        body = "".join(xml.tag("Device", r | {"key": f"/devices/{r['id']}"}) for r in rows)
        values = {"size": len(rows), "identifier": "com.plexapp.system.devices"}
        return xml_response(xml.container(values, body))

    async def activities(request: web.Request) -> web.Response:
        body = "".join(
            xml.tag(
                "Activity",
                {k: v for k, v in a.items() if k != "Context"},
                xml.tag("Context", a["Context"]) if a.get("Context") else "",
            )
            for a in core.activities.values()
        )
        return xml_response(xml.container({"size": len(core.activities)}, body))

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
    r.add_route("*", "/security/token", security_token)
    r.add_get("/devices", devices)
    r.add_get("/activities", activities)
    r.add_get("/:/websockets/notifications", core.notifier.handle)
    r.add_get("/:/websocket/notifications", core.notifier.handle)


def _pref_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
