"""The universal transcoder's decision and HLS answers, and sidecar subtitle streams.

No transcoding happens: a transcode "session" is an HLS master playlist pointing at a media
playlist whose one segment is the item's own part file (a Matroska file as long as the item,
see media.py), which any HLS player can fetch and seek in. Decisions follow PMS's codes:
1xxx playback can go ahead, 3xxx direct play is not possible (and why).
"""

from __future__ import annotations

import math
import uuid

from aiohttp import web

from . import versions, xml
from .core import Core
from .library import Item
from .media import CONTENT_TYPES
from .responses import error
from .responses import xml as xml_response

DIRECT_OK = (1000, "Direct play OK.")
CONVERSION_OK = (1001, "Direct play not available; Conversion OK.")
DIRECT_DISABLED = (3000, "App cannot direct play this item. Direct play is disabled.")
HLS = "application/vnd.apple.mpegurl"
KINDS = "{kind:video|audio|music}"


def setup(app: web.Application, core: Core) -> None:
    lib = core.library

    def item_of(request: web.Request) -> Item:
        """The leaf named by `path=/library/metadata/K`: 400 without one, 404 if unknown."""
        path = request.query.get("path", "")
        if not path:
            raise ValueError("path is required")
        item = lib.get(path.rstrip("/").split("/")[-1])
        if item is None or not item.leaf:
            raise web.HTTPNotFound()
        return item

    def direct_play_refusal(request: web.Request, item: Item) -> tuple[int, str] | None:
        """Why this request cannot direct play `item`, as PMS words it; None when it can."""
        q = request.query
        if q.get("directPlay") == "0":
            return DIRECT_DISABLED
        bitrate = xml.media_bitrate(item)
        limit = int(q.get("maxVideoBitrate") or q.get("maxAudioBitrate") or 0)
        if limit and limit < bitrate:
            return (
                3001,
                f"Not enough bandwidth for direct play of this item. Required bandwidth is "
                f"{bitrate}kbps and only {limit}kbps is available.",
            )
        wanted = q.get("videoResolution", "")
        height = xml.VIDEO_SIZES.get(item.resolution or "1080", (0, 0))[1]
        if "x" in wanted and item.kind != "track" and int(wanted.split("x")[1]) < height:
            return (3000, "App cannot direct play this item. Video resolution is too high.")
        return None

    async def decision(request: web.Request) -> web.Response:
        item = item_of(request)
        refusal = direct_play_refusal(request, item)
        general = DIRECT_OK if refusal is None else CONVERSION_OK
        codes = {
            "generalDecisionCode": general[0],
            "generalDecisionText": general[1],
            "directPlayDecisionCode": (refusal or DIRECT_OK)[0],
            "directPlayDecisionText": (refusal or DIRECT_OK)[1],
        }
        if refusal is not None:
            codes |= {
                "transcodeDecisionCode": CONVERSION_OK[0],
                "transcodeDecisionText": CONVERSION_OK[1],
            }
        if request.query.get("hasMDE") == "1":
            codes |= {"mdeDecisionCode": general[0], "mdeDecisionText": general[1]}
        values = xml.library_attrs(lib.sections[item.section]) | {"size": 1} | codes
        body = xml.item(lib, item, decision="directplay" if refusal is None else "transcode")
        return xml_response(xml.container(values, body))

    async def start_hls(request: web.Request) -> web.Response:
        """The master playlist; the transcode becomes the client's session, as on PMS."""
        item = item_of(request)
        q = request.query
        client = q.get("X-Plex-Client-Identifier") or request.headers.get(
            "X-Plex-Client-Identifier"
        )
        if client:
            core.state.start_transcode(client, int(float(q.get("offset", 0) or 0) * 1000))
            core.state.media_of[client] = int(q.get("mediaIndex", 0) or 0)
        session = q.get("session") or q.get("X-Plex-Session-Identifier") or uuid.uuid4().hex
        core.hls_sessions[session] = item.rk
        carried[session] = transcoded_audio(item, q)
        kbps = int(q.get("maxVideoBitrate") or 0) or xml.media_bitrate(item)
        stream = f"PROGRAM-ID=1,BANDWIDTH={kbps * 1000}"
        if item.kind != "track":
            wanted = q.get("videoResolution", "")
            width, height = xml.VIDEO_SIZES.get(item.resolution or "1080", (1920, 1080))
            if "x" in wanted:
                width, height = (int(v) for v in wanted.split("x", 1))
            stream += f",RESOLUTION={width}x{height}"
        text = f"#EXTM3U\n#EXT-X-STREAM-INF:{stream}\nsession/{session}/base/index.m3u8\n"
        return web.Response(text=text, content_type=HLS)

    carried: dict[str, tuple[str, ...]] = {}  # HLS session → its audio track's language

    def transcoded_audio(item: Item, q) -> tuple[str, ...]:
        """A transcode carries one audio track, as PMS's does: the one asked for
        (`audioStreamID`), else the one selected on the part of the version played."""
        if item.kind not in ("movie", "episode"):
            return ()
        found = versions.versions(item.kind, item.rk, item.resolution)
        version = found[min(max(int(q.get("mediaIndex", 0) or 0), 0), len(found) - 1)]
        wanted = int(q.get("audioStreamID", 0) or 0) or lib.choices.audio_of(version)
        tracks = versions.audio_tracks(version)
        return (next((t for t in tracks if t.id == wanted), tracks[0]).code3,)

    def session_item(request: web.Request) -> Item:
        rk = core.hls_sessions.get(request.match_info["session"])
        if rk is None:
            raise web.HTTPNotFound()
        return lib.get(rk)

    async def media_playlist(request: web.Request) -> web.Response:
        item = session_item(request)
        seconds = max(item.duration, 1000) / 1000
        text = (
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n"
            f"#EXT-X-TARGETDURATION:{math.ceil(seconds)}\n#EXT-X-MEDIA-SEQUENCE:0\n"
            f"#EXTINF:{seconds:.3f},\n00000.mkv\n#EXT-X-ENDLIST\n"
        )
        return web.Response(text=text, content_type=HLS)

    async def segment(request: web.Request) -> web.StreamResponse:
        item = session_item(request)
        if request.match_info["n"] != "00000":
            raise web.HTTPNotFound()
        kind = "audio" if item.kind == "track" else "video"
        languages = carried.get(request.match_info["session"], ())
        path = core.files.part(kind, item.duration, languages)
        return web.FileResponse(path, headers={"Content-Type": CONTENT_TYPES[kind]})

    async def subtitle(request: web.Request) -> web.Response:
        """A sidecar subtitle the metadata advertises (Stream key=/library/streams/{id})."""
        sid = int(request.match_info["sid"])
        index, base = versions.owner(sid, versions.SPAN * 10)
        item = lib.get(base // 10)
        found = {}
        if item is not None and item.kind in ("movie", "episode"):
            version = versions.versions(item.kind, item.rk, item.resolution)
            if index < len(version):
                found = {t.id: t for t in versions.subtitle_tracks(version[index])}
        ext = request.match_info.get("ext") or "srt"
        if sid not in found or ext not in ("srt", "vtt"):
            return error(404)
        track = found[sid]
        cues = _cues(
            item.title, track.language + (" forced" if track.forced else ""), item.duration
        )
        if ext == "vtt":
            text = "WEBVTT\n\n" + "".join(
                f"{start.replace(',', '.')} --> {end.replace(',', '.')}\n{line}\n\n"
                for _n, start, end, line in cues
            )
            return web.Response(text=text, content_type="text/vtt", charset="utf-8")
        text = "".join(f"{n}\n{start} --> {end}\n{line}\n\n" for n, start, end, line in cues)
        return web.Response(text=text, content_type="application/x-subrip", charset="utf-8")

    async def choose_streams(request: web.Request) -> web.Response:
        """`PUT /library/parts/{id}?audioStreamID=&subtitleStreamID=` (0: no subtitles):
        the tracks this part plays by default, for every player. With allParts=1 (what
        plexapi and Plex apps send) PMS applies it to the item's other parts too; our
        items have one part per version, so it is the same here."""
        pid = int(request.match_info["pid"])
        index, base = versions.owner(pid)
        item = lib.get(base)
        if item is None or item.kind not in ("movie", "episode"):
            return error(404)
        version = versions.find(item.kind, item.rk, item.resolution, pid)
        if version is None:
            return error(404)
        q = request.query
        why = lib.choices.choose(version, q.get("audioStreamID"), q.get("subtitleStreamID"))
        if why is not None:
            return error(400)  # PMS says no more than "Bad Request"
        return web.Response(status=200)

    r = app.router
    r.add_get(f"/{KINDS}/:/transcode/universal/decision", decision)
    r.add_get(f"/{KINDS}/:/transcode/universal/start.m3u8", start_hls)
    r.add_get(f"/{KINDS}/:/transcode/universal/session/{{session}}/base/index.m3u8", media_playlist)
    r.add_get(f"/{KINDS}/:/transcode/universal/session/{{session}}/base/{{n}}.mkv", segment)
    r.add_get("/library/streams/{sid:\\d+}", subtitle)
    r.add_get("/library/streams/{sid:\\d+}.{ext}", subtitle)
    r.add_put("/library/parts/{pid:\\d+}", choose_streams)


def _cues(title: str, language: str, duration_ms: int) -> list[tuple[int, str, str, str]]:
    """A few cues spread over the item: (number, start, end, text) in SRT time format."""
    step = max(duration_ms // 4, 4000)
    return [
        (n + 1, _srt_time(n * step + 1000), _srt_time(n * step + 4000), line)
        for n, line in enumerate((title, f"{language} subtitles", "…", "The end."))
    ]


def _srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"
