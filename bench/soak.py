"""`make soak`: an emulated evening (not in CI).

Several players start and stop sessions, 1 000 remote commands arrive through the channel
relay, and the library changes, for `SOAK_SECONDS` (default 600) with the session watcher
feeding the bus. Checks: no error logged, every command answered exactly once, RSS flat
(the last quarter within 20 MB of the first).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import isolate
from bench.rig import CHANNEL, USERS, rig
from plextui.emulators.plex import PlexEmulator
from plextui.plex.events import EventBus, SessionEnded, SessionStarted, SessionWatcher

COMMANDS = 1000
VERBS = ["now", "pause", "resume", "volume +5", "volume -5", "seek +30s", "players", "sessions"]


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def evening(seconds: float, home: Path) -> int:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    rng = random.Random(7)
    emu = PlexEmulator(token="soak-token", size=5000, seed=9, players=4).start()
    try:
        async with rig(emu, home, rate_per_minute=100_000) as r:
            bus = EventBus()
            seen = {"started": 0, "ended": 0}
            bus.subscribe(
                lambda e: (
                    seen.__setitem__("started", seen["started"] + 1)
                    if isinstance(e, SessionStarted)
                    else seen.__setitem__("ended", seen["ended"] + 1)
                    if isinstance(e, SessionEnded)
                    else None
                )
            )
            watcher = SessionWatcher(r.controller.service, bus, poll_interval=1.0)
            service = r.controller.service
            movies = next(lib for lib in await service.libraries() if lib.type == "movie")
            names = [p.name for p in emu.players]
            await r.relay.poll_once()
            tasks = [asyncio.create_task(watcher.run()), asyncio.create_task(r.relay.run())]
            sent: list[str] = []
            memory: list[float] = []
            began = time.monotonic()
            gap = seconds / COMMANDS
            while len(sent) < COMMANDS:
                n = len(sent)
                if n % 50 == 0:  # someone starts something on some player
                    item = (await service.browse(movies, rng.randrange(movies.count), 1)).items[0]
                    player = await r.controller.find_player(rng.choice(names))
                    await r.controller.play_item(item, player)
                    memory.append(rss_mb())
                if n % 120 == 60:  # a player is turned off
                    text = "/plex stop"
                elif n % 200 == 100:
                    service.library_updated(movies.key)
                    text = f"/plex use {rng.choice(names)}"
                else:
                    text = f"/plex {rng.choice(VERBS)}"
                user = USERS[n % len(USERS)]  # one user's seeks/volumes would be merged
                sent.append(r.discord.post_user_message(CHANNEL, text, user)["id"])
                await asyncio.sleep(max(0.0, began + gap * (n + 1) - time.monotonic()))
            answered = await wait_answered(r, set(sent))
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            watcher.stop()
    finally:
        emu.stop()
    quarter = max(1, len(memory) // 4)
    first, last = max(memory[:quarter]), max(memory[-quarter:])
    flat = last - first < 20
    print(
        f"soak: {time.monotonic() - began:.0f} s, {len(sent)} remote commands, {answered} answered"
    )
    print(f"sessions started {seen['started']}, ended {seen['ended']}")
    print(
        f"RSS first quarter {first:.0f} MB, last quarter {last:.0f} MB ({'flat' if flat else 'GROWING'})"
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"errors logged: {len(errors.records)}")
    for line in errors.records[:10]:
        print("  " + line)
    ok = answered == len(sent) and flat and not errors.records
    print("soak: OK" if ok else "soak: FAILED")
    return 0 if ok else 1


async def wait_answered(r, sent: set[str], timeout: float = 60.0) -> int:
    """Replies referencing our messages; each must be answered exactly once."""
    deadline = time.monotonic() + timeout
    while True:
        refs = [
            (m.get("message_reference") or {}).get("message_id")
            for m in r.discord.channel_messages(CHANNEL)
        ]
        answered = [ref for ref in refs if ref in sent]
        if len(set(answered)) == len(sent) or time.monotonic() > deadline:
            assert len(answered) == len(set(answered)), "a command was answered twice"
            return len(set(answered))
        await asyncio.sleep(0.5)


def main() -> int:
    seconds = float(os.environ.get("SOAK_SECONDS", "600"))
    with tempfile.TemporaryDirectory(prefix="plextui-soak-") as tmp:
        isolate(Path(tmp))
        return asyncio.run(evening(seconds, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
