"""Keeps the relay's parts alive: one that dies with an exception is started again.

`plextui relay` runs unattended for weeks, so a bug or an answer nobody foresaw in one part
(the channel poller, the mirror, the interactions endpoint) must not take the others down
or end the process. The part is restarted after an exponential, capped delay, and the
restart is said in one line. Only usage and configuration errors (exit code 2: a port that
is taken, a token that is refused) still stop the relay, since no restart can fix them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from plextui.core.ratelimit import Backoff
from plextui.errors import EXIT_USAGE, PlextuiError

log = logging.getLogger(__name__)

RESTART_CAP = 60.0  # seconds: the longest wait before a restart
HEALTHY_AFTER = 120.0  # seconds a part must run before its next failure waits `base` again


def fatal(error: BaseException) -> bool:
    """A usage or configuration error: restarting would only fail the same way."""
    return isinstance(error, PlextuiError) and error.exit_code == EXIT_USAGE


async def supervise(
    name: str,
    start: Callable[[], Awaitable[None]],
    *,
    say: Callable[[str], None] = log.warning,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    backoff: Backoff | None = None,
) -> None:
    """Run `start()` until it returns or is cancelled, starting it again whenever it fails."""
    backoff = backoff or Backoff(base=1.0, cap=RESTART_CAP)
    while True:
        began = clock()
        try:
            await start()
            return
        except Exception as error:
            if fatal(error):
                raise
            if clock() - began > HEALTHY_AFTER:
                backoff.reset()
            wait = backoff.next()
            reason = str(error) if isinstance(error, PlextuiError) else type(error).__name__
            say(f"{name} stopped ({reason}); restarting it in {wait:.1f} s")
            log.debug("%s failed", name, exc_info=True)
        await sleep(wait)
