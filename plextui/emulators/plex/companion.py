"""The companion protocol's HTTP side of an emulated player: /resources and /player/*.

Real players (plex-mpv-shim, Plex HTPC, Plexamp) answer the same commands with their own
quirks, which the faults a test switches on in players.Player reproduce: toggling
pause/play, a 200 that says 500, an HTTP error, a playMedia that never loads, a slow
answer. Kept apart from the playback model so the wire (what a command changes and
how it is answered) reads in one place and the queue/clock arithmetic in another.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from .xml import HEADER, attrs, tag

OK = HEADER + '<Response code="200" status="OK"/>'


class Companion:
    """Mixed into players.Player: its state (queue, clock, faults) lives there."""

    def _headers(self) -> dict:
        return {
            "X-Plex-Client-Identifier": self.machine_identifier,
            "Access-Control-Allow-Origin": "*",
        }

    async def _resources(self, request: web.Request) -> web.Response:
        player = tag(
            "Player",
            {
                "title": self.name,
                "machineIdentifier": self.machine_identifier,
                "deviceClass": self.device_class,
                "platform": self.platform,
                "platformVersion": "6.1",
                "product": self.product,
                "protocol": "plex",
                "protocolCapabilities": self.profile.capabilities,
                "protocolVersion": self.profile.protocol_version,
                "version": self.profile.version,
            },
        )
        return web.Response(
            text=HEADER + tag("MediaContainer", {"size": 1}, player),
            content_type="text/xml",
            charset="utf-8",
            headers=self._headers(),
        )

    async def handle(self, request: web.Request) -> web.Response:
        """Every /player/{controller}/{command}; the server's proxy forwards here over HTTP."""
        controller, command = request.match_info["controller"], request.match_info["command"]
        q = request.query
        self.commands.append(f"{controller}/{command}")
        if controller == "timeline" and command == "poll":
            if q.get("wait") == "1":
                try:
                    await asyncio.wait_for(self._changed.wait(), float(q.get("timeout", 30)))
                except TimeoutError:
                    pass
            return web.Response(
                text=self.timeline_xml(q.get("commandID", "0")),
                content_type="text/xml",
                charset="utf-8",
                headers=self._headers(),
            )
        if controller == "playback":
            if self.http_error:
                return web.Response(status=self.http_error, headers=self._headers())
            if self.refuse:
                text = HEADER + f"<Response{attrs({'code': 500, 'status': self.refuse})}/>"
                return web.Response(
                    text=text, content_type="text/xml", charset="utf-8", headers=self._headers()
                )
            await self._playback(command, q)
            await asyncio.sleep(self.answer_delay)
        return web.Response(
            text=OK, content_type="text/xml", charset="utf-8", headers=self._headers()
        )

    async def _playback(self, command: str, q) -> None:
        item = self.current()
        if command in ("play", "pause") and self.toggles:
            command = "pause" if self.state == "playing" else "play"
        if command == "playMedia" and self.cannot_fetch:
            return  # a player that cannot reach the server shows an error and stays put
        if command == "playMedia":
            before = self.current()
            if before is not None:
                await self._stop_reporting()
            self.play_media(
                q.get("key", ""),
                q.get("containerKey", ""),
                int(q.get("offset", 0) or 0),
                int(q.get("mediaIndex", 0) or 0),
            )
        elif command == "play" and item is not None:
            self._set("playing")
        elif command == "pause" and item is not None:
            self._set("paused")
        elif command == "stop" and item is not None:
            pos = self.position()
            self._set("stopped", pos)
            await self.core.report(
                self.machine_identifier, self.session_player(), item.rk, "stopped", pos
            )
            return
        elif command == "seekTo" and item is not None:
            self._set(self.state, int(q.get("offset", 0) or 0))
        elif command in ("stepForward", "stepBack") and item is not None:
            self._set(
                self.state, self.position() + (30_000 if command == "stepForward" else -15_000)
            )
        elif command in ("skipNext", "skipPrevious", "skipTo") and item is not None:
            await self._skip(command, q)
        elif command == "setParameters":
            for name in ("volume", "shuffle", "repeat"):
                if name in q:
                    setattr(self, name, int(q[name]))
            self._set(self.state)
        elif command == "setStreams":
            self.audio_stream = int(q.get("audioStreamID", self.audio_stream) or 0)
            self.subtitle_stream = int(q.get("subtitleStreamID", self.subtitle_stream) or 0)
            self._set(self.state)
        elif command == "refreshPlayQueue":
            self._set(self.state)
        await self.report()

    async def _skip(self, command: str, q) -> None:
        queue = self.queue
        if command == "skipTo":
            rk = q.get("key", "").rstrip("/").split("/")[-1]
            target = next((n for n, (_, r) in enumerate(queue.items) if str(r) == rk), self.index)
        elif command == "skipNext":
            target = min(self.index + 1, len(queue.items) - 1)
        else:
            target = self.index if self.position() > 5000 else max(self.index - 1, 0)
        if target != self.index:
            await self._stop_reporting()
        self.index = target
        self._set(self.state, 0)
