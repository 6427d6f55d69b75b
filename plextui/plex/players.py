"""Players: the Player protocol, and RemotePlayer over plexapi's PlexClient.

A remote player is tried directly first and through the server's proxy when its own port
does not answer (TVs behind another subnet, players that only talk to PMS). Commands a
player does not advertise fail here with a clear message instead of being sent. Rapid
repeats of seek and volume coalesce into one command: the latest target wins.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import requests
from plexapi.client import PlexClient
from plexapi.exceptions import BadRequest, NotFound
from plexapi.playqueue import PlayQueue

from plextui.core.commands import VolumeChange
from plextui.core.models import MediaItem, PlaybackState, Player
from plextui.core.timecode import SeekTarget
from plextui.errors import StreamError, UnreachableError
from plextui.plex import convert
from plextui.plex.server import PlexService

COALESCE_WINDOW = 0.15
STATES = ("playing", "paused", "buffering", "stopped")
REPEAT_CODES = {"off": 0, "one": 1, "all": 2}  # the companion protocol's repeat values
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
}


class PlayerBackend(Protocol):
    """What the Controller needs from any player, remote or this computer's mpv."""

    info: Player

    async def play(self, item: MediaItem, offset_ms: int = 0) -> None: ...
    async def pause(self) -> None: ...
    async def resume(self) -> None: ...
    async def stop(self) -> None: ...
    async def seek(self, target: SeekTarget) -> int: ...
    async def next(self) -> None: ...
    async def prev(self) -> None: ...
    async def volume(self, change: VolumeChange) -> int: ...
    async def shuffle(self, on: bool) -> bool: ...
    async def repeat(self, mode: str) -> str: ...
    async def state(self) -> PlaybackState: ...


class Coalescer:
    """Merge calls that arrive within a short window; the merged value is sent once.

    Every caller waiting in the window gets the result of that one send.
    """

    def __init__(
        self,
        send: Callable[[Any], Awaitable[Any]],
        merge: Callable[[Any, Any], Any],
        window: float = COALESCE_WINDOW,
    ) -> None:
        self._send = send
        self._merge = merge
        self._window = window
        self._pending: Any = None
        self._future: asyncio.Future | None = None

    async def submit(self, value: Any) -> Any:
        if self._future is None:
            self._pending = value
            self._future = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_later(self._window, self._flush)
        else:
            self._pending = self._merge(self._pending, value)
        return await asyncio.shield(self._future)

    def _flush(self) -> None:
        future, value = self._future, self._pending
        self._future = self._pending = None
        task = asyncio.ensure_future(self._send(value))

        def done(t: asyncio.Task) -> None:
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
        self._client = client
        self._proxied = False
        self.info = convert.player(client)
        self._last: PlaybackState = PlaybackState(player=self.info.name)
        self._controllable: set[str] | None = None
        self._seeks = Coalescer(self._send_seek, lambda a, b: a.then(b))
        self._volumes = Coalescer(self._send_volume, lambda a, b: a.then(b))

    # --- transport -------------------------------------------------------------------

    def _command(self, command: str, **params: Any) -> Any:
        """Send directly; on a dead direct route switch to the server proxy for good."""
        return self._either_route(lambda: self._client.sendCommand(command, **params))

    def _either_route(self, send: Callable[[], Any]) -> Any:
        if not self._proxied:
            try:
                return send()
            except (requests.ConnectionError, requests.Timeout):
                self._client.proxyThroughServer(True, server=self.service.plex)
                self._proxied = True
        try:
            return send()
        except (requests.ConnectionError, requests.Timeout, BadRequest, NotFound):
            # the server could not reach (500) or does not know (404) the player either
            raise UnreachableError(f"player '{self.info.name}' is not answering") from None

    async def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self.service.run(fn, *args)

    def _mtype(self) -> str:
        kind = self._last.item.kind if self._last.item else None
        return "music" if kind == "track" or self.info.product == "Plexamp" else "video"

    def _require(self, action: str) -> None:
        if "playback" not in self.info.capabilities:
            raise StreamError(f"player '{self.info.name}' cannot be remote-controlled")
        needed = CONTROLS.get(action)
        if needed and self._controllable is not None and needed not in self._controllable:
            raise StreamError(f"player '{self.info.name}' does not support {action}")

    async def _playback(self, action: str, command: str, **params: Any) -> None:
        self._require(action)
        await self._run(lambda: self._command(f"playback/{command}", type=self._mtype(), **params))

    # --- commands --------------------------------------------------------------------

    async def play(self, item: MediaItem, offset_ms: int = 0) -> None:
        self._require("play")

        def play() -> None:
            key = item.rating_key
            media = self.service.plex.fetchItem(
                f"/playlists/{key}" if item.kind == "playlist" else int(key)
            )
            # plexapi's playMedia builds the play queue and the playMedia command
            self._play_media(media, offset_ms)

        await self._run(play)
        self._last = PlaybackState(player=self.info.name, item=item, state="playing")

    def _queue(self, media: Any) -> Any:
        """Episodes and tracks play inside their season or album, so next/prev work;
        a playlist plays as its own queue."""
        parent_key = getattr(media, "parentRatingKey", None)
        if media.type in ("episode", "track") and parent_key:
            parent = self.service.plex.fetchItem(int(parent_key))
            return PlayQueue.create(self.service.plex, parent, startItem=media)
        return media

    def _play_media(self, media: Any, offset_ms: int) -> None:
        media = self._queue(media)
        self._either_route(lambda: self._client.playMedia(media, offset=offset_ms))

    async def pause(self) -> None:
        await self._playback("pause", "pause")

    async def resume(self) -> None:
        await self._playback("resume", "play")

    async def stop(self) -> None:
        await self._playback("stop", "stop")

    async def next(self) -> None:
        await self._playback("next", "skipNext")

    async def prev(self) -> None:
        await self._playback("prev", "skipPrevious")

    async def seek(self, target: SeekTarget) -> int:
        self._require("seek")
        return await self._seeks.submit(target)

    async def _send_seek(self, target: SeekTarget) -> int:
        state = await self.state() if target.relative else self._last
        position = target.resolve(state.position_ms, state.duration_ms)
        await self._playback("seek", "seekTo", offset=position)
        return position

    async def volume(self, change: VolumeChange) -> int:
        self._require("volume")
        return await self._volumes.submit(change)

    async def _send_volume(self, change: VolumeChange) -> int:
        state = await self.state() if change.relative else self._last
        level = change.apply(state.volume if state.volume is not None else 100)
        await self._playback("volume", "setParameters", volume=level)
        return level

    async def shuffle(self, on: bool) -> bool:
        await self._playback("shuffle", "setParameters", shuffle=int(on))
        return on

    async def repeat(self, mode: str) -> str:
        await self._playback("repeat", "setParameters", repeat=REPEAT_CODES[mode])
        return mode

    async def state(self) -> PlaybackState:
        """The player's own timeline (wait=0), converted; items come from the server."""
        data = await self._run(lambda: self._command("timeline/poll", wait=0))
        active = None
        for timeline in data if data is not None else []:
            if timeline.attrib.get("state", "stopped") != "stopped":
                active = timeline
                break
        if active is None:
            self._controllable = None
            self._last = PlaybackState(player=self.info.name)
            return self._last
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
        self._last = PlaybackState(
            player=self.info.name,
            item=item,
            state=state if state in STATES else "playing",  # type: ignore[arg-type]
            position_ms=_number(attrs.get("time")) or 0,
            duration_ms=_number(attrs.get("duration")),
            volume=_number(attrs.get("volume")),
            shuffle=attrs.get("shuffle") == "1",
            repeat={"1": "one", "2": "all"}.get(attrs.get("repeat", "0"), "off"),  # type: ignore[arg-type]
        )
        return self._last


def _number(text: str | None) -> int | None:
    """A timeline number; players send garbage sometimes, which reads as unknown."""
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


async def discover(service: PlexService) -> list[RemotePlayer]:
    """Players the server knows from `/clients`."""

    def fetch() -> list[PlexClient]:
        try:
            return service.plex.clients()
        except (NotFound, BadRequest):
            return []

    return [RemotePlayer(service, client) for client in await service.run(fetch)]
