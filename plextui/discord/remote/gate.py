"""The gate every remote command passes, from either intake: authorise → rate → audit →
queue → run → reply.

The interactions endpoint and the channel poller differ only in how a command arrives and
how its answer leaves (an HTTP response or a deferred edit; a journalled channel reply).
What happens in between is decided here, once:

1. `admit`: a caller on no allowlist is refused before anything else (whatever they sent);
   a command the grammar cannot read is refused with the parse error; then the action
   class and the caller's rate decide. A refusal comes with its audit record.
2. `record`: one audit line for every command, refused, unreadable or run.
3. `submit`: the command queue (merge windows for seeks and volume), which runs it on the
   Controller; None when the queue is full.
4. `answer`: the run's audit record and its reply body (replies.py).

The channel poller journals the records and replies between these steps, so that a crash
neither loses nor doubles any of them; the endpoint writes them at once. `Gate.build` is
the one place the defaults (allowlists, audit file, queue) are made.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plextui.config import Settings
from plextui.core.commands import Command
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.authorizer import Authorizer, Caller
from plextui.discord.remote.queue import Busy, CommandQueue, Outcome
from plextui.discord.remote.replies import BUSY, refusal_body, reply_body, unreadable
from plextui.errors import CommandError

if TYPE_CHECKING:
    from plextui.control.controller import Controller


@dataclass(frozen=True)
class Admission:
    """What the gate made of one command: the `command` to run, or the `refusal` to answer
    (`quiet` when the caller was told so within the minute) and its audit `record`."""

    command: Command | None
    refusal: str | None = None
    quiet: bool = False
    record: dict[str, Any] | None = None


class Gate:
    """One allowlist, audit log and queue, shared by both intakes."""

    def __init__(
        self,
        authorizer: Authorizer,
        audit: AuditLog,
        queue: CommandQueue,
        *,
        owns_queue: bool = False,
    ) -> None:
        self.authorizer = authorizer
        self.audit = audit
        self.queue = queue
        self._owns_queue = owns_queue

    @classmethod
    def build(
        cls,
        settings: Settings,
        controller: Controller,
        *,
        queue: CommandQueue | None = None,
        authorizer: Authorizer | None = None,
        audit: AuditLog | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> Gate:
        """The gate for `settings`; parts given are shared (a queue given is started and
        stopped by whoever made it)."""
        remote = settings.discord.remote
        return cls(
            authorizer or Authorizer(remote, clock=clock),
            audit or AuditLog(secrets=(remote.bot_token, settings.plex.token)),
            queue or CommandQueue(controller),
            owns_queue=queue is None,
        )

    async def start(self) -> None:
        if self._owns_queue:
            await self.queue.start()

    async def stop(self) -> None:
        if self._owns_queue:
            await self.queue.stop()

    # --- authorise, rate -----------------------------------------------------------------

    def admit(self, caller: Caller, read: Command | CommandError, hint: str = "") -> Admission:
        """Whether `read` (the command, or why it could not be read) may run now; it then
        counts toward the caller's rate. `hint` follows a parse error's answer."""
        if isinstance(read, CommandError) and self.authorizer.level(caller) is not None:
            return _refused(unreadable(read, hint))
        refusal = self.authorizer.check(
            caller, read if isinstance(read, Command) else Command("now")
        )
        if refusal is not None:  # always, for a caller on no allowlist
            return _refused(refusal.message, refusal.quiet)
        return Admission(read)

    # --- audit ---------------------------------------------------------------------------

    def record(self, source: str, caller: Caller, *, text: str, **record: Any) -> None:
        """One audit line; a line that cannot be written is logged, the command stands."""
        self.audit.record(source=source, caller=caller, text=text, **record)

    # --- queue, run ----------------------------------------------------------------------

    def submit(self, caller: Caller, command: Command) -> asyncio.Future[Outcome] | None:
        """The command's outcome to come; None when the queue is full (nothing will run)."""
        try:
            return self.queue.submit(caller.id, command)
        except Busy:
            return None

    @staticmethod
    async def outcome(future: asyncio.Future[Outcome] | None) -> Outcome | None:
        """The outcome, or None when the queue dropped it (a merge window closed on a full
        queue, or the queue stopped)."""
        if future is None:
            return None
        try:
            return await future
        except Busy:
            return None
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # it is we who are being cancelled
            return None

    # --- reply ---------------------------------------------------------------------------

    @staticmethod
    def answer(
        outcome: Outcome | None, command: Command | None, *, buttons: bool
    ) -> tuple[dict[str, Any], dict]:
        """The audit record of a command that went to the queue, and its reply body."""
        if outcome is None:
            return {"allowed": True, "ok": False, "message": BUSY}, refusal_body(BUSY)
        result = outcome.result
        record = {"allowed": True, "ok": result.ok, "message": result.message}
        return record, reply_body(result, command, with_buttons=buttons)


def _refused(message: str, quiet: bool = False) -> Admission:
    return Admission(None, message, quiet, {"allowed": False, "message": message})
