"""Emulated Plex players speaking the companion protocol on their own ports.

Each player holds a play queue position on the shared clock, answers /player/* commands
and /player/timeline/poll, and reports every change to the server as sessions do. It says
what it is (profiles.py) by GDM: HELLO when its port opens, BYE when it closes (gdm.py).
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import TYPE_CHECKING

from aiohttp import web

from . import versions
from .companion import Companion
from .profiles import PROFILES
from .xml import HEADER, attrs, tag

if TYPE_CHECKING:
    from .core import Core
    from .gdm import Beacon


class Player(Companion):
    """One emulated player: its play queue position and timeline (here), its answers to
    /player/* commands (companion.py), its GDM announcements (gdm.py)."""

    def __init__(self, core: Core, number: int) -> None:
        self.profile = profile = PROFILES[number % len(PROFILES)]
        self.core, self.kind, self.product = core, profile.kind, profile.product
        self.platform, self.device_class = profile.platform, profile.device_class
        self.name = profile.name if number < len(PROFILES) else f"{profile.name} {number + 1}"
        self.machine_identifier = hashlib.sha1(
            f"{core.machine_identifier}-{number}".encode()
        ).hexdigest()[:24]
        self.host, self.port, self.url = "127.0.0.1", 0, ""
        self.queue_id = 0
        self.index = 0
        self.state = "stopped"
        self._offset, self._anchor = 0, 0.0
        self.volume, self.shuffle, self.repeat = 100, 0, 0
        self.audio_stream = self.subtitle_stream = 0
        self.media_index = 0  # which version (Media) of the item plays: playMedia's mediaIndex
        self.controllable = profile.controllable  # what the timeline lets others control
        self._version = 0
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._reachable = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self.commands: list[str] = []  # every /player/… command received, for tests
        self.beacon: Beacon | None = None  # GDM: answers searches, announces start and stop
        # faults a test switches on, each a behaviour of real players
        self.toggles = False  # pause and play both toggle (plex-mpv-shim's pausePlay)
        self.refuse = ""  # playback commands answer HTTP 200 <Response code="500" status=…>
        self.http_error = 0  # playback commands answer with this HTTP status
        self.cannot_fetch = False  # playMedia is acknowledged, the media never loads
        self.answer_delay = 0.0  # playback commands act at once, answer this many s later

    # ----- lifecycle -----
    async def start(self, port: int = 0) -> None:
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        app = web.Application()
        app.router.add_get("/resources", self._resources)
        app.router.add_route("*", "/player/{controller}/{command}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await self._bind(port or self.port)
        if self.beacon is not None:
            await self.beacon.hello(self)

    async def _bind(self, port: int) -> None:
        self._site = web.TCPSite(self._runner, self.host, port, reuse_address=True)
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"

    async def close(self) -> None:
        if self._runner is not None:
            if self.beacon is not None:
                await self.beacon.bye(self)
            await self._runner.cleanup()
            self._runner = self._site = None

    @property
    def reachable(self) -> bool:
        return self._reachable

    @reachable.setter
    def reachable(self, value: bool) -> None:
        """False closes the port (connections refused), True reopens it on the same port."""
        value = bool(value)
        if value == self._reachable or self._loop is None:
            self._reachable = value
            return
        self._reachable = value
        asyncio.run_coroutine_threadsafe(self._set_reachable(value), self._loop).result(10)

    async def _set_reachable(self, value: bool) -> None:
        """Going away closes kept-alive connections too, as a powered-off TV does."""
        if value:
            await self.start(self.port)
        else:
            await self.close()

    # ----- playback model -----
    @property
    def queue(self):
        return self.core.state.play_queues.get(self.queue_id)

    def current(self):
        q = self.queue
        if q is None or not q.items or self.state == "stopped":
            return None
        return self.core.library.get(q.items[min(self.index, len(q.items) - 1)][1])

    def position(self) -> int:
        item = self.current()
        if item is None:
            return 0
        pos = self._offset
        if self.state == "playing":
            pos += int((self.core.clock.now() - self._anchor) * 1000)
        return max(0, min(pos, item.duration))

    def _set(self, state: str, offset: int | None = None) -> None:
        self._offset = self.position() if offset is None else max(int(offset), 0)
        self._anchor = self.core.clock.now()
        self.state = state
        self._version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def report(self) -> None:
        item, q = self.current(), self.queue
        pqi = q.items[self.index][0] if (q and q.items and item) else 0
        transcode = (
            self.kind == "video"
            and item is not None
            and self._playing_version(item).video_codec == "hevc"
        )
        await self.core.report(
            self.machine_identifier,
            self.session_player(),
            item.rk if item else 0,
            self.state if item else "stopped",
            self.position(),
            transcode=transcode,
            play_queue_item=pqi,
            media_index=self.media_index,
        )

    def session_player(self) -> dict:
        return {
            "title": self.name,
            "machineIdentifier": self.machine_identifier,
            "address": self.host,
            "device": self.platform,
            "platform": self.platform,
            "product": self.product,
            "model": self.device_class,
            "version": self.profile.version,
            "local": 1,
            "relayed": 0,
            "secure": 0,
            "userID": 1,
            "state": self.state,
        }

    async def simulate(self) -> None:
        """Move on at the end of an item: repeat one, next in queue, wrap (repeat all) or stop."""
        item = self.current()
        if item is None or self.state != "playing":
            return
        if self.position() < item.duration:
            await self.report()
            return
        q = self.queue
        if self.repeat == 1:
            self._set("playing", 0)
        elif self.index + 1 < len(q.items):
            await self._stop_reporting()
            self.index += 1
            self._set("playing", 0)
        elif self.repeat == 2:
            await self._stop_reporting()
            self.index = 0
            self._set("playing", 0)
        else:
            self._offset = item.duration
            self._set("stopped", item.duration)
            await self.core.report(
                self.machine_identifier, self.session_player(), item.rk, "stopped", item.duration
            )
            return
        await self.report()

    async def _stop_reporting(self) -> None:
        """Close the session of the item we are leaving, at the position we leave it."""
        item = self.current()
        if item is not None:
            await self.core.report(
                self.machine_identifier, self.session_player(), item.rk, "stopped", self.position()
            )

    def play_media(self, key: str, container_key: str, offset: int, media_index: int = 0) -> None:
        rk = int(key.rstrip("/").split("/")[-1]) if key else 0
        queue_id = (
            int(container_key.split("?")[0].rstrip("/").split("/")[-1] or 0) if container_key else 0
        )
        q = self.core.state.play_queues.get(queue_id)
        if q is None:
            q = self.core.state.create_play_queue(
                self.kind, [rk], rk, False, f"library:///item/{rk}"
            )
        self.queue_id = q.id
        self.index = next((n for n, (_, r) in enumerate(q.items) if r == rk), q.selected)
        self.media_index = max(media_index, 0)
        self._set("playing", offset)
        self._default_streams()

    def _playing_version(self, item) -> versions.Version:
        """The version of `item` that plays (HEVC ones are transcoded for this player)."""
        found = versions.versions(item.kind, item.rk, item.resolution)
        return found[min(self.media_index, len(found) - 1)]

    def _default_streams(self) -> None:
        """A player starts an item on the tracks its part has selected on the server."""
        item = self.current()
        self.audio_stream = self.subtitle_stream = 0
        if item is None or item.kind not in ("movie", "episode"):
            return
        version = self._playing_version(item)
        self.audio_stream = self.core.library.choices.audio_of(version)
        self.subtitle_stream = self.core.library.choices.subtitle_of(version)

    def stop(self) -> None:
        self._set("stopped", self.position())

    # ----- timeline -----
    def timeline(self) -> dict:
        item, q = self.current(), self.queue
        t = {
            "type": self.kind,
            "state": self.state if item else "stopped",
            "time": self.position(),
            "volume": self.volume,
            "shuffle": self.shuffle,
            "repeat": self.repeat,
        }
        if item is not None:
            t |= {
                "ratingKey": str(item.rk),
                "key": f"/library/metadata/{item.rk}",
                "duration": item.duration,
                "playQueueID": q.id,
                "playQueueItemID": q.items[self.index][0],
                "playQueueVersion": q.version,
                "containerKey": f"/playQueues/{q.id}",
                "mediaIndex": self.media_index if item.kind != "track" else None,
            }
        return t

    def timeline_xml(self, command_id: str) -> str:
        t = self.timeline()
        body = []
        for kind in ("music", "video", "photo"):
            if kind != self.kind or t["state"] == "stopped":
                body.append(tag("Timeline", {"state": "stopped", "type": kind}))
                continue
            body.append(
                tag(
                    "Timeline",
                    t
                    | {
                        "itemType": kind,
                        "controllable": self.controllable,
                        "machineIdentifier": self.core.machine_identifier,
                        "providerIdentifier": "com.plexapp.plugins.library",
                        "protocol": "http",
                        "address": "127.0.0.1",
                        "port": self.core.url.rsplit(":", 1)[-1],
                        "audioStreamID": self.audio_stream or None,
                        "subtitleStreamID": self.subtitle_stream or None,
                    }
                    | self._screen(t),
                )
            )
        container = {"commandID": command_id}
        if not self.profile.music_app:  # Plexamp's answers name no location
            container["location"] = "navigation" if t["state"] == "stopped" else self._location()
        return HEADER + f"<MediaContainer{attrs(container)}>" + "".join(body) + "</MediaContainer>"

    def _location(self) -> str:
        return "fullScreenVideo" if self.kind == "video" else "fullScreenMusic"

    def _screen(self, t: dict) -> dict:
        """What video players (plex-mpv-shim, HTPC) add and Plexamp does not."""
        if self.profile.music_app:
            return {}
        return {"seekRange": f"0-{t['duration']}", "location": self._location()}

    def gdm_fields(self) -> dict[str, str]:
        """What this player says in GDM answers and HELLO / BYE announcements."""
        return {
            "Content-Type": "plex/media-player",
            "Resource-Identifier": self.machine_identifier,
            "Name": self.name,
            "Port": str(self.port),
            "Product": self.product,
            "Version": self.profile.version,
            "Protocol": "plex",
            "Protocol-Version": "1",
            "Protocol-Capabilities": self.profile.capabilities,
            "Device-Class": self.device_class,
        }
