"""The command queue: remote commands run one at a time on a worker task, so no intake waits.

Seeks and volume changes from one user that arrive within a merge window (`window`
seconds from the first) run as one command: three `seek +10s` in a second become one
`seek +30s`. Each submitter still gets an Outcome; all but the last are marked
`superseded`, so the channel answers only the last message. Any other command from that
user closes their open windows first, so their commands keep their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING

from plextui.control.answers import Result
from plextui.core.commands import Command

if TYPE_CHECKING:
    from plextui.control.controller import Controller

log = logging.getLogger(__name__)

MERGED_VERBS = ("seek", "volume")  # the verbs a merge window takes


def merge(older: Command, newer: Command) -> Command:
    """One command equal to running `older` then `newer` (relative steps add up)."""
    if older.seek is not None and newer.seek is not None:
        return dataclasses.replace(newer, seek=older.seek.then(newer.seek))
    if older.volume is not None and newer.volume is not None:
        return dataclasses.replace(newer, volume=older.volume.then(newer.volume))
    return newer


def merge_all(commands: list[Command]) -> Command:
    return reduce(merge, commands)


@dataclass(frozen=True)
class Outcome:
    """A command's result; `superseded` when it was merged into a later seek/volume."""

    result: Result
    superseded: bool = False


@dataclass
class _Job:
    command: Command
    futures: list[asyncio.Future[Outcome]]


@dataclass
class _MergeWindow:
    """One user's seeks (or volume changes) still open for merging, and who waits on them."""

    job: _Job
    timer: asyncio.TimerHandle

    def add(self, command: Command, future: asyncio.Future[Outcome]) -> None:
        self.job.command = merge(self.job.command, command)
        self.job.futures.append(future)


class Busy(Exception):
    """The queue is full: the remote is being flooded."""


class CommandQueue:
    """Runs remote commands one at a time, with a merge window per user for seeks and volume."""

    def __init__(self, controller: Controller, *, window: float = 0.5, maxsize: int = 64):
        self.controller = controller
        self.window = window
        self._queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize)
        self._open: dict[tuple[str, str], _MergeWindow] = {}
        self._worker: asyncio.Task | None = None
        self._current: _Job | None = None

    async def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="plextui-remote-queue")

    async def stop(self) -> None:
        for slot in list(self._open):
            self._close(slot)
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
        if command.verb in MERGED_VERBS:
            slot = (key, command.verb)
            window = self._open.get(slot)
            if window is None:
                if self._queue.full():
                    raise Busy()
                timer = loop.call_later(self.window, self._close, slot)
                self._open[slot] = _MergeWindow(_Job(command, [future]), timer)
            else:
                window.add(command, future)
            return future
        for slot in [s for s in self._open if s[0] == key]:
            self._close(slot)
        if self._queue.full():
            raise Busy()
        self._queue.put_nowait(_Job(command, [future]))
        return future

    def _close(self, slot: tuple[str, str]) -> None:
        """The window's merged command joins the queue."""
        window = self._open.pop(slot)
        window.timer.cancel()
        try:
            self._queue.put_nowait(window.job)
        except asyncio.QueueFull:
            for future in window.job.futures:
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
