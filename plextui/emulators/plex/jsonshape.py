"""PMS's JSON answers, made from the XML every route renders (`Accept: application/json`).

PMS serves the same tree in both encodings. In JSON a root element becomes
`{"MediaContainer": {...}}`; child elements become arrays named by tag, except that metadata
items (Video, Track, Photo, Playlist and Directory items with a ratingKey) are all
`Metadata`, and the few children PMS sends as single objects (a session's User, Player,
Session; an activity's Context; a section's Meta) stay objects. XML attributes are all text;
JSON gives them the types PMS sends, per the tables below (checked against the OpenAPI
description by tests/emulators/test_plex_json.py). Anything unlisted stays a string, as
PMS does for keys, ratingKeys, GUIDs and titles that look like numbers.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from xml.etree import ElementTree

ITEM_TAGS = frozenset({"Video", "Track", "Photo", "Playlist"})
SINGLE = frozenset({"User", "Player", "Session", "TranscodeSession", "Context", "Meta", "OnDeck"})

INTS = frozenset({
    "size", "totalSize", "offset", "count", "librarySectionID", "index", "parentIndex",
    "grandparentIndex", "absoluteIndex", "year", "parentYear", "duration", "viewCount",
    "viewOffset", "skipCount", "leafCount", "childCount", "viewedLeafCount", "addedAt",
    "updatedAt", "lastViewedAt", "createdAt", "scannedAt", "contentChangedAt", "viewedAt",
    "mediaTagVersion", "viewMode", "bitrate", "width", "height", "audioChannels", "channels",
    "samplingRate", "streamType", "bitDepth", "level", "refFrames", "userID", "accountID",
    "deviceID", "tagType", "ratingCount", "id", "playQueueID", "playQueueSelectedItemID",
    "playQueueSelectedItemOffset", "playQueueTotalCount", "playQueueVersion", "playQueueItemID",
    "playQueueLastAddedItemID", "playlistItemID", "generalDecisionCode", "directPlayDecisionCode",
    "transcodeDecisionCode", "mdeDecisionCode", "availableBandwidth", "terminationCode",
    "bandwidth", "remaining", "timespan", "at", "bytes", "port", "protocolVersion",
    "publicPort", "privatePort", "subtitleMode", "livetv", "offlineTranscode",
    "streamingBrainABRVersion", "streamingBrainVersion", "transcoderActiveVideoSessions",
    "status", "code", "lastSeenAt",
})  # fmt: skip
NUMBERS = frozenset({
    "rating", "audienceRating", "userRating", "aspectRatio", "frameRate", "progress", "speed",
    "confidence", "maxOffsetAvailable", "minOffsetAvailable", "timeStamp",
    "hostCpuUtilization", "processCpuUtilization", "hostMemoryUtilization",
    "processMemoryUtilization",
})  # fmt: skip
BOOLS = frozenset({
    "allowSync", "allowCameraUpload", "allowChannelAccess", "allowMediaDeletion", "allowSharing",
    "allowTuners", "backgroundProcessing", "certificate", "companionProxy", "eventStream",
    "hubSearch", "itemClusters", "mediaProviders", "multiuser", "myPlex", "myPlexSubscription",
    "pluginHost", "pushNotifications", "readOnlyLibraries", "sync", "transcoderAudio",
    "transcoderLyrics", "transcoderPhoto", "transcoderSubtitles", "transcoderVideo", "updater",
    "voiceSearch", "claimed", "content", "directory", "filters", "hidden", "refreshing", "more",
    "promoted", "random", "selected", "default", "forced", "has64bitOffsets",
    "optimizedForStreaming", "local", "relayed", "secure", "cancellable", "search", "secondary",
    "skipChildren", "skipParent", "smart", "readOnly", "accessible", "exists", "sortAsc",
    "active", "throttled", "complete", "error", "transcodeHwRequested",
    "transcodeHwFullPipeline", "playQueueShuffled", "lan", "advanced", "autoSelectAudio",
    "subscriptionActive", "hearingImpaired", "closedCaptions", "canAutoSync", "abr",
})  # fmt: skip
# (element, attribute) pairs whose type differs from the attribute's usual one.
STRINGS_IN = frozenset(
    {("User", "id"), ("Guid", "id"), ("MediaContainer", "content"), ("Context", "librarySectionID")}
)
# Attributes PMS sends as strings on elements that carry the marker attribute (history rows).
STRINGS_WITH = {"historyKey": frozenset({"librarySectionID"})}


def wants_json(accept: str) -> bool:
    return "application/json" in accept.lower()


def to_json(xml_text: str) -> str:
    root = ElementTree.fromstring(xml_text)
    return json.dumps({root.tag: _object(root)}, ensure_ascii=False, separators=(",", ":"))


def _object(element: ElementTree.Element) -> dict:
    tag, attrib = element.tag, element.attrib
    strings = next((v for marker, v in STRINGS_WITH.items() if marker in attrib), frozenset())
    out: dict = {
        name: text if name in strings else _converter(tag, name)(text)
        for name, text in attrib.items()
    }
    if tag == "Setting":
        out |= _setting_values(attrib)
    for child in element:
        key = _key(child)
        if key in SINGLE:
            out[key] = _object(child)
        else:
            out.setdefault(key, []).append(_object(child))
    return out


def _key(element: ElementTree.Element) -> str:
    tag = element.tag
    if tag in ITEM_TAGS or (tag == "Directory" and "ratingKey" in element.attrib):
        return "Metadata"
    return tag


@functools.cache
def _converter(tag: str, name: str) -> Callable[[str], object]:
    """How one attribute's text becomes its JSON value (text that does not fit stays text)."""
    if (tag, name) in STRINGS_IN:
        return str
    if name in INTS:
        return _int
    if name in NUMBERS:
        return _number
    if name in BOOLS:
        return _bool
    return str


def _int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _number(text: str) -> float | int | str:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def _bool(text: str) -> bool | str:
    if text in ("0", "1", "true", "false"):
        return text in ("1", "true")
    return text


def _setting_values(attrib: dict) -> dict:
    """A setting's value and default in its own type, as PMS sends them."""
    kind = attrib.get("type")
    out = {}
    for name in ("value", "default"):
        text = attrib.get(name)
        if text is None:
            continue
        if kind == "bool":
            out[name] = text in ("1", "true")
        elif kind in ("int", "double"):
            try:
                out[name] = int(text) if kind == "int" else float(text)
            except ValueError:
                out[name] = text
    return out
