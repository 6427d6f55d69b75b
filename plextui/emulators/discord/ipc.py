"""Discord desktop client's local RPC socket (reference §1): handshake, SET_ACTIVITY, CLEAR,
PING, CLOSE and the error replies pypresence turns into its exceptions. Everything received is
recorded so tests and the demo can show what Discord would display."""

from __future__ import annotations

import asyncio
import itertools
import json
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..loopthread import LoopThread
from .activity import ActivityLimits, activity_error
from .throttle import published

HANDSHAKE, FRAME, CLOSE, PING, PONG = range(5)
SUN_PATH_MAX = 107
DEFAULT_USER = {
    "id": "53908232506183680",
    "username": "plexfan",
    "discriminator": "0",
    "global_name": "Plex Fan",
    "avatar": None,
    "bot": False,
    "flags": 0,
    "premium_type": 0,
}


@dataclass
class _Connection:
    writer: asyncio.StreamWriter
    client_id: str | None = None
    activity: dict | None = None
    updated: int = 0


@dataclass
class _Fault:
    code: int
    message: str
    count: int = field(default=1)


class DiscordIPCEmulator:
    """Listens on `runtime_dir/discord-ipc-{pipe}` like a running Discord client.

    `client_ids=None` accepts any numeric application id. `validate=False` accepts any activity.
    `publish_limit=(n, seconds)` models how often Discord forwards presence to other users
    (1 per 15 s by default; `(5, 20.0)` is the Game SDK figure). `clock` is injectable so tests
    can check that limit without sleeping. Runtime faults: `mute`, `reply_delay`, `fail_next`,
    `close_pipe`, and `stop(stale=True)`.
    """

    def __init__(
        self,
        runtime_dir: Path,
        client_ids: set[str] | None = None,
        pipe: int = 0,
        *,
        validate: bool = True,
        limits: ActivityLimits = ActivityLimits(),
        publish_limit: tuple[int, float] = (1, 15.0),
        clock: Callable[[], float] = time.monotonic,
        app_name: str = "plextui",
        user: dict | None = None,
    ) -> None:
        self.runtime_dir = Path(runtime_dir)
        self.socket_path = self.runtime_dir / f"discord-ipc-{pipe}"
        if len(str(self.socket_path).encode()) > SUN_PATH_MAX:
            raise ValueError(f"socket path longer than {SUN_PATH_MAX} bytes: {self.socket_path}")
        self.client_ids = client_ids
        self.validate = validate
        self.limits = limits
        self.publish_limit = publish_limit
        self.clock = clock
        self.app_name = app_name
        self.user = user or dict(DEFAULT_USER)
        self.mute = False
        self.reply_delay = 0.0
        self.frames: list[tuple[int, dict]] = []
        self.activities: list[tuple[float, dict | None]] = []
        self.connections_seen = 0
        self._changes: list[tuple[float, dict | None]] = []
        self._faults: list[_Fault] = []
        self._live: dict[int, _Connection] = {}
        self._ids = itertools.count(1)
        self._server: asyncio.AbstractServer | None = None
        self._lock = threading.Lock()
        self._thread = LoopThread(f"discord-ipc-{pipe}")

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()
        self._thread.run(self.start_async())

    def stop(self, stale: bool = False) -> None:
        """Discord quits. `stale=True` leaves the socket file behind, like a crash."""
        if self._server is not None:
            self._thread.run(self.stop_async(stale))
        self._thread.stop()

    async def start_async(self) -> None:
        self.runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.socket_path.unlink(missing_ok=True)
        self._server = await asyncio.start_unix_server(self._serve, path=str(self.socket_path))

    async def stop_async(self, stale: bool = False) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        await self._close_connections()
        if server is not None:
            await server.wait_closed()
        if not stale:
            self.socket_path.unlink(missing_ok=True)

    def close_pipe(self) -> None:
        """Discord drops every connection but keeps listening (a restart or a crash of RPC)."""
        self._thread.run(self._close_connections())

    def fail_next(self, message: str, code: int = 4000, count: int = 1) -> None:
        """The next `count` SET_ACTIVITY frames get an ERROR reply with this message."""
        with self._lock:
            self._faults.append(_Fault(code, message, count))

    # -- what Discord shows ----------------------------------------------------------------

    @property
    def current(self) -> dict | None:
        """The activity shown now: the most recently updated live connection's."""
        with self._lock:
            return self._shown()

    @property
    def published(self) -> list[tuple[float, dict | None]]:
        """Presence as other users receive it, rate limited with the latest state winning."""
        limit, per = self.publish_limit
        with self._lock:
            changes = list(self._changes)
        return published(changes, limit, per, self.clock())

    @property
    def connected(self) -> int:
        """Live handshaken connections."""
        with self._lock:
            return sum(1 for conn in self._live.values() if conn.client_id is not None)

    def _shown(self) -> dict | None:
        live = [conn for conn in self._live.values() if conn.activity is not None]
        return max(live, key=lambda conn: conn.updated).activity if live else None

    def _set_activity(self, conn: _Connection, activity: dict | None, *, explicit: bool) -> None:
        with self._lock:
            before = self._shown()
            conn.activity = activity
            conn.updated = next(self._ids)
            now = self.clock()
            if explicit:
                self.activities.append((now, activity))
            shown = self._shown()
            if shown != before or explicit:
                self._changes.append((now, shown))

    # -- protocol --------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        key = next(self._ids)
        conn = _Connection(writer)
        with self._lock:
            self._live[key] = conn
            self.connections_seen += 1
        try:
            while await self._handle_frame(reader, conn):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # EOF: pypresence's probe connection, or a client that went away
        finally:
            if conn.activity is not None:
                self._set_activity(conn, None, explicit=False)
            with self._lock:
                self._live.pop(key, None)
            writer.close()

    async def _handle_frame(self, reader: asyncio.StreamReader, conn: _Connection) -> bool:
        """Read and answer one frame; False when the connection must end."""
        op, length = struct.unpack("<II", await reader.readexactly(8))
        raw = await reader.readexactly(length)
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.frames.append((op, {"_raw": raw.decode("utf-8", "replace")}))
            return await self._close(conn, 4005, "Invalid Encoding")
        self.frames.append((op, payload))
        if conn.client_id is None:
            return await self._handshake(conn, op, payload)
        if op == FRAME:
            await self._reply(conn, FRAME, self._command(conn, payload))
            return True
        if op == PING:
            await self._reply(conn, PONG, payload)
            return True
        if op == PONG:
            return True
        if op == CLOSE:
            return False
        return await self._close(conn, 4000, "Invalid Opcode")

    async def _handshake(self, conn: _Connection, op: int, payload: Any) -> bool:
        if op != HANDSHAKE or not isinstance(payload, dict):
            return await self._close(conn, 4000, "Invalid Payload")
        if payload.get("v") != 1:
            return await self._close(conn, 4004, "Invalid Version")
        client_id = payload.get("client_id")
        if not client_id:
            return await self._close(conn, 4000, "No Client ID Specified")
        if not self._known(client_id):
            return await self._close(conn, 4000, "Invalid Client ID")
        conn.client_id = str(client_id)
        ready = {
            "cmd": "DISPATCH",
            "data": {
                "v": 1,
                "config": {
                    "cdn_host": "cdn.discordapp.com",
                    "api_endpoint": "//discord.com/api",
                    "environment": "production",
                },
                "user": self.user,
            },
            "evt": "READY",
            "nonce": None,
        }
        await self._reply(conn, FRAME, ready)
        return True

    def _known(self, client_id: object) -> bool:
        if not isinstance(client_id, str) or not client_id.isdigit():
            return False
        return self.client_ids is None or client_id in self.client_ids

    def _command(self, conn: _Connection, payload: Any) -> dict:
        if not isinstance(payload, dict):
            return _error(None, None, 4000, '"value" must be an object')
        cmd, nonce = payload.get("cmd"), payload.get("nonce")
        if cmd != "SET_ACTIVITY":
            return _error(cmd, nonce, 4002, f"Invalid command: {cmd}")
        args = payload.get("args")
        if not isinstance(args, dict):
            return _error(cmd, nonce, 4000, 'child "args" fails because ["args" is required]')
        activity = args.get("activity")
        fault = self._take_fault()
        if fault is not None:
            return _error(cmd, nonce, fault.code, fault.message)
        if not activity:
            self._set_activity(conn, None, explicit=True)
            return {"cmd": cmd, "data": None, "evt": None, "nonce": nonce}
        problem = activity_error(activity, self.limits) if self.validate else None
        if problem is not None:
            return _error(cmd, nonce, 4000, problem)
        self._set_activity(conn, activity, explicit=True)
        echo = {"name": self.app_name, **activity, "application_id": conn.client_id}
        return {"cmd": cmd, "data": echo, "evt": None, "nonce": nonce}

    def _take_fault(self) -> _Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.count -= 1
            if fault.count <= 0:
                self._faults.pop(0)
            return fault

    async def _reply(self, conn: _Connection, op: int, payload: dict) -> None:
        """One write per frame: pypresence reads header and body with single `read()`s."""
        if self.mute:
            return
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        body = json.dumps(payload, separators=(",", ":")).encode()
        conn.writer.write(struct.pack("<II", op, len(body)) + body)
        await conn.writer.drain()

    async def _close(self, conn: _Connection, code: int, message: str) -> bool:
        await self._reply(conn, CLOSE, {"code": code, "message": message})
        return False

    async def _close_connections(self) -> None:
        with self._lock:
            writers = [conn.writer for conn in self._live.values()]
        for writer in writers:
            writer.close()
        for writer in writers:
            try:
                await writer.wait_closed()
            except ConnectionError:
                pass


def _error(cmd: object, nonce: object, code: int, message: str) -> dict:
    return {"cmd": cmd, "data": {"code": code, "message": message}, "evt": "ERROR", "nonce": nonce}
