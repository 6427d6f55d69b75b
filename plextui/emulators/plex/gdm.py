"""GDM ("G'Day Mate"), Plex's LAN discovery, for the emulated players and server.

Real players listen on UDP 32412 and answer `M-SEARCH * HTTP/1.x` with `HTTP/1.0 200 OK`
and `Key: value` lines (name, companion port, identifier, capabilities); on start and stop
they send `HELLO * HTTP/1.0` / `BYE * HTTP/1.0` with the same lines to 239.0.0.250:32413,
where PMS listens and keeps its `/clients` list. Here the ports are parameters: tests use
free ports on 127.0.0.1 and unicast, since multicast may not route in a CI container.

One `Beacon` speaks for all of an emulator's players (one UDP socket, one answer per
player: several sockets on one unicast port would each see only some searches), and one
`Listener` is the server's ear.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .players import Player

log = logging.getLogger(__name__)

SEARCH_PORT = 32412  # players answer M-SEARCH here
ANNOUNCE = ("239.0.0.250", 32413)  # players say HELLO / BYE here; servers listen
SETTLE_SECONDS = 2.0  # how long start/stop wait for the server to hear an announcement


def message(first_line: str, fields: dict[str, str]) -> bytes:
    """A GDM datagram: the first line, then `Key: value` lines, CRLF-separated."""
    return "\r\n".join([first_line, *(f"{k}: {v}" for k, v in fields.items())]).encode() + b"\r\n"


def parse(data: bytes) -> tuple[str, dict[str, str]]:
    """(first line, fields); values keep any colons they hold, lines may end LF or CRLF."""
    lines = data.decode("utf-8", "replace").splitlines()
    fields = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip()] = value.strip()
    return (lines[0].strip() if lines else ""), fields


@dataclass(frozen=True)
class Heard:
    """A player the server has heard announce itself, and the address it came from."""

    fields: dict[str, str]
    host: str

    @property
    def machine_identifier(self) -> str:
        return self.fields.get("Resource-Identifier", "")

    def client(self) -> dict:
        """The attributes of its `<Server>` row in `/clients`, as PMS builds them."""
        f = self.fields
        return {
            "name": f.get("Name", ""),
            "host": self.host,
            "address": self.host,
            "port": f.get("Port", ""),
            "machineIdentifier": self.machine_identifier,
            "version": f.get("Version", ""),
            "protocol": f.get("Protocol", "plex"),
            "product": f.get("Product", ""),
            "deviceClass": f.get("Device-Class", ""),
            "protocolVersion": f.get("Protocol-Version", "1"),
            "protocolCapabilities": f.get("Protocol-Capabilities", ""),
        }


class Listener(asyncio.DatagramProtocol):
    """The server's ear: HELLO adds a player (or refreshes it), BYE removes it."""

    def __init__(self) -> None:
        self.heard: dict[str, Heard] = {}
        self.port = 0
        self._transport: asyncio.DatagramTransport | None = None
        self._changed = asyncio.Event()

    @classmethod
    async def open(cls, host: str, port: int) -> Listener:
        """On the real port it listens on every interface and joins the group, to hear
        real players (plex-mpv-shim multicasts its HELLO); otherwise on `host` only."""
        listener = cls()
        real = port == ANNOUNCE[1]
        sock = _udp_socket("0.0.0.0" if real else host, port)
        if real:
            _join(sock, ANNOUNCE[0])
        loop = asyncio.get_running_loop()
        listener._transport, _ = await loop.create_datagram_endpoint(lambda: listener, sock=sock)
        listener.port = sock.getsockname()[1]
        return listener

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def datagram_received(self, data: bytes, addr) -> None:
        first, fields = parse(data)
        ident = fields.get("Resource-Identifier")
        if not ident or "player" not in fields.get("Content-Type", "plex/media-player"):
            return
        if first.startswith("HELLO "):
            self.heard[ident] = Heard(fields, addr[0])
        elif first.startswith("BYE "):
            self.heard.pop(ident, None)
        else:
            return
        self._changed.set()
        self._changed = asyncio.Event()

    def clients(self) -> list[dict]:
        return [h.client() for h in self.heard.values()]

    async def settle(self, ident: str, present: bool, timeout: float = SETTLE_SECONDS) -> bool:
        """Wait until `ident` is (or is no longer) heard; False if that did not happen in time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (ident in self.heard) != present:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True


class Beacon(asyncio.DatagramProtocol):
    """The players' side: answers searches for every reachable player, sends HELLO and BYE."""

    def __init__(
        self,
        players: Callable[[], Iterable[Player]],
        targets: list[tuple[str, int]],
        listener: Listener | None,
    ) -> None:
        self.players, self.targets, self.listener = players, targets, listener
        self.port = 0
        self.searches = 0  # M-SEARCH datagrams answered, for tests
        self._transport: asyncio.DatagramTransport | None = None

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        players: Callable[[], Iterable[Player]],
        targets: list[tuple[str, int]],
        listener: Listener | None = None,
    ) -> Beacon:
        beacon = cls(players, targets, listener)
        sock = _udp_socket(host, port)
        loop = asyncio.get_running_loop()
        beacon._transport, _ = await loop.create_datagram_endpoint(lambda: beacon, sock=sock)
        beacon.port = sock.getsockname()[1]
        return beacon

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def datagram_received(self, data: bytes, addr) -> None:
        if not data.startswith(b"M-SEARCH * HTTP/1.") or self._transport is None:
            return
        self.searches += 1
        for player in self.players():
            if player.reachable:
                self._transport.sendto(message("HTTP/1.0 200 OK", player.gdm_fields()), addr)

    async def hello(self, player: Player) -> None:
        await self._announce("HELLO * HTTP/1.0", player, present=True)

    async def bye(self, player: Player) -> None:
        await self._announce("BYE * HTTP/1.0", player, present=False)

    async def _announce(self, first_line: str, player: Player, present: bool) -> None:
        """Tell every target, then wait until our own server has heard it, so the
        emulator's state is settled when start(), stop() or `reachable = …` return."""
        if self._transport is None:
            return
        data = message(first_line, player.gdm_fields())
        for target in self.targets:
            try:
                self._transport.sendto(data, target)
            except OSError as exc:  # an unroutable multicast group, say: the rest still go
                log.debug("GDM announcement to %s:%s failed: %s", *target, exc)
        if self.listener is not None:
            await self.listener.settle(player.machine_identifier, present)


def _udp_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setblocking(False)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _join(sock: socket.socket, group: str) -> None:
    """Join a multicast group where the host allows it; loopback-only containers may not."""
    request = socket.inet_aton(group) + socket.inet_aton("0.0.0.0")
    try:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, request)
    except OSError as exc:
        log.debug("cannot join GDM group %s: %s", group, exc)
