"""XML rendering: strings built directly (a page of 50 items must render in a few ms).

Booleans are always emitted as 1/0 and None attributes are omitted, because plexapi's
bool cast raises on anything else.
"""

from __future__ import annotations

from . import versions
from .library import BASE_TIME, Item, Library, Section
from .names import crew, summary

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;"})
VIDEO_SIZES = {"480": (720, 480), "720": (1280, 720), "1080": (1920, 1080), "4k": (3840, 2160)}
VIDEO_BITRATES = {"480": 1800, "720": 4200, "1080": 9800, "4k": 32000}


def attrs(values: dict) -> str:
    out = []
    for key, val in values.items():
        if val is None:
            continue
        if val is True or val is False:
            val = int(val)
        out.append(f' {key}="{str(val).translate(_ESC)}"')
    return "".join(out)


def tag(name: str, values: dict, body: str = "") -> str:
    return f"<{name}{attrs(values)}>{body}</{name}>" if body else f"<{name}{attrs(values)}/>"


def container(values: dict, body: str = "", root: str = "MediaContainer") -> str:
    return HEADER + tag(root, values, body)


def library_attrs(section: Section | None) -> dict:
    base = {
        "allowSync": 1,
        "identifier": "com.plexapp.plugins.library",
        "mediaTagPrefix": "/system/bundle/media/flags/",
        "mediaTagVersion": BASE_TIME,
    }
    if section is not None:
        base |= {
            "librarySectionID": section.id,
            "librarySectionTitle": section.title,
            "librarySectionUUID": section.uuid,
            "viewGroup": section.kind,
        }
    return base


def element_name(item: Item) -> str:
    if item.kind in ("movie", "episode"):
        return "Video"
    return "Track" if item.kind == "track" else "Directory"


def item_attrs(lib: Library, item: Item) -> dict:
    """The attributes of one metadata element, per Plex's shapes for each type."""
    rk, sec = item.rk, lib.sections[item.section]
    stamp = item.added_at
    a = {
        "ratingKey": rk,
        "key": f"/library/metadata/{rk}" + ("" if item.leaf else "/children"),
        "guid": f"plex://{item.kind}/{lib.seed:04x}{rk:08x}",
        "type": item.kind,
        "title": item.title,
        "titleSort": item.title_sort if item.title_sort != item.title else None,
        "librarySectionID": sec.id,
        "librarySectionKey": f"/library/sections/{sec.id}",
        "librarySectionTitle": sec.title,
        "summary": summary(lib.seed * 1_000_003 + rk, item.title),
        "index": item.index or None,
        "year": item.year or None,
        "thumb": f"/library/metadata/{rk}/thumb/{stamp}",
        "art": f"/library/metadata/{rk}/art/{stamp}",
        "addedAt": stamp,
        "updatedAt": stamp,
    }
    if item.kind in ("movie", "show", "episode"):
        a |= {
            "studio": item.studio or None,
            "contentRating": item.content_rating or None,
            "rating": item.rating,
            "audienceRating": item.audience_rating,
            "audienceRatingImage": "rottentomatoes://image.rating.upright",
            "originallyAvailableAt": f"{item.year}-{(rk % 12) + 1:02d}-{(rk % 28) + 1:02d}",
        }
    if item.leaf:
        a |= {
            "duration": item.duration,
            "viewCount": item.view_count or None,
            "viewOffset": item.view_offset or None,
            "lastViewedAt": item.last_viewed_at or None,
            "userRating": item.user_rating or None,
        }
    else:
        leaves = lib.leaves(item)
        a |= {
            "childCount": len(item.children),
            "leafCount": len(leaves),
            "viewedLeafCount": sum(1 for leaf in leaves if leaf.view_count),
        }
    ancestors = lib.ancestors(item)
    for prefix, anc in zip(("parent", "grandparent"), ancestors, strict=False):
        a |= {
            f"{prefix}RatingKey": anc.rk,
            f"{prefix}Key": f"/library/metadata/{anc.rk}",
            f"{prefix}Title": anc.title,
            f"{prefix}Thumb": f"/library/metadata/{anc.rk}/thumb/{anc.added_at}",
            f"{prefix}Index": anc.index or None,
        }
    if item.kind == "collection":  # PMS lists a collection's members under its own key
        years = [lib.items[c].year for c in item.children if lib.items[c].year]
        a |= {"key": f"/library/collections/{rk}/children", "subtype": sec.kind, "smart": 0,
              "leafCount": None, "viewedLeafCount": None,
              "minYear": min(years, default=None), "maxYear": max(years, default=None)}  # fmt: skip
    if item.kind == "show":
        a["tagline"] = None
    elif item.kind == "movie":
        a["tagline"] = f"Every {item.title_sort.split()[-1].lower()} has a story."
    return a


def tags(lib: Library, item: Item) -> str:
    out = [
        tag("Genre", {"id": g, "tag": lib.genre_names[g], "filter": f"genre={g}"})
        for g in item.genres
    ]
    if item.kind in ("movie", "episode"):
        (did, director), roles = crew(item.rk)
        out.append(tag("Director", {"id": did, "tag": director, "filter": f"director={did}"}))
        out += [
            tag("Role", {"id": rid, "tag": name, "role": role, "filter": f"actor={rid}"})
            for rid, name, role in roles
        ]
    return "".join(out)


def guids(lib: Library, item: Item) -> str:
    """The external ids of a film or TV item (includeGuids=1; always in an item's details)."""
    if item.kind not in ("movie", "show", "season", "episode"):
        return ""
    n = lib.seed * 1_000_003 + item.rk
    ids = (f"imdb://tt{1_000_000 + n % 8_999_999:07d}", f"tmdb://{10_000 + n % 990_000}",
           f"tvdb://{100_000 + n % 900_000}")  # fmt: skip
    return "".join(tag("Guid", {"id": g}) for g in ids)


def media_bitrate(item: Item) -> int:
    """kbps of an item's file, as its Media element says."""
    if item.kind == "track":
        return 900 if item.rk % 3 else 320
    return VIDEO_BITRATES[item.resolution or "1080"] + item.rk % 400


def media(
    item: Item,
    decision: str | None = None,
    choices: versions.Choices | None = None,
    playing: int | None = None,
) -> str:
    """Media > Part > Stream, nested as plexapi requires."""
    rk = item.rk
    selected = 1 if decision else None
    loc = None if decision is None else ("direct" if decision == "directplay" else "segments-av")
    if item.kind == "track":
        codec = "flac" if rk % 3 else "mp3"
        bitrate = media_bitrate(item)
        stream = tag(
            "Stream",
            {
                "id": rk * 10 + 1,
                "streamType": 2,
                "codec": codec,
                "channels": 2,
                "bitrate": bitrate,
                "samplingRate": 44100,
                "selected": 1,
                "index": 0,
                "displayTitle": codec.upper(),
                "decision": decision and "copy",
                "location": loc,
            },
        )
        part = tag(
            "Part",
            {
                "id": rk,
                "key": f"/library/parts/{rk}/{item.added_at}/file.{codec}",
                "duration": item.duration,
                "file": f"/data/music/{rk}.{codec}",
                "size": bitrate * item.duration // 8,
                "container": codec,
                "decision": decision,
                "selected": selected,
            },
            stream,
        )
        return tag(
            "Media",
            {
                "id": rk,
                "duration": item.duration,
                "bitrate": bitrate,
                "audioChannels": 2,
                "audioCodec": codec,
                "container": codec,
                "selected": selected,
            },
            part,
        )
    return "".join(
        _video_media(item, v, decision, choices or versions.Choices())
        for v in versions.versions(item.kind, rk, item.resolution)
        if playing is None or v.index == playing
    )


def _video_media(
    item: Item, v: versions.Version, decision: str | None, choices: versions.Choices
) -> str:
    """One version of a video: Media > Part > video, audio and subtitle Streams."""
    rk, res = item.rk, v.resolution
    selected = 1 if decision else None
    loc = None if decision is None else ("direct" if decision == "directplay" else "segments-av")
    width, height = VIDEO_SIZES[res]
    vcodec = v.video_codec
    acodec, channels = ("eac3", 6) if rk % 2 else ("aac", 2)
    bitrate = VIDEO_BITRATES[res] + rk % 400
    streams = [
        tag(
            "Stream",
            {
                "id": v.stream_id(1),
                "streamType": 1,
                "default": 1,
                "codec": vcodec,
                "index": 0,
                "bitrate": bitrate - 640,
                "width": width,
                "height": height,
                "frameRate": "23.976",
                "profile": "main",
                "displayTitle": f"{res.upper() if res == '4k' else res + 'p'} ({vcodec.upper()})",
                "decision": decision and ("copy" if decision == "directplay" else "transcode"),
                "location": loc,
            },
        )
    ]
    chosen_audio = choices.audio_of(v)
    for n, t in enumerate(versions.audio_tracks(v)):
        streams.append(
            tag(
                "Stream",
                {
                    "id": t.id,
                    "streamType": 2,
                    "selected": 1 if t.id == chosen_audio else None,
                    "default": int(n == 0),
                    "codec": acodec,
                    "index": t.index,
                    "channels": channels,
                    "bitrate": 640 if channels == 6 else 192,
                    "language": t.language,
                    "languageCode": t.code3,
                    "languageTag": t.code2,
                    "samplingRate": 48000,
                    "displayTitle": f"{t.language} ({acodec.upper()} {'5.1' if channels == 6 else 'Stereo'})",
                    "decision": decision and "copy",
                    "location": loc,
                },
            )
        )
    chosen_subtitle = choices.subtitle_of(v)
    for t in versions.subtitle_tracks(v):
        streams.append(
            tag(
                "Stream",
                {
                    "id": t.id,
                    "streamType": 3,
                    "selected": 1 if t.id == chosen_subtitle else None,
                    "forced": 1 if t.forced else None,
                    "codec": "srt",
                    "index": t.index,
                    "language": t.language,
                    "languageCode": t.code3,
                    "languageTag": t.code2,
                    "displayTitle": f"{t.language}{' Forced' if t.forced else ''} (SRT)",
                    "key": f"/library/streams/{t.id}",
                },
            )
        )
    part = tag(
        "Part",
        {
            "id": v.part_id,
            "key": f"/library/parts/{v.part_id}/{item.added_at}/file.mkv",
            "duration": item.duration,
            "file": f"/data/{item.kind}s/{item.title_sort}/{rk}{'-' + str(v.index) if v.index else ''}.mkv",
            "size": bitrate * item.duration // 8,
            "container": "mkv",
            "videoProfile": "main",
            "decision": decision,
            "selected": selected,
        },
        "".join(streams),
    )
    return tag(
        "Media",
        {
            "id": v.part_id,
            "duration": item.duration,
            "bitrate": bitrate,
            "width": width,
            "height": height,
            "aspectRatio": "1.78",
            "audioChannels": channels,
            "audioCodec": acodec,
            "videoCodec": vcodec,
            "videoResolution": res,
            "container": "mkv",
            "videoFrameRate": "24p",
            "videoProfile": "main",
            "title": v.title,
            "editionTitle": v.title,
            "optimizedForStreaming": 0,
            "has64bitOffsets": 0,
            "selected": selected if v.index == 0 else None,
        },
        part,
    )


def item(
    lib: Library,
    it: Item,
    extra: dict | None = None,
    tail: str = "",
    decision: str | None = None,
    playing: int | None = None,
) -> str:
    """One full metadata element; `tail` appends session/OnDeck children; a session's
    lists only the version `playing`, as PMS's do."""
    a = item_attrs(lib, it)
    if extra:
        a |= extra
    body = (media(it, decision, lib.choices, playing) if it.leaf else "") + tags(lib, it) + tail
    return tag(element_name(it), a, body)
