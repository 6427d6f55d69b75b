"""PlexEmulator: runs the PMS and its players on a private event loop in a background thread.

Tests and the demo call it from ordinary (synchronous) code; every state access hops onto
the loop thread, so nothing races the HTTP handlers. Players are found as real ones are,
by GDM: they answer searches on `gdm_port` and announce themselves to the server's
listener (and to any `gdm_announce` targets); the server's /clients lists what it heard.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any

from aiohttp import web

from ..loopthread import LoopThread
from .clock import ManualClock, RealClock
from .core import Core
from .gdm import Beacon, Listener
from .media import shared_media
from .players import Player
from .server import build_app
from .state import ACCOUNTS, Session

TICK_SECONDS = 1.0


class PlexEmulator:
    def __init__(
        self,
        token: str = "demo-token",
        size: int = 300,
        seed: int = 1,
        players: int = 2,
        clock: ManualClock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        gdm_port: int = 0,
        gdm_announce: Iterable[tuple[str, int]] = (),
        gdm_listen_port: int = 0,
    ) -> None:
        """`gdm_port`: where players answer M-SEARCH (real players: 32412; 0 picks a free
        port). `gdm_listen_port`: where the server hears HELLO / BYE (real PMS: 32413).
        `gdm_announce`: more (host, port) targets for HELLO / BYE, e.g. a test's listener
        or the real multicast group ("239.0.0.250", 32413)."""
        self.token, self.host, self.port, self.verbose = token, host, port, verbose
        self.gdm_port, self.gdm_listen_port = gdm_port, gdm_listen_port
        self.gdm_announce = list(gdm_announce)
        self.clock = clock or RealClock()
        self.core = Core(token=token, size=size, seed=seed, clock=self.clock, files=shared_media())
        self.core.players = [Player(self.core, n) for n in range(players)]
        self._thread: LoopThread | None = None
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task | None = None
        self._foreign = 0
        self._beacon: Beacon | None = None

    # ----- lifecycle -----
    def start(self) -> PlexEmulator:
        self._thread = LoopThread("plex-emulator")
        self._thread.start()
        self._call(self._start())
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(
            build_app(self.core, self.verbose), access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self.core.url = f"http://{self.host}:{self.port}"
        listener = await Listener.open(self.host, self.gdm_listen_port)
        self.core.gdm, self.gdm_listen_port = listener, listener.port
        targets = [(_reach(self.host), listener.port), *self.gdm_announce]
        self._beacon = await Beacon.open(
            self.host, self.gdm_port, lambda: self.core.players, targets, listener
        )
        self.gdm_port = self._beacon.port  # a restart keeps the same ports
        for player in self.core.players:
            player.beacon = self._beacon
            await player.start()
        if not self.clock.manual:
            self._ticker = asyncio.create_task(self._tick_forever())

    async def _tick_forever(self) -> None:
        """With a real clock, playback moves on by itself; `playing` updates go out every tick."""
        while True:
            await asyncio.sleep(TICK_SECONDS)
            await self.core.tick()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._call(self._stop())
        self._thread.stop()
        self._thread = None

    async def _stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        await self.core.notifier.drop_all()
        for player in self.core.players:
            await player.close()
        if self._beacon is not None:
            self._beacon.close()
            self._beacon = None
        self.core.gdm.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def restart(self) -> PlexEmulator:
        """Same port, same library and state; clients see a dropped connection then recovery."""
        self.stop()
        return self.start()

    def __enter__(self) -> PlexEmulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _call(self, coro: Coroutine) -> Any:
        return self._thread.run(coro)

    # ----- identity -----
    @property
    def url(self) -> str:
        return self.core.url

    @property
    def machine_identifier(self) -> str:
        return self.core.machine_identifier

    @property
    def friendly_name(self) -> str:
        return self.core.friendly_name

    @property
    def players(self) -> list[Player]:
        return self.core.players

    def player(self, name: str) -> Player:
        return next(p for p in self.core.players if p.name == name)

    @property
    def faults(self):
        return self.core.faults

    @property
    def requests(self) -> list[tuple[str, str, dict]]:
        return self.core.requests

    @property
    def library(self):
        return self.core.library

    def find(self, title: str) -> str:
        return self.core.library.find(title)

    def add_user_token(self, token: str, account_id: int, name: str) -> None:
        """Accept `token` as a non-admin account (a Plex Home user's server token)."""
        self.core.user_tokens[token] = (account_id, name)

    # ----- state views -----
    def sessions(self) -> list[dict]:
        async def snapshot() -> list[dict]:
            await self.core.tick()
            return [_session_dict(self.core, s) for s in self.core.state.sessions.values()]

        return self._call(snapshot())

    def history(self) -> list[dict]:
        async def snapshot() -> list[dict]:
            out = []
            for h in sorted(self.core.state.history, key=lambda h: -h["viewedAt"]):
                item = self.core.library.get(h["rk"])
                out.append(
                    {
                        "historyKey": f"/status/sessions/history/{h['id']}",
                        "ratingKey": str(h["rk"]),
                        "title": item.title,
                        "type": item.kind,
                        "viewedAt": h["viewedAt"],
                        "accountID": h["account"],
                        "deviceID": h["device"],
                    }
                )
            return out

        return self._call(snapshot())

    # ----- driving -----
    def advance(self, seconds: float) -> None:
        """Move a manual clock on in steps, so item ends and notifications happen in order."""
        if not self.clock.manual:
            raise RuntimeError("advance() needs PlexEmulator(clock=ManualClock())")
        remaining = float(seconds)
        while remaining > 0:
            step = min(remaining, 10.0)
            self.clock.advance(step)
            self._call(self.core.tick())
            remaining -= step

    def touch_section(self, section_id: int) -> None:
        self._call(self.core.touch_section(section_id))

    def drop_websockets(self) -> None:
        self._call(self.core.notifier.drop_all())

    def add_session(
        self,
        user: str = "alice",
        title: str | None = None,
        player_name: str = "Bedroom Roku",
        transcode: bool = True,
        lan: bool = False,
    ) -> str:
        """A session from some other household device, for sessions/bandwidth screens; returns its sessionKey."""

        async def add() -> str:
            lib = self.core.library
            rk = int(lib.find(title)) if title else lib.sections[1].by_type[1][0].rk
            self._foreign += 1
            client = f"foreign-{self._foreign}"
            account = next(
                (a for a in ACCOUNTS if a[1] == user), (len(ACCOUNTS) + self._foreign, user)
            )
            player = {
                "title": player_name,
                "machineIdentifier": client,
                "address": "10.0.0.23",
                "device": "Roku",
                "platform": "Roku",
                "product": "Plex for Roku",
                "model": "4800X",
                "version": "8.2.1",
                "relayed": 0,
                "secure": 1,
            }
            session = await self.core.report(
                client, player, rk, "playing", 0, user=account, transcode=transcode, lan=lan
            )
            session.extra["foreign"] = True
            return str(session.key)

        return self._call(add())


def _reach(host: str) -> str:
    """The address to send to for a socket bound to `host` (a wildcard means this machine)."""
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def _session_dict(core: Core, s: Session) -> dict:
    item = core.library.get(s.rk)
    out = {
        "sessionKey": str(s.key),
        "ratingKey": str(s.rk),
        "title": item.title,
        "type": item.kind,
        "state": s.state,
        "viewOffset": s.offset,
        "duration": item.duration,
        "user": s.user[1],
        "userID": s.user[0],
        "player": s.player.get("title"),
        "machineIdentifier": s.client_id,
        "product": s.player.get("product"),
        "sessionId": s.session_id,
        "transcode": s.transcode,
        "location": "lan" if s.lan else "wan",
        "bandwidth": core.state.session_bandwidth(s),
    }
    if s.transcode:
        out["transcodeSession"] = core.state.transcode_info(s, core.faults.transcoder_speed)
    return out
