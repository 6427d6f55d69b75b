"""Rich Presence over the Discord desktop client's IPC socket, via pypresence.

Discord forwards at most one presence change per 15 s and keeps the newest, so we do the
same on our side: `show()` only records the wanted card and `sync()` sends it when the
interval allows, latest state winning. Discord may be absent, restart, run as Flatpak,
Snap or Vesktop, or refuse the client id: each of those is a `status` line, never a crash.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import stat
import struct
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pypresence import AioPresence
from pypresence.exceptions import (
    DiscordError,
    InvalidID,
    InvalidPipe,
    PyPresenceException,
    ServerError,
)

from plextui.core.models import NowPlaying
from plextui.discord.mirror.card import activity, presence_kwargs

UPDATE_INTERVAL = 15.0
# Where Discord builds put the socket under each base dir. pypresence 4.6.2 scans the first
# four only (and XDG_RUNTIME_DIR alone when it is set); Vesktop and Flatpak's xdg-run are added.
SUBDIRS = (
    ".",
    "snap.discord",
    "app/com.discordapp.Discord",
    "app/com.discordapp.DiscordCanary",
    "app/com.discordapp.DiscordPTB",
    ".flatpak/com.discordapp.Discord/xdg-run",
    ".flatpak/dev.vencord.Vesktop/xdg-run",
    "app/dev.vencord.Vesktop",
)
STATUS_DISABLED = "disabled (set discord.presence.client_id)"
STATUS_ABSENT = "Discord not running"
STATUS_INVALID_ID = "invalid client id (check discord.presence.client_id)"


def socket_dirs(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Base dirs in Discord's own order: XDG_RUNTIME_DIR, TMPDIR, TMP, TEMP, /tmp."""
    env = os.environ if environ is None else environ
    bases = [env.get(name) for name in ("XDG_RUNTIME_DIR", "TMPDIR", "TMP", "TEMP")]
    if not env.get("XDG_RUNTIME_DIR") and environ is None:
        bases.insert(0, f"/run/user/{os.getuid()}")
    if environ is None:
        bases.append("/tmp")
    dirs: list[Path] = []
    for base in filter(None, bases):
        for sub in SUBDIRS:
            path = Path(os.path.abspath(os.path.join(base, sub)))
            if path not in dirs:
                dirs.append(path)
    return dirs


def find_socket(environ: Mapping[str, str] | None = None) -> Path | None:
    """The first `discord-ipc-0..9` socket that accepts a connection (stale files skipped).

    With `environ` given, only the dirs it names are searched (tests stay off the real /tmp).
    """
    for directory in socket_dirs(environ):
        for number in range(10):
            path = directory / f"discord-ipc-{number}"
            try:
                if not stat.S_ISSOCK(path.stat().st_mode):
                    continue
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                    probe.settimeout(1.0)
                    probe.connect(str(path))
                return path
            except OSError:
                continue
    return None


class _Client(AioPresence):
    """AioPresence bound to the socket we found, since its own search misses some paths.

    The handshake is pypresence's, with the path given instead of searched for.
    """

    def __init__(self, client_id: str, path: Path, **kwargs: Any) -> None:
        super().__init__(client_id, **kwargs)
        self.path = path

    async def handshake(self) -> None:
        await self.create_reader_writer(str(self.path))
        self.send_data(0, {"v": 1, "client_id": self.client_id})
        preamble = await self.sock_reader.read(8)
        if len(preamble) < 8:
            raise InvalidPipe
        _, length = struct.unpack("<ii", preamble)
        data = json.loads(await self.sock_reader.read(length))
        if "code" in data:
            if data["message"] == "Invalid Client ID":
                raise InvalidID
            raise DiscordError(data["code"], data["message"])

    def disconnect(self) -> None:
        """Say goodbye and drop the socket; AioPresence.close() would close our event loop."""
        if self.sock_writer is None:
            return
        try:
            self.send_data(2, {"v": 1, "client_id": self.client_id})
        except (OSError, RuntimeError):
            pass
        self.sock_writer.close()
        self.sock_writer = None


def _same(a: dict | None, b: dict | None) -> bool:
    """Equal activities, allowing timestamps to drift by the second a progress tick adds."""
    if a is None or b is None:
        return a is b
    if {k: v for k, v in a.items() if k not in ("start", "end")} != {
        k: v for k, v in b.items() if k not in ("start", "end")
    }:
        return False
    return all(abs((a.get(k) or 0) - (b.get(k) or 0)) <= 2 for k in ("start", "end"))


class Presence:
    """One Rich Presence connection, kept alive and rate limited.

    `clock` (monotonic) drives the 15 s interval, the pause timeout and reconnect backoff;
    `wall` (epoch seconds) the progress-bar timestamps. Both are injectable for tests.
    """

    def __init__(
        self,
        client_id: str,
        *,
        pause_timeout: float = 300.0,
        interval: float = UPDATE_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        find: Callable[[], Path | None] = find_socket,
        timeout: float = 5.0,
    ) -> None:
        self.client_id = client_id
        self.pause_timeout = pause_timeout
        self.interval = interval
        self.clock = clock
        self.wall = wall
        self.find = find
        self.timeout = timeout
        self.status = STATUS_DISABLED if not client_id else "connecting"
        self.sent: dict | None = None  # the pypresence kwargs Discord last accepted
        self._card: NowPlaying | None = None
        self._paused_since: float | None = None
        self._client: _Client | None = None
        self._sent_at = float("-inf")
        self._retry_at = float("-inf")
        self._backoff = 1.0
        self._wake = asyncio.Event()

    @property
    def connected(self) -> bool:
        return self._client is not None

    @property
    def preview(self) -> dict | None:
        """The activity Discord shows now (as sent on the wire), None when cleared."""
        return activity(self._card, self.wall()) if self._wanted() is not None else None

    def show(self, card: NowPlaying | None) -> None:
        """Record the card to show (None clears); sent by the next due `sync()`."""
        if card is not None and card.state == "paused":
            if self._paused_since is None or self._card is None or self._card.state != "paused":
                self._paused_since = self.clock()
        else:
            self._paused_since = None
        self._card = card
        self._wake.set()

    def _wanted(self) -> dict | None:
        card = self._card
        if card is None or card.state == "stopped":
            return None
        if self._paused_since is not None and (
            self.clock() - self._paused_since >= self.pause_timeout
        ):
            return None
        return presence_kwargs(card, self.wall())

    async def sync(self) -> None:
        """One step: connect if Discord is there, send the wanted state if it changed and the
        interval allows. Never raises for anything Discord or pypresence does."""
        if not self.client_id:
            return
        if self._client is None:
            if self.clock() < self._retry_at:
                return
            await self._connect()
            if self._client is None:
                return
        wanted = self._wanted()
        if _same(wanted, self.sent) or self.clock() < self._sent_at + self.interval:
            return
        await self._send(wanted)

    async def _connect(self) -> None:
        path = await asyncio.to_thread(self.find)  # hundreds of stats and probe connects
        if path is None:
            return self._failed(STATUS_ABSENT)
        client = _Client(self.client_id, path, response_timeout=self.timeout)
        try:
            await asyncio.wait_for(client.handshake(), self.timeout)
        except InvalidID:
            client.disconnect()
            return self._failed(STATUS_INVALID_ID, slow=True)
        except DiscordError as error:
            client.disconnect()
            return self._failed(f"Discord refused the connection: {error.message}", slow=True)
        except (PyPresenceException, OSError, ValueError, TimeoutError):
            client.disconnect()
            return self._failed(STATUS_ABSENT)
        self._client = client
        self._backoff = 1.0
        self.sent = None  # a fresh connection shows nothing until we send
        self.status = "connected"

    def _failed(self, status: str, slow: bool = False) -> None:
        self.status = status
        self._backoff = 60.0 if slow else min(30.0, self._backoff * 2)
        self._retry_at = self.clock() + self._backoff

    async def _send(self, wanted: dict | None) -> None:
        assert self._client is not None
        self._sent_at = self.clock()
        try:
            if wanted is None:
                await self._client.clear()
            else:
                await self._client.update(**wanted)
        except ServerError as error:
            self.sent = wanted  # do not resend what Discord refuses; the next change may pass
            self.status = f"Discord rejected the activity: {error}"
            return
        except (PyPresenceException, OSError, ValueError, TimeoutError):
            self._drop("Discord closed the connection; reconnecting")
            return
        self.sent = wanted
        self.status = "connected"

    def _drop(self, status: str) -> None:
        if self._client is not None:
            self._client.disconnect()
        self._client = None
        self.sent = None
        self.status = status
        self._retry_at = float("-inf")

    async def run(self, tick: float = 1.0) -> None:
        """Forever: sync whenever a card arrives or a second passes."""
        while True:
            await self.sync()
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), tick)
            except TimeoutError:
                pass

    async def stop(self) -> None:
        """Clear at once (the last word needs no rate limit) and disconnect."""
        if self._client is not None:
            try:
                await asyncio.wait_for(self._client.clear(), self.timeout)
            except (PyPresenceException, OSError, ValueError, TimeoutError):
                pass
            self._client.disconnect()
            self._client = None
        self._card = None
        self.sent = None
        self.status = "stopped" if self.client_id else STATUS_DISABLED
