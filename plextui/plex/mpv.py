"""An asyncio client for a real mpv process, driven over its JSON IPC socket.

mpv is the local player: it is spawned with an argument list (never a shell), talks
newline-delimited JSON on a private Unix socket, and pushes property changes, so the
client's `state` is always current without polling. A dead mpv is noticed at once
(the socket closes) and reported to every waiter and subscriber, so the caller can
start a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import itertools
import json
import logging
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from plextui.config import debuglog
from plextui.errors import StreamError

log = logging.getLogger(__name__)

INSTALL_HINT = "install mpv to play locally (Debian/Ubuntu: apt install mpv)"
START_TIMEOUT = 5.0
COMMAND_TIMEOUT = 5.0
QUIT_TIMEOUT = 2.0
LINE_MAX = 4096  # bytes of an unfinished mpv output line kept for the debug log

# Observed at start: mpv property -> MpvState field ("" = kept in `properties` only).
OBSERVED = {
    "time-pos": "position_s",
    "duration": "duration_s",
    "pause": "paused",
    "volume": "volume",
    "idle-active": "idle",
    "paused-for-cache": "buffering",
    "path": "path",
    "eof-reached": "",
}

Subscriber = Callable[[str, "MpvState"], Any]


@dataclasses.dataclass(frozen=True)
class MpvState:
    """A snapshot of the player; replaced (never mutated) so subscribers may keep it."""

    position_s: float | None = None
    duration_s: float | None = None
    paused: bool = False
    volume: float = 100.0
    idle: bool = True
    buffering: bool = False
    path: str | None = None
    ended_reason: str | None = None  # eof, stop, error, quit, redirect; None while playing
    error: str | None = None  # mpv's file_error when ended_reason is "error"


@dataclasses.dataclass
class _Load:
    """A loadfile waiting for its file-loaded or end-file; `entry` comes from the reply."""

    request_id: int
    future: asyncio.Future[None]
    entry: int | None = None


def _options_string(options: dict[str, Any]) -> str:
    """mpv's per-file option list; `%len%` quoting keeps commas and '=' in values safe."""
    parts = []
    for key, value in options.items():
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        parts.append(f"{key}=%{len(text.encode())}%{text}")
    return ",".join(parts)


async def _keep_messages(stream: asyncio.StreamReader | None) -> None:
    """Drain mpv's output into the debug log, a line each (redacted there), in chunks so
    the pipe never stalls mpv. A line unfinished past `LINE_MAX` is left out whole: a piece
    of it could start inside a token, past the `X-Plex-Token=` redaction looks for."""
    pending, dropping = b"", False
    while stream is not None and (chunk := await stream.read(1 << 16)):
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            if dropping:  # the end of the line left out
                debuglog.write("mpv", f"(a line over {LINE_MAX} bytes left out)")
                dropping = False
            else:
                debuglog.write("mpv", line.decode(errors="replace"))
        if len(pending) > LINE_MAX:
            pending, dropping = b"", True
    if dropping:
        debuglog.write("mpv", f"(a line over {LINE_MAX} bytes left out)")
    elif pending:
        debuglog.write("mpv", pending.decode(errors="replace"))


class MpvClient:
    """One running mpv; create with `await MpvClient.start(...)`, end with `close()`."""

    def __init__(self, process: asyncio.subprocess.Process, socket_dir: Path) -> None:
        self.process = process
        self.socket_dir = socket_dir
        self.state = MpvState()
        self.properties: dict[str, Any] = {}
        self.alive = True
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._observed: dict[int, str] = {}
        self._subscribers: list[Subscriber] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._load: _Load | None = None
        self._current_entry: int | None = None
        self._closing = False
        self._read_task: asyncio.Task[None] | None = None
        self._messages: asyncio.Task[None] | None = None  # mpv's output, into the debug log

    @classmethod
    async def start(
        cls,
        *,
        headless: bool,
        socket_dir: Path | None = None,
        mpv_path: str | None = None,
        extra_args: Sequence[str] = (),
    ) -> MpvClient:
        """Spawn mpv idle on a private socket, connect, and observe the state properties."""
        executable = mpv_path or shutil.which("mpv")
        if executable is None:
            raise StreamError(INSTALL_HINT)
        private = Path(tempfile.mkdtemp(prefix="plextui-mpv-", dir=socket_dir))  # mode 0700
        sock = private / "mpv.sock"
        # its warnings and errors (on stdout) go to the debug log; the terminal stays ours
        args = ["--idle=yes", "--no-input-terminal", "--msg-level=all=warn", "--msg-color=no"]
        args += [f"--input-ipc-server={sock}", "--force-window=no"]
        args.append("--keep-open=no")
        if headless:
            args += ["--vo=null", "--ao=null"]
        try:
            process = await asyncio.create_subprocess_exec(
                executable,
                *args,
                *extra_args,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
        except (FileNotFoundError, PermissionError, NotADirectoryError) as error:
            shutil.rmtree(private, ignore_errors=True)
            raise StreamError(INSTALL_HINT) from error
        client = cls(process, private)
        client._messages = asyncio.create_task(_keep_messages(process.stdout), name="mpv-log")
        try:
            await client._connect(sock)
            for name in OBSERVED:
                await client.observe(name)
        except BaseException:
            await client.close()
            raise
        return client

    async def _connect(self, sock: Path) -> None:
        """Retry until mpv's socket accepts; mpv creates it a moment after starting."""
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while True:
            if self.process.returncode is not None:
                raise StreamError(f"mpv exited at start (exit code {self.process.returncode})")
            try:
                self._reader, self._writer = await asyncio.open_unix_connection(
                    str(sock), limit=1 << 22
                )
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if asyncio.get_running_loop().time() > deadline:
                    raise StreamError("mpv did not open its control socket") from None
                await asyncio.sleep(0.02)
        self._read_task = asyncio.create_task(self._read_loop(), name="mpv-reader")

    async def command(self, *args: Any, timeout: float = COMMAND_TIMEOUT) -> Any:
        """Run an mpv command and return its `data`; mpv's error string becomes StreamError."""
        request_id = next(self._ids)
        try:
            return await asyncio.wait_for(self._send(list(args), request_id), timeout)
        except TimeoutError:
            raise StreamError(f"mpv did not answer {args[0]!r}") from None
        finally:
            self._pending.pop(request_id, None)

    def _send(self, command: list[Any] | dict[str, Any], request_id: int) -> asyncio.Future[Any]:
        if not self.alive or self._writer is None:
            raise StreamError(self._death_message())
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        line = json.dumps({"command": command, "request_id": request_id}) + "\n"
        self._writer.write(line.encode())
        return future

    async def get(self, prop: str) -> Any:
        return await self.command("get_property", prop)

    async def observe(self, prop: str) -> None:
        """Have mpv push every change of `prop` (into `state` or `properties`)."""
        observe_id = len(self._observed) + 1
        self._observed[observe_id] = prop
        await self.command("observe_property", observe_id, prop)

    async def loadfile(
        self,
        url: str,
        start_seconds: float = 0,
        options: dict[str, Any] | None = None,
        *,
        timeout: float = 30.0,
    ) -> None:
        """Replace the current file and wait until it plays; a failed open is a StreamError.

        Named arguments keep this independent of the `index` parameter mpv 0.38 added
        before `options`. The URL may carry a Plex token, so it never enters a message.
        """
        opts = dict(options or {})
        if start_seconds:
            opts["start"] = f"{start_seconds:.3f}"
        command: dict[str, Any] = {"name": "loadfile", "url": url, "flags": "replace"}
        if opts:
            command["options"] = _options_string(opts)
        if self._load is not None and not self._load.future.done():
            self._load.future.set_exception(StreamError("replaced by another file"))
        request_id = next(self._ids)
        loop = asyncio.get_running_loop()
        load = self._load = _Load(request_id, loop.create_future())
        self.state = dataclasses.replace(self.state, ended_reason=None, error=None)
        try:
            await asyncio.wait_for(self._send(command, request_id), COMMAND_TIMEOUT)
            await asyncio.wait_for(load.future, timeout)
        except TimeoutError:
            raise StreamError("mpv did not start playing in time") from None
        finally:
            self._pending.pop(request_id, None)
            if load.future.done() and not load.future.cancelled():
                load.future.exception()  # retrieved, so a failure nobody awaited is not logged
            if self._load is load:
                self._load = None

    async def set_pause(self, paused: bool) -> None:
        await self.command("set_property", "pause", paused)

    async def seek(self, seconds: float, absolute: bool = True) -> None:
        await self.command("seek", seconds, "absolute" if absolute else "relative")

    async def set_volume(self, volume: float) -> None:
        await self.command("set_property", "volume", max(0.0, min(100.0, float(volume))))

    async def stop(self) -> None:
        await self.command("stop")

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(event, state)` for every mpv event and for "crashed".

        Async callbacks run as tasks so a slow subscriber never stalls the reader.
        Returns a function that unsubscribes.
        """
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def _notify(self, event: str) -> None:
        for callback in list(self._subscribers):
            try:
                result = callback(event, self.state)
                if inspect.isawaitable(result):
                    task = asyncio.ensure_future(result)
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            except Exception:
                log.exception("mpv subscriber failed on %s", event)

    async def _read_loop(self) -> None:
        assert self._reader is not None
        try:
            while line := await self._reader.readline():
                try:
                    message = json.loads(line)
                except ValueError:
                    log.warning("mpv sent a line that is not JSON: %r", line[:200])
                    continue
                if "request_id" in message:
                    self._on_reply(message)
                elif "event" in message:
                    self._on_event(message)
        except (ConnectionError, ValueError):  # ValueError: a line over the reader's limit
            pass
        if not self._closing:
            await self._on_death()

    def _on_reply(self, message: dict[str, Any]) -> None:
        data = message.get("data")
        load = self._load
        if load is not None and message["request_id"] == load.request_id:
            load.entry = data.get("playlist_entry_id") if isinstance(data, dict) else None
        future = self._pending.pop(message["request_id"], None)
        if future is None or future.done():
            return
        if message.get("error") == "success":
            future.set_result(data)
        else:
            future.set_exception(StreamError(f"mpv: {message.get('error', 'unknown error')}"))

    def _on_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        load = self._load
        entry = message.get("playlist_entry_id")
        if event == "property-change":
            name = self._observed.get(message.get("id", -1), message.get("name", ""))
            value = message.get("data")
            self.properties[name] = value
            if field := OBSERVED.get(name):
                if field in ("paused", "idle", "buffering"):
                    value = bool(value)
                self.state = dataclasses.replace(self.state, **{field: value})
        elif event == "start-file":
            self._current_entry = entry
        elif event == "file-loaded":
            if load and load.entry == self._current_entry and not load.future.done():
                load.future.set_result(None)
        elif event == "end-file":
            reason, error = message.get("reason"), message.get("file_error")
            self.state = dataclasses.replace(self.state, ended_reason=reason, error=error)
            if load and load.entry is not None and load.entry == entry and not load.future.done():
                why = f"mpv could not open the stream ({error or reason})"
                load.future.set_exception(StreamError(why))
        self._notify(event)

    def _death_message(self) -> str:
        if self._closing:
            return "mpv was closed"
        return f"mpv stopped unexpectedly (exit code {self.process.returncode})"

    async def _on_death(self) -> None:
        """The socket closed without close(): reap mpv, fail every waiter, tell subscribers."""
        self.alive = False
        try:
            await asyncio.wait_for(self.process.wait(), QUIT_TIMEOUT)
        except TimeoutError:
            self.process.kill()  # the socket is gone, so this mpv can no longer be driven
            await self.process.wait()
        self._fail_waiters()
        self.state = dataclasses.replace(self.state, ended_reason="crashed", idle=True)
        self._notify("crashed")
        if self._writer is not None:
            self._writer.close()
        shutil.rmtree(self.socket_dir, ignore_errors=True)

    def _fail_waiters(self) -> None:
        futures = list(self._pending.values()) + ([self._load.future] if self._load else [])
        for future in futures:
            if not future.done():
                future.set_exception(StreamError(self._death_message()))
        self._pending.clear()

    async def close(self) -> None:
        """Quit mpv politely, then terminate/kill it; always reaps it and removes the socket."""
        was_alive, self.alive = self.alive, False
        self._closing = True
        if was_alive and self._writer is not None and not self._writer.is_closing():
            with contextlib.suppress(ConnectionError):
                self._writer.write(b'{"command": ["quit"]}\n')
        for escalate in (None, self.process.terminate, self.process.kill):
            if escalate is not None and self.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    escalate()
            try:
                await asyncio.wait_for(self.process.wait(), QUIT_TIMEOUT)
                break
            except TimeoutError:
                continue
        if self._messages is not None:  # its last lines first, then stop reading
            await asyncio.wait({self._messages}, timeout=QUIT_TIMEOUT / 4)
            self._messages.cancel()
        if self._read_task is not None:
            self._read_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._read_task
        if self._writer is not None:
            self._writer.close()
        self._fail_waiters()
        shutil.rmtree(self.socket_dir, ignore_errors=True)

    async def __aenter__(self) -> MpvClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
