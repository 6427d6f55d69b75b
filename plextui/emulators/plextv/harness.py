"""PlexTvEmulator: plex.tv on a private event loop in a background thread, plus test hooks.

Tests link or expire a PIN as if the user typed the code at plex.tv/link, and register
PlexEmulator servers as the account's resources with several connections each.
"""

from __future__ import annotations

import secrets
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

from ..loopthread import LoopThread
from ..plex import PlexEmulator
from .links import SlowLink, dead_port
from .routes import build_app
from .store import Device, Pin, Server, Store, User, connection


class PlexTvEmulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.store = Store()
        self.requests: list[tuple[str, str]] = []
        self.delay = 0.0  # seconds every answer waits
        self.clock_skew = 0.0  # seconds the Date header is off
        self._thread: LoopThread | None = None
        self._runner: web.AppRunner | None = None
        self._links: list[SlowLink] = []
        self._owned: list[PlexEmulator] = []

    # ----- lifecycle -----
    def start(self) -> PlexTvEmulator:
        self._thread = LoopThread("plextv-emulator")
        self._thread.start()
        self._call(self._start())
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(
            build_app(self.store, self), access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        for pms in self._owned:
            pms.stop()
        self._owned.clear()
        if self._thread is None:
            return
        self._call(self._stop())
        self._thread.stop()
        self._thread = None

    async def _stop(self) -> None:
        for link in self._links:
            await link.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def __enter__(self) -> PlexTvEmulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _call(self, coro: Coroutine) -> Any:
        return self._thread.run(coro)

    def _do(self, fn) -> Any:
        async def run() -> Any:
            return fn()

        return self._call(run())

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ----- the account -----
    @property
    def users(self) -> list[User]:
        return self.store.users

    @property
    def token(self) -> str:
        """The admin account's plex.tv token (what a linked PIN hands out)."""
        return self.store.users[0].token

    # ----- PIN hooks: what the user does in a browser -----
    def pins(self) -> list[Pin]:
        return self._do(lambda: list(self.store.pins.values()))

    def link(self, code: str | None = None, user_id: int = 1) -> None:
        """As if the user typed `code` (default: the newest PIN) at plex.tv/link."""

        def link() -> None:
            pins = self.store.pins.values()
            pin = next(p for p in reversed(list(pins)) if code in (None, p.code))
            pin.auth_token = self.store.user(user_id).token

        self._do(link)

    def expire(self, code: str | None = None) -> None:
        def expire() -> None:
            for pin in self.store.pins.values():
                if code in (None, pin.code):
                    pin.expires_at = pin.created_at

        self._do(expire)

    # ----- servers -----
    def slow_url(self, target_url: str, delay: float) -> str:
        """A URL reaching `target_url`'s server through a link that adds `delay` seconds."""
        host, port = target_url.split("://", 1)[1].rsplit(":", 1)
        link = self._call(SlowLink(host, int(port), delay).start(self.host))
        self._links.append(link)
        return f"http://{self.host}:{link.port}"

    def dead_url(self, scheme: str = "http") -> str:
        return f"{scheme}://{self.host}:{dead_port(self.host)}"

    def add_server(
        self, pms: PlexEmulator, name: str | None = None, connections: list[dict] | None = None
    ) -> Server:
        """List `pms` as a resource; each Home user gets a server token the PMS accepts as them."""
        tokens = {}
        for user in self.store.users:
            if user.admin:
                tokens[user.id] = pms.token
            else:
                tokens[user.id] = f"srv-{user.id}-" + secrets.token_hex(8)
                pms.add_user_token(tokens[user.id], user.id, user.title)
        server = Server(
            name or pms.friendly_name,
            pms.machine_identifier,
            connections or [connection(pms.url)],
            tokens,
        )
        self._do(lambda: self.store.servers.append(server))
        return server

    def add_player(
        self, name: str, client_identifier: str, uris: list[str], product: str = "Plex HTPC"
    ) -> Device:
        """List a player on the account, reachable at `uris` (its companion port)."""
        device = Device(name, client_identifier, product, [connection(u) for u in uris])
        self._do(lambda: self.store.devices.append(device))
        return device

    def start_servers(self, count: int, size: int = 30, slow: float = 0.4) -> list[PlexEmulator]:
        """Start `count` PMS emulators listed with three connections each: an https one that
        refuses, a remote one behind a slow link, and a good local one."""
        started = []
        for n in range(1, count + 1):
            pms = PlexEmulator(
                token=f"pms-{n}-" + secrets.token_hex(6), size=size, seed=n, players=0
            )
            pms.start()
            pms.core.friendly_name = f"Server {n}"
            self._owned.append(pms)
            conns = [
                connection(self.dead_url("https"), local=False),
                connection(self.slow_url(pms.url, slow), local=False),
                connection(pms.url),
            ]
            self.add_server(pms, connections=conns)
            started.append(pms)
        return started
