"""Audio and subtitle tracks on the server and in this computer's mpv.

The server knows each part's tracks (Stream elements) and which play by default
(`selected`); `read_tracks` reads them, `save_default` changes them with
`PUT /library/parts/{id}` and allParts=1, as Plex apps do when a track is chosen in the
player, so the choice holds the next time on any player.

mpv numbers tracks itself. Audio tracks are in the file in the order the server lists
them, so the n-th Plex audio stream is mpv's `aid` n. Subtitles are sidecar files the
server serves (`/library/streams/{id}`): `add_sidecars` gives each to mpv (`sub-add`,
unselected) and returns which `sid` each stream got; one mpv cannot load (a 404, a dead
path) is left out and logged, and playback goes on without it. URLs carry the token;
none reaches a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plextui.config import debuglog
from plextui.core.models import StreamInfo
from plextui.core.tracks import Tracks
from plextui.errors import StreamError
from plextui.plex import convert

if TYPE_CHECKING:  # mpv is loaded when this computer first plays, not at start
    from plextui.plex.mpv import MpvClient


def tracks_of(plex_item: Any, media_index: int = 0) -> Tracks:
    """The tracks of version `media_index` of a loaded plexapi item (no request)."""
    data = convert.xml(plex_item)
    media = data.findall("Media") if data is not None else []
    if not media:
        return Tracks(None, (), ())
    index = min(max(media_index, 0), len(media) - 1)
    part = media[index].find("Part")
    part_id = convert._int(part.attrib.get("id")) if part is not None else None
    return Tracks.of(part_id, convert.streams(data, index))


def read_tracks(plex: Any, rating_key: str, media_index: int = 0) -> Tracks:
    """Blocking: the item's tracks as the server has them now (selection included)."""
    return tracks_of(plex.fetchItem(int(rating_key)), media_index)


def save_default(
    plex: Any, part_id: int, audio: StreamInfo | None, subtitle: StreamInfo | None, off: bool
) -> None:
    """Blocking: make these the part's tracks on the server (subtitles `off`: none)."""
    params: dict[str, Any] = {"allParts": 1}
    if audio is not None:
        params["audioStreamID"] = audio.id
    if subtitle is not None or off:
        params["subtitleStreamID"] = subtitle.id if subtitle is not None else 0
    if len(params) > 1:
        plex.query(f"/library/parts/{part_id}", method=plex._session.put, params=params)


async def add_sidecars(mpv: MpvClient, tracks: Tracks, url: Any) -> dict[int, int]:
    """Give mpv every sidecar subtitle (unselected); stream id → mpv `sid`.

    `url(key)` makes the authenticated URL of a stream's key (it runs in the caller's
    thread pool: plexapi builds it)."""
    sidecars = [s for s in tracks.subtitles if s.key and s.id is not None]
    if not sidecars:
        return {}
    before = {t["id"] for t in await _subtitle_tracks(mpv)}
    loaded = []
    for stream in sidecars:
        language = stream.language_code or ""
        try:
            await mpv.command(
                "sub-add", await url(stream.key), "auto", stream.title or "", language
            )
        except StreamError as error:  # this track is left out; the film plays on
            debuglog.write("mpv", f"subtitle stream {stream.id} not loaded: {error}")
            continue
        loaded.append(stream)
    added = [t["id"] for t in await _subtitle_tracks(mpv) if t["id"] not in before]
    return {s.id: sid for s, sid in zip(loaded, added, strict=False) if s.id is not None}


async def _subtitle_tracks(mpv: MpvClient) -> list[dict[str, Any]]:
    return [t for t in await mpv.get("track-list") or [] if t.get("type") == "sub"]


async def select(
    mpv: MpvClient,
    tracks: Tracks,
    sids: dict[int, int],
    audio: StreamInfo | None,
    subtitle: StreamInfo | None,
    off: bool,
    *,
    one_audio: bool = False,
) -> None:
    """Switch mpv to these tracks (`aid`, `sid`; mpv applies them as it answers).

    `one_audio`: the stream carries only the selected audio track (a transcode)."""
    if audio is not None:
        ids = [s.id for s in tracks.audio]
        aid = 1 if one_audio or audio.id not in ids else ids.index(audio.id) + 1
        await mpv.command("set_property", "aid", aid)
    if subtitle is not None:
        if subtitle.id not in sids:
            raise StreamError(f"{subtitle.title or 'that subtitle'} could not be loaded in mpv")
        await mpv.command("set_property", "sid", sids[subtitle.id])
    elif off:
        await mpv.command("set_property", "sid", "no")
