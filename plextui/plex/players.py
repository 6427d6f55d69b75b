"""Players: the Player protocol, and RemotePlayer over plexapi's PlexClient.

`Player` is what plays (a remote player here, this computer's mpv in local.py, one that
does not answer in discovery.py); `PlayerInfo` (core.models) is what is known of it.

A remote player is reached through a Route (route.py): directly, and through the server's
proxy only when the direct connection could not be opened. Commands a player does not
advertise fail here with a clear message instead of being sent. Rapid repeats of seek and
volume coalesce into one command: the latest target wins. Seeking to or past the end is
refused, since reaching the end finishes the item and the server marks it watched.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from plextui.core.commands import VolumeChange
from plextui.core.models import ALL_MEDIA_TYPES, MediaItem, PlaybackState, PlayerInfo, StreamInfo
from plextui.core.ratelimit import Coalescer
from plextui.core.timecode import SeekTarget, format_compact
from plextui.core.tracks import Tracks
from plextui.errors import MediaError, StreamError
from plextui.plex import convert
from plextui.plex.server import PlexService
from plextui.plex.tracks import read_tracks

if TYPE_CHECKING:  # plexapi loads with the first remote player, not with the first screen
    from plexapi.client import PlexClient
    from plexapi.playqueue import PlayQueue

COALESCE_WINDOW = 0.15
FRESH = 1.0  # s: within one command, a timeline read this recently is not polled again
STATES = ("playing", "paused", "buffering", "stopped")
REPEAT_CODES = {"off": 0, "one": 1, "all": 2}  # the companion protocol's repeat values
MUSIC_ONLY = ("Plexamp",)  # products that play audio only, whatever else they advertise
# timeline `controllable` names for each action, as players advertise them
CONTROLS = {
    "pause": "playPause",
    "resume": "playPause",
    "stop": "stop",
    "seek": "seekTo",
    "next": "skipNext",
    "prev": "skipPrevious",
    "volume": "volume",
    "shuffle": "shuffle",
    "repeat": "repeat",
    "audio": "audioStream",
    "subtitles": "subtitleStream",
}


class Player(Protocol):
    """What the Controller needs from any player, remote or this computer's mpv.

    Everything a caller may ask is declared here: nothing is probed with getattr."""

    info: PlayerInfo
    error: str | None  # why playback last ended badly, when the player knows (mpv does)

    @property
    def session_name(self) -> str:
        """The player's name in the server's sessions (this computer shows as its host)."""
        ...

    async def set_quality(self, name: str) -> str:
        """Hold the stream to a rung and say which; a player that picks its own refuses."""
        ...

    async def play(self, item: MediaItem, offset_ms: int = 0, media_index: int = 0) -> None:
        """Start `item` (version `media_index` of it) at `offset_ms`."""
        ...

    async def tracks(self) -> Tracks:
        """The audio and subtitle tracks of what plays, selected as the player has them."""
        ...

    async def set_tracks(
        self, audio: StreamInfo | None, subtitle: StreamInfo | None, off: bool = False
    ) -> None:
        """Switch to `audio` and/or `subtitle` (None: leave as is; `off`: no subtitles)."""
        ...

    async def pause(self) -> None: ...
    async def resume(self) -> None: ...
    async def stop(self) -> None: ...
    async def seek(self, target: SeekTarget) -> int: ...
    async def next(self) -> None: ...
    async def prev(self) -> None: ...
    async def volume(self, change: VolumeChange) -> int: ...
    async def shuffle(self, on: bool) -> bool: ...
    async def repeat(self, mode: str) -> str: ...
    async def state(self, max_age: float = 0.0) -> PlaybackState: ...


def playable_kinds(product: str) -> frozenset[str]:
    """Plex players do not advertise media types; Plexamp is known to play music only."""
    return frozenset({"music"}) if product.startswith(MUSIC_ONLY) else ALL_MEDIA_TYPES


def seek_position(target: SeekTarget, state: PlaybackState) -> int:
    """Where `target` lands in what plays; at or past the end is refused with the length."""
    position = target.resolve(state.position_ms)
    duration = state.duration_ms or (state.item.duration_ms if state.item else None)
    if duration and position // 1000 >= duration // 1000:  # the length as shown, or past it
        title = state.item.display_title if state.item else "what plays"
        raise StreamError(
            f"cannot seek to {format_compact(position)}: {title} is {format_compact(duration)} long"
        )
    return position


def fetch_media(plex: Any, item: MediaItem) -> Any:
    """The plexapi object for `item` (blocking); a 404 means it left the server."""
    from plexapi.exceptions import NotFound

    try:
        return plex.fetchItem(
            f"/playlists/{item.rating_key}" if item.kind == "playlist" else int(item.rating_key)
        )
    except NotFound:
        raise MediaError(
            f"{item.display_title} is gone from the server (removed since it was listed)"
        ) from None


class CoalescedSend:
    """Calls that arrive within a short window become one send of their merged value;
    every caller waiting in the window gets the result of that one send.

    The merging is core.ratelimit's Coalescer (pure, clock passed in); this adds the
    timer and the waiting callers.
    """

    def __init__(
        self,
        send: Callable[[Any], Awaitable[Any]],
        merge: Callable[[Any, Any], Any],
        window: float = COALESCE_WINDOW,
    ) -> None:
        self._send = send
        self._pending: Coalescer[Any] = Coalescer(window, merge)
        self._future: asyncio.Future | None = None

    async def submit(self, value: Any) -> Any:
        loop = asyncio.get_running_loop()
        if self._future is None:
            self._future = loop.create_future()
            loop.call_later(self._pending.window, self._flush)
        self._pending.push(value, loop.time())
        return await asyncio.shield(self._future)

    def _flush(self) -> None:
        future, value = self._future, self._pending.flush()
        self._future = None
        task = asyncio.ensure_future(self._send(value))

        def done(t: asyncio.Task) -> None:
            assert future is not None
            if future.done():
                return
            if t.cancelled():
                future.cancel()
            elif t.exception() is not None:
                future.set_exception(t.exception())
            else:
                future.set_result(t.result())

        task.add_done_callback(done)


class RemotePlayer:
    """A Plex player (TV, HTPC, Plexamp …) driven over the companion protocol."""

    def __init__(self, service: PlexService, client: PlexClient) -> None:
        self.service = service
        info = convert.player(client)
        self.info = dataclasses.replace(info, kinds=playable_kinds(info.product))
        from plextui.plex.route import Route

        self._route = Route(client, service.plex, self.info.name, service.timeout)
        self._last: PlaybackState = PlaybackState(player=self.info.name)
        self._last_at = float("-inf")  # when `_last` was read (or set by pause/resume/stop)
        self._controllable: set[str] | None = None
        self._acted_at = float("-inf")  # when our last command was answered
        self._seeks = CoalescedSend(self._send_seek, lambda a, b: a.then(b))
        self._volumes = CoalescedSend(self._send_volume, lambda a, b: a.then(b))
        self.error: str | None = None  # a remote player does not tell why it stopped

    @property
    def session_name(self) -> str:
        return self.info.name

    async def set_quality(self, name: str) -> str:
        """Plex players choose their stream themselves; the companion protocol has no
        quality command, so this only says what the server decided."""
        decision = (await self.state()).decision or "the server's choice"
        raise StreamError(
            f"'{self.info.name}' picks its own quality (Plex players take no quality "
            f"command; it is {decision} now). Quality applies to playback on this computer."
        )

    # --- transport -------------------------------------------------------------------

    async def _send(self, command: str, action: str, **params: Any) -> Any:
        return await self.service.run(lambda: self._route.send(command, action, **params))

    def _mtype(self) -> str:
        kind = self._last.item.kind if self._last.item else None
        return "music" if kind == "track" or self.info.kinds == {"music"} else "video"

    def _require(self, action: str) -> None:
        if "playback" not in self.info.capabilities:
            raise StreamError(f"player '{self.info.name}' cannot be remote-controlled")
        needed = CONTROLS.get(action)
        if needed and self._controllable is not None and needed not in self._controllable:
            what = f"choosing {action} tracks" if action in ("audio", "subtitles") else action
            raise StreamError(f"player '{self.info.name}' does not support {what}")

    async def _playback(self, action: str, command: str, now: str = "", **params: Any) -> None:
        """Send one playback command; `now` is the state it leaves (known without a poll)."""
        self._require(action)
        await self._send(f"playback/{command}", action, type=self._mtype(), **params)
        self._acted_at = time.monotonic()
        if now:
            self._last = dataclasses.replace(self._last, state=now)  # type: ignore[arg-type]
        self._last_at = self._acted_at if now else float("-inf")

    # --- commands --------------------------------------------------------------------

    async def play(self, item: MediaItem, offset_ms: int = 0, media_index: int = 0) -> None:
        """Build the play queue on the server, then send `playMedia` to the player once
        (with the version to play as `mediaIndex`, when it is not the first)."""
        self._require("play")
        params = await self.service.run(self._play_params, item, offset_ms)
        if media_index:
            params["mediaIndex"] = media_index
        await self._send("playback/playMedia", "play", **params)
        self._acted_at = time.monotonic()
        self._last = PlaybackState(
            player=self.info.name, item=item, state="buffering", media_index=media_index
        )
        self._last_at = float("-inf")

    async def tracks(self) -> Tracks:
        """The server's tracks of what plays, selected as the player's timeline says."""
        state = await self.state(FRESH)
        if state.item is None or state.state == "stopped":
            raise StreamError(f"nothing is playing on {self.info.name}")
        found = await self.service.run(
            lambda: read_tracks(self.service.plex, state.item.rating_key, state.media_index)
        )
        return found.choosing(state.audio_id, state.subtitle_id)

    async def set_tracks(
        self, audio: StreamInfo | None, subtitle: StreamInfo | None, off: bool = False
    ) -> None:
        """`setStreams` (companion protocol), for the kinds the player lets others choose."""
        params: dict[str, Any] = {}
        if audio is not None:
            self._require("audio")
            params["audioStreamID"] = audio.id
        if subtitle is not None or off:
            self._require("subtitles")
            params["subtitleStreamID"] = subtitle.id if subtitle is not None else 0
        if params:
            await self._playback("audio" if audio else "subtitles", "setStreams", **params)

    def _play_params(self, item: MediaItem, offset_ms: int) -> dict[str, Any]:
        """The server's half of playMedia (as plexapi's `PlexClient.playMedia` builds it):
        the item, its play queue and a transient token for the player to fetch with."""
        plex = self.service.plex
        media = fetch_media(plex, item)
        queue = self._queue(media)
        mtype = getattr(media, "playlistType", None) or media.listType
        url = urlsplit(self.service.url)
        params = {
            "providerIdentifier": "com.plexapp.plugins.library",
            "machineIdentifier": plex.machineIdentifier,
            "protocol": url.scheme,
            "address": url.hostname,
            "port": url.port or (443 if url.scheme == "https" else 32400),
            "offset": offset_ms,
            "key": media.key or queue.selectedItem.key,
            "type": "music" if mtype == "audio" else mtype,
            "containerKey": f"/playQueues/{queue.playQueueID}?window=100&own=1",
        }
        token = plex.createToken()
        return params | ({"token": token} if token else {})

    def _queue(self, media: Any) -> PlayQueue:
        """Episodes and tracks play inside their season or album, so next/prev work;
        a playlist plays as its own queue."""
        from plexapi.playqueue import PlayQueue

        parent_key = getattr(media, "parentRatingKey", None)
        if media.type in ("episode", "track") and parent_key:
            parent = self.service.plex.fetchItem(int(parent_key))
            return PlayQueue.create(self.service.plex, parent, startItem=media)
        return PlayQueue.create(self.service.plex, media)

    async def pause(self) -> None:
        await self._playback("pause", "pause", now="paused")

    async def resume(self) -> None:
        await self._playback("resume", "play", now="playing")

    async def stop(self) -> None:
        await self._playback("stop", "stop", now="stopped")

    async def next(self) -> None:
        await self._playback("next", "skipNext")

    async def prev(self) -> None:
        await self._playback("prev", "skipPrevious")

    async def seek(self, target: SeekTarget) -> int:
        self._require("seek")
        return await self._seeks.submit(target)

    async def _send_seek(self, target: SeekTarget) -> int:
        position = seek_position(target, await self.state(0.0 if target.relative else FRESH))
        await self._playback("seek", "seekTo", offset=position)
        return position

    async def volume(self, change: VolumeChange) -> int:
        self._require("volume")
        return await self._volumes.submit(change)

    async def _send_volume(self, change: VolumeChange) -> int:
        state = await self.state(FRESH)
        level = change.apply(state.volume if state.volume is not None else 100)
        await self._playback("volume", "setParameters", volume=level)
        return level

    async def shuffle(self, on: bool) -> bool:
        await self._playback("shuffle", "setParameters", shuffle=int(on))
        return on

    async def repeat(self, mode: str) -> str:
        await self._playback("repeat", "setParameters", repeat=REPEAT_CODES[mode])
        return mode

    async def state(self, max_age: float = 0.0) -> PlaybackState:
        """The player's own timeline (wait=0), converted; items come from the server.

        A state read (or left by our own pause, resume or stop) within `max_age` seconds
        is returned as is, so a command that just looked does not look again. A read sent
        before our own last command was answered (the watcher's, in flight meanwhile) is
        returned but not kept: what that command left is newer."""
        asked = time.monotonic()
        if asked - self._last_at <= max_age:
            return self._last
        data = await self._send("timeline/poll", "a timeline poll", wait=0)
        state = await self._read(data)
        if asked >= self._acted_at:
            self._last, self._last_at = state, asked
        return state

    async def _read(self, data: Any) -> PlaybackState:
        """The timeline answer as a state; the controls it lists are kept for `_require`."""
        active = None
        for timeline in data if data is not None else []:
            if timeline.attrib.get("state", "stopped") != "stopped":
                active = timeline
                break
        if active is None:
            self._controllable = None
            return PlaybackState(player=self.info.name)
        attrs = active.attrib
        self._controllable = set(filter(None, attrs.get("controllable", "").split(",")))
        rating_key = attrs.get("ratingKey")
        item = self._last.item
        if rating_key and (item is None or item.rating_key != rating_key):
            try:
                item = await self.service.item(rating_key)
            except Exception:  # noqa: BLE001 - the state is still useful without the item
                item = None
        state = attrs.get("state", "stopped")
        return PlaybackState(
            player=self.info.name,
            item=item,
            state=state if state in STATES else "playing",  # type: ignore[arg-type]
            position_ms=_number(attrs.get("time")) or 0,
            duration_ms=_number(attrs.get("duration")),
            volume=_number(attrs.get("volume")),
            shuffle=attrs.get("shuffle") == "1",
            repeat={"1": "one", "2": "all"}.get(attrs.get("repeat", "0"), "off"),  # type: ignore[arg-type]
            queue_id=_number(attrs.get("playQueueID")),
            queue_item_id=_number(attrs.get("playQueueItemID")),
            media_index=_number(attrs.get("mediaIndex")) or 0,
            audio_id=_number(attrs.get("audioStreamID")),
            subtitle_id=_number(attrs.get("subtitleStreamID")) or 0,
        )


def _number(text: str | None) -> int | None:
    """A timeline number; players send garbage sometimes, which reads as unknown."""
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None
