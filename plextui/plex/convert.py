"""Plex XML → the frozen models of `plextui.core.models`.

Each function takes a plexapi object or the XML element itself (what `plex/direct.py`
reads without plexapi), and reads only the element's attributes and children: touching a
plexapi attribute the XML lacks would make plexapi reload the object over the network
(its auto-reload), which is exactly what a page of 100 rows must avoid.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from plextui.core.models import (
    BandwidthSample,
    HistoryEntry,
    Library,
    MediaInfo,
    MediaItem,
    PlayerInfo,
    Playlist,
    SessionInfo,
    StreamInfo,
)

KINDS = {"movie", "show", "season", "episode", "artist", "album", "track", "playlist", "collection"}
HIT_KINDS = KINDS - {"collection"}  # search hits: a collection is browsed, not searched for
STREAM_KINDS = {1: "video", 2: "audio", 3: "subtitle"}


def xml(obj: Any) -> Element | None:
    """The XML element behind a plexapi object, or the element itself."""
    return obj if isinstance(obj, Element) else getattr(obj, "_data", None)


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    """An attribute straight from the loaded XML, never triggering a reload."""
    data = xml(obj)
    if data is None:
        return getattr(obj, name, default)
    value = data.attrib.get(name)
    return default if value is None else value


def _flag(element: Element, name: str) -> bool:
    return element.attrib.get(name, "0") not in ("0", "", "false")


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def library(section: Any, count: int = 0) -> Library:
    """A `<Directory>` of `/library/sections`."""
    return Library(
        key=str(_attr(section, "key", "")),
        title=_attr(section, "title", "") or "",
        type=_attr(section, "type", "") or "",
        count=count,
    )


def media_info(media: Element) -> MediaInfo:
    """One version (a `<Media>` element) of an item."""
    a = media.attrib
    size = sum(_int(p.attrib.get("size")) or 0 for p in media.findall("Part")) or None
    return MediaInfo(
        resolution=a.get("videoResolution"),
        video_codec=a.get("videoCodec"),
        audio_codec=a.get("audioCodec"),
        container=a.get("container"),
        bitrate_kbps=_int(a.get("bitrate")),
        width=_int(a.get("width")),
        height=_int(a.get("height")),
        size_bytes=size,
        duration_ms=_int(a.get("duration")),
        audio_channels=_int(a.get("audioChannels")),
        title=a.get("title") or None,
    )


def streams(item: Any, index: int = 0) -> tuple[StreamInfo, ...]:
    """The streams of the first part of version `index` (the first version by default)."""
    data = xml(item)
    out = []
    for m in (data.findall("Media") if data is not None else [])[index : index + 1]:
        for part in m.findall("Part")[:1]:
            for s in part.findall("Stream"):
                a = s.attrib
                kind = STREAM_KINDS.get(_int(a.get("streamType")) or 0)
                if kind:
                    out.append(
                        StreamInfo(
                            kind=kind,
                            codec=a.get("codec"),
                            language=a.get("language"),
                            title=a.get("displayTitle") or a.get("title"),
                            selected=_flag(s, "selected"),
                            id=_int(a.get("id")),
                            language_code=a.get("languageCode"),
                            forced=_flag(s, "forced"),
                            key=a.get("key") if kind == "subtitle" else None,
                            default=_flag(s, "default"),
                        )
                    )
    return tuple(out)


def media_item(obj: Any, *, with_streams: bool = False) -> MediaItem:
    """A list row or a detail view; `with_streams` only for detail (streams are heavy)."""
    kind = _attr(obj, "type", "movie")
    if kind not in KINDS:
        kind = "movie"
    data = xml(obj)
    media = data.findall("Media") if data is not None else []  # none in hub search hits
    guids = ()
    if data is not None:
        guids = tuple(g.attrib.get("id", "") for g in data.findall("Guid") if g.attrib.get("id"))
    return MediaItem(
        rating_key=str(_attr(obj, "ratingKey", "")),
        kind=kind,
        title=_attr(obj, "title", "") or "",
        year=_int(_attr(obj, "year")),
        summary=_attr(obj, "summary", "") or "",
        rating=_float(_attr(obj, "rating") or _attr(obj, "audienceRating")),
        duration_ms=_int(_attr(obj, "duration")),
        thumb=_attr(obj, "thumb") or _attr(obj, "parentThumb") or _attr(obj, "grandparentThumb"),
        parent_title=_attr(obj, "parentTitle"),
        grandparent_title=_attr(obj, "grandparentTitle"),
        index=_int(_attr(obj, "index")),
        parent_index=_int(_attr(obj, "parentIndex")),
        view_offset_ms=_int(_attr(obj, "viewOffset")) or 0,
        view_count=_int(_attr(obj, "viewCount")) or 0,
        leaf_count=_int(_attr(obj, "leafCount") or _attr(obj, "childCount")),  # a collection's
        viewed_leaf_count=_int(_attr(obj, "viewedLeafCount")),
        guids=guids,
        media=tuple(media_info(m) for m in media),
        streams=streams(data) if with_streams else (),
        library_key=str(_attr(obj, "librarySectionID", "") or "") or None,
        added_at=_int(_attr(obj, "addedAt")),
    )


ITEM_TAGS = {"Video", "Directory", "Track", "Photo", "Playlist"}


def items(container: Element) -> list[Element]:
    """The media items of a container answer (as plexapi's findItems keeps them: not its
    Meta, Hub or Field rows), each an element to convert."""
    return [e for e in container if e.tag in ITEM_TAGS and e.attrib.get("ratingKey")]


def hub_items(results: list[Any]) -> list[MediaItem]:
    """Hub search hits as rows, from the search answer alone. Hits are partial objects
    (no Media, fewer attributes): nothing here may make plexapi reload them, so a search
    costs one request; the detail view fetches the one item the user looks at. Tags
    (actors, genres) and collections are not things to play, so they are left out."""
    return [
        media_item(hit)
        for hit in results
        if _attr(hit, "type") in HIT_KINDS and _attr(hit, "ratingKey") not in (None, "")
    ]


def player(client: Any, *, reachable: bool = True) -> PlayerInfo:
    caps = _attr(client, "protocolCapabilities", "") or ""
    return PlayerInfo(
        name=_attr(client, "title", "") or _attr(client, "name", "") or "",
        product=_attr(client, "product", "") or "",
        machine_identifier=_attr(client, "machineIdentifier", "") or "",
        address=_attr(client, "address"),
        capabilities=frozenset(c for c in caps.split(",") if c),
        reachable=reachable,
    )


def session(obj: Any) -> SessionInfo:
    data = xml(obj)
    assert data is not None
    user = data.find("User")
    plyr = data.find("Player")
    sess = data.find("Session")
    trans = data.find("TranscodeSession")
    part = data.find("Media/Part")
    decision = (part.attrib.get("decision") if part is not None else None) or (
        "transcode" if trans is not None else "directplay"
    )
    if decision == "copy":
        decision = "directstream"
    if trans is not None and trans.attrib.get("videoDecision") == "copy":
        decision = "directstream"
    state = plyr.attrib.get("state", "playing") if plyr is not None else "playing"
    return SessionInfo(
        session_key=str(data.attrib.get("sessionKey", "")),
        user=user.attrib.get("title", "") if user is not None else "",
        player=plyr.attrib.get("title", "") if plyr is not None else "",
        product=plyr.attrib.get("product", "") if plyr is not None else "",
        item=media_item(obj),
        progress_ms=_int(data.attrib.get("viewOffset")) or 0,
        duration_ms=_int(data.attrib.get("duration")),
        state=state if state in ("playing", "paused", "stopped", "buffering") else "playing",
        bandwidth_kbps=_int(sess.attrib.get("bandwidth")) if sess is not None else None,
        location="wan" if sess is not None and sess.attrib.get("location") == "wan" else "lan",
        decision=decision
        if decision in ("directplay", "directstream", "transcode")
        else "transcode",
        transcode_speed=_float(trans.attrib.get("speed")) if trans is not None else None,
        throttled=trans is not None and trans.attrib.get("throttled") == "1",
    )


def session_id(obj: Any) -> str | None:
    sess = obj._data.find("Session")
    return sess.attrib.get("id") if sess is not None else None


def playlist(obj: Any) -> Playlist:
    return Playlist(
        rating_key=str(_attr(obj, "ratingKey", "")),
        title=_attr(obj, "title", "") or "",
        kind="audio" if _attr(obj, "playlistType") == "audio" else "video",
        count=_int(_attr(obj, "leafCount")) or 0,
        duration_ms=_int(_attr(obj, "duration")) or 0,
        smart=_attr(obj, "smart") in ("1", True),
    )


def history_entry(obj: Any, accounts: dict[int, str]) -> HistoryEntry:
    account = _int(_attr(obj, "accountID"))
    viewed = _int(_attr(obj, "viewedAt")) or 0
    return HistoryEntry(
        item=media_item(obj),
        user=accounts.get(account or -1, str(account or "")),
        player=str(_attr(obj, "deviceID", "") or ""),
        viewed_at=viewed,
    )


def bandwidth(rows: list[Any]) -> tuple[BandwidthSample, ...]:
    """Group plexapi's per-device rows into one sample per interval."""
    by_time: dict[int, list[int]] = {}
    for row in rows:
        at = _int(_attr(row, "at")) or 0
        lan_wan = by_time.setdefault(at, [0, 0])
        lan_wan[0 if _attr(row, "lan") in ("1", True) else 1] += _int(_attr(row, "bytes")) or 0
    return tuple(BandwidthSample(at, lan, wan) for at, (lan, wan) in sorted(by_time.items()))
