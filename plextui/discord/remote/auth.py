"""Who may do what from Discord, how often, and a record of every attempt.

Remote commands come from people the owner does not sit next to, so everything is
refused unless an allowlist says otherwise: user ids and role ids per action class
(admin ⊃ control ⊃ view, classes from core.commands.ACTION_CLASS). Allowed users are
rate limited per user (autocomplete lookups on their own, looser limit); seeks and volume
changes are debounced per user in the queue. The audit log is JSON lines under the user
state dir, takes any text and never holds a token. The replay guard remembers, on disk,
which signed requests were already taken, so a restart does not open a replay window.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from plextui.config import RemoteSettings
from plextui.control.controller import Controller, Result
from plextui.core.commands import Action, Command
from plextui.core.ratelimit import Coalescer, RateLimiter

log = logging.getLogger(__name__)

RANK = {Action.VIEW: 1, Action.CONTROL: 2, Action.ADMIN: 3}
WHAT = {Action.VIEW: "look at", Action.CONTROL: "control", Action.ADMIN: "administer"}
BURST = 5  # commands a user may send at once before the per-minute rate applies
QUIET_FOR = 60.0  # seconds a repeated refusal stays unanswered in the channel
TEXT_MAX = 300  # characters of a command kept in the audit log
LOOKUPS_PER_MINUTE, LOOKUP_BURST = 60, 10  # autocomplete: a search per keystroke at most


@dataclass(frozen=True)
class Caller:
    """A Discord user as an interaction or a channel message names them."""

    id: str
    name: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Why a command was not run; `quiet` when the user was already told recently."""

    message: str
    quiet: bool = False


class Authorizer:
    """Allowlists per action class plus a per-user token bucket."""

    def __init__(
        self, remote: RemoteSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.users = {
            Action.VIEW: set(remote.view_users),
            Action.CONTROL: set(remote.control_users),
            Action.ADMIN: set(remote.admin_users),
        }
        self.roles = {
            Action.VIEW: set(remote.view_roles),
            Action.CONTROL: set(remote.control_roles),
            Action.ADMIN: set(remote.admin_roles),
        }
        per_minute = remote.rate_per_minute
        self.limiter = RateLimiter(per_minute / 60.0, min(per_minute, BURST))
        self.lookups = RateLimiter(LOOKUPS_PER_MINUTE / 60.0, LOOKUP_BURST)
        self.clock = clock
        self._told: dict[tuple[str, str], float] = {}

    @property
    def uses_roles(self) -> bool:
        return any(self.roles.values())

    def level(self, caller: Caller) -> Action | None:
        """The highest class the caller's id or any of their roles is listed under."""
        for action in (Action.ADMIN, Action.CONTROL, Action.VIEW):
            if caller.id in self.users[action] or self.roles[action] & set(caller.roles):
                return action
        return None

    def may(self, caller: Caller, action: Action) -> bool:
        level = self.level(caller)
        return level is not None and RANK[level] >= RANK[action]

    def may_look_up(self, caller: Caller) -> bool:
        """Autocomplete for a viewer, within their own lookup budget: each keystroke would
        otherwise be a library search, so a held-down key cannot flood the server."""
        return self.may(caller, Action.VIEW) and self.lookups.allow(caller.id, self.clock())

    def check(self, caller: Caller, command: Command) -> Refusal | None:
        """None when the command may run now (and it counts toward the rate limit)."""
        if not self.may(caller, command.action):
            return self._refuse(
                caller,
                "allowlist",
                f"Sorry {caller.name or 'there'}, you are not allowed to "
                f"{WHAT[command.action]} playback from Discord, so I did nothing. "
                f"The owner can add your user id or a role to "
                f"discord.remote.{command.action.value}_users / _roles.",
            )
        now = self.clock()
        if not self.limiter.allow(caller.id, now):
            wait = max(1, round(self.limiter.retry_after(caller.id, now)))
            return self._refuse(
                caller,
                "rate",
                f"Slow down a little: at most {round(self.limiter.rate * 60)} commands a "
                f"minute. Try again in {wait} s; I did nothing this time.",
            )
        self._told.pop((caller.id, "rate"), None)
        return None

    def _refuse(self, caller: Caller, reason: str, message: str) -> Refusal:
        now = self.clock()
        key = (caller.id, reason)
        last = self._told.get(key)
        quiet = last is not None and now - last < QUIET_FOR
        if not quiet:
            self._told[key] = now
            if len(self._told) > 10_000:
                self._told.clear()
        return Refusal(message, quiet)


def audit_path() -> Path:
    return Path(platformdirs.user_state_path("plextui")) / "audit.log"


class AuditLog:
    """Appends one JSON line per remote command; `secrets` are masked if they ever slip in."""

    def __init__(self, path: Path | None = None, secrets: Iterable[str] = ()) -> None:
        self.path = path or audit_path()
        self._secrets = [s for s in secrets if s]
        self._lock = threading.Lock()

    def record(
        self,
        *,
        source: str,
        caller: Caller,
        text: str,
        allowed: bool,
        ok: bool | None = None,
        message: str = "",
    ) -> None:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "source": source,
            "user_id": caller.id,
            "user": caller.name,
            "command": self._mask(text[:TEXT_MAX]),
            "allowed": allowed,
            "ok": ok,
            "message": self._mask(message[:TEXT_MAX]),
        }
        # Readable UTF-8, except what UTF-8 cannot hold (a lone surrogate from a crafted
        # message): that becomes a \uXXXX escape, which is the same JSON string again.
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                with os.fdopen(fd, "ab") as handle:
                    handle.write(line)
            except OSError as error:
                log.warning("cannot write the audit log %s: %s", self.path, error)

    def entries(self) -> list[dict]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


# --- the replay guard ----------------------------------------------------------------------


def seen_path() -> Path:
    return Path(platformdirs.user_state_path("plextui")) / "interactions-seen.json"


class ReplayGuard:
    """Signatures of the signed requests already taken, kept while their timestamp is fresh.

    A request older than `window` is refused as stale, so only fresher ones are kept: the
    set stays small. Only a sha256 of each signature is stored (never the body), in a file
    written atomically, mode 0600, before the request's command runs, and read back at
    start-up: a request captured and replayed after a crash or restart is still refused.
    """

    def __init__(self, path: Path | None = None, window: float = 300.0) -> None:
        self.path = path or seen_path()
        self.window = window
        self._seen = self._load()
        self._lock = threading.Lock()

    def first_time(self, signature: bytes, sent: float, now: float) -> bool:
        """True, and remembered, the first time a signature is offered; `save` before acting."""
        digest = hashlib.sha256(signature).hexdigest()
        if digest in self._seen:
            return False
        self._seen = {d: t for d, t in self._seen.items() if now - t <= self.window}
        self._seen[digest] = sent
        return True

    def save(self) -> None:
        """Write the set atomically (temp file + rename); raises OSError when it cannot."""
        with self._lock:
            data = json.dumps({"seen": dict(self._seen)}).encode()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".seen-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:  # mkstemp makes it 0600
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def _load(self) -> dict[str, float]:
        try:
            seen = json.loads(self.path.read_bytes())["seen"]
            return {
                d: float(t)
                for d, t in seen.items()
                if isinstance(d, str) and len(d) == 64 and _finite(t)
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            log.warning("ignoring the unreadable replay guard %s (%s)", self.path, error)
            return {}


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- the command queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A command's result; `superseded` when it was merged into a later seek/volume."""

    result: Result
    superseded: bool = False


@dataclass
class _Job:
    command: Command
    futures: list[asyncio.Future[Outcome]]


class Busy(Exception):
    """The queue is full: the remote is being flooded."""


def _merge(older: Command, newer: Command) -> Command:
    if older.seek is not None and newer.seek is not None:
        return dataclasses.replace(newer, seek=older.seek.then(newer.seek))
    if older.volume is not None and newer.volume is not None:
        return dataclasses.replace(newer, volume=older.volume.then(newer.volume))
    return newer


class CommandQueue:
    """Runs remote commands one at a time on a worker task, so no front end ever waits.

    Seeks and volume changes from one user within `window` seconds are merged into one
    (three seeks in a second become one); the earlier submitters get the merged result
    marked `superseded`. Any other command from that user flushes them first, so order holds.
    """

    COALESCED = ("seek", "volume")

    def __init__(self, controller: Controller, *, window: float = 0.5, maxsize: int = 64):
        self.controller = controller
        self.window = window
        self._queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize)
        self._pending: dict[tuple[str, str], tuple[Coalescer[Command], list, asyncio.Handle]] = {}
        self._worker: asyncio.Task | None = None
        self._current: _Job | None = None

    async def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="plextui-remote-queue")

    async def stop(self) -> None:
        for key in list(self._pending):
            self._flush(key)
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        jobs = [self._current] if self._current else []
        while not self._queue.empty():
            jobs.append(self._queue.get_nowait())
        for job in jobs:
            for future in job.futures:
                future.cancel()

    def submit(self, key: str, command: Command) -> asyncio.Future[Outcome]:
        """Queue `command` for `key` (a user); raises Busy when the queue is full."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        if command.verb in self.COALESCED:
            slot = (key, command.verb)
            if slot not in self._pending:
                if self._queue.full():
                    raise Busy()
                handle = loop.call_later(self.window, self._flush, slot)
                self._pending[slot] = (Coalescer(self.window, _merge), [], handle)
            coalescer, futures, _ = self._pending[slot]
            coalescer.push(command, loop.time())
            futures.append(future)
            return future
        for slot in [s for s in self._pending if s[0] == key]:
            self._flush(slot)
        if self._queue.full():
            raise Busy()
        self._queue.put_nowait(_Job(command, [future]))
        return future

    def _flush(self, slot: tuple[str, str]) -> None:
        coalescer, futures, handle = self._pending.pop(slot)
        handle.cancel()
        command = coalescer.flush()
        if command is None:
            return
        try:
            self._queue.put_nowait(_Job(command, futures))
        except asyncio.QueueFull:
            for future in futures:
                if not future.done():
                    future.set_exception(Busy())

    async def _run(self) -> None:
        while True:
            job = self._current = await self._queue.get()
            try:
                result = await self.controller.execute(job.command)
            except Exception as error:  # a bug must not kill the worker
                log.exception("remote command %s failed", job.command.verb)
                result = Result(False, job.command.verb, f"internal error: {type(error).__name__}")
            last = len(job.futures) - 1
            for index, future in enumerate(job.futures):
                if not future.done():
                    future.set_result(Outcome(result, superseded=index < last))
            self._current = None
