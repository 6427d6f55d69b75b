"""GDM ("G'Day Mate"): how Plex players on the LAN answer who-is-there.

A client sends `M-SEARCH * HTTP/1.1` to the player discovery port (32412) by broadcast
and multicast, and every player that listens answers `HTTP/1.0 200 OK` with `Key: value`
lines: its name, product, companion port and machine identifier (plexapi's gdm.py does
the same with one broadcast). Answers arrive for a bounded time; a player that is slow to
answer (plex-mpv-shim reads its socket twice a second, one datagram at a time) still
makes the default 1.5 s window (`plex.gdm_timeout`).
The targets are `HOST:PORT` strings so tests can aim at a private port on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from dataclasses import dataclass

log = logging.getLogger("plextui.gdm")

PLAYER_PORT = 32412  # the targets (config `plex.gdm_targets`) aim here by default
SEARCH = b"M-SEARCH * HTTP/1.1\r\n\r\n"


@dataclass(frozen=True)
class Announcement:
    """One player's answer: who it is and where its companion (HTTP) port is."""

    machine_identifier: str
    name: str
    product: str
    host: str
    port: int
    capabilities: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def parse_target(text: str) -> tuple[str, int]:
    """`HOST:PORT` → (host, port); ValueError names what is wrong."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected HOST:PORT, like 255.255.255.255:{PLAYER_PORT}, got {text!r}")
    return host, int(port)


def parse(data: bytes, host: str) -> Announcement | None:
    """A player's answer, or None for anything else (servers, garbage, other protocols)."""
    text = data.decode("utf-8", "replace")
    lines = text.splitlines()
    if not lines or "200 OK" not in lines[0]:
        return None
    fields = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    ident, port = fields.get("resource-identifier"), fields.get("port", "")
    if not ident or not port.isdigit():
        return None
    if "player" not in fields.get("content-type", "plex/media-player"):
        return None
    caps = fields.get("protocol-capabilities", "")
    return Announcement(
        machine_identifier=ident,
        name=fields.get("name") or ident,
        product=fields.get("product", ""),
        host=host,
        port=int(port),
        capabilities=tuple(c for c in caps.split(",") if c),
    )


def search(targets: tuple[str, ...] | list[str], timeout: float = 1.0) -> list[Announcement]:
    """Ask every target once and collect answers for `timeout` seconds (blocking: run it in
    a worker thread). One player answering on several routes is listed once."""
    found: dict[str, Announcement] = {}
    if timeout <= 0 or not targets:
        return []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sent = 0
        for target in targets:
            try:
                sock.sendto(SEARCH, parse_target(target))
                sent += 1
            except (OSError, ValueError) as error:  # no route for broadcast, bad target
                log.debug("GDM search to %s failed: %s", target, error)
        deadline = time.monotonic() + timeout
        late = 0  # datagrams read after the deadline: a flood cannot keep us here
        while sent and late < 64:
            late += time.monotonic() > deadline
            # past the deadline, answers already queued are still read (a busy machine
            # may wake this thread late), but none is waited for
            sock.settimeout(max(deadline - time.monotonic(), 0.0))
            try:
                data, (host, _port) = sock.recvfrom(4096)
            except (TimeoutError, BlockingIOError):
                break
            except OSError as error:  # e.g. ICMP port unreachable surfacing on Linux
                log.debug("GDM receive: %s", error)
                continue
            answer = parse(data, host)
            if answer is not None:
                # the loopback answer wins: it is the route that cannot leave this machine
                with contextlib.suppress(KeyError):
                    if found[answer.machine_identifier].host == "127.0.0.1":
                        continue
                found[answer.machine_identifier] = answer
    return list(found.values())
