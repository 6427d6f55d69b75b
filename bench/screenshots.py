"""`python -m bench.screenshots`: SVG screenshots of the TUI on the demo library, for the README.

Runs the app headless against a seeded emulator with a frozen clock, so the pictures
only change when the UI does.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from textual.widgets import Input

from plextui.config import Settings
from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
from plextui.emulators.plex import PlexEmulator
from plextui.emulators.plex.clock import ManualClock
from plextui.entry.demo import BOT_TOKEN, CHANNEL_ID, DemoChannel, demo_settings
from plextui.ui.app import make_app

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)


async def until(pilot, predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the demo did not reach the expected state")
        await pilot.pause(0.05)


async def shoot(emu: PlexEmulator, rest: DiscordRestEmulator) -> list[Path]:
    settings = demo_settings(Settings(), emu.url, emu.token, rest)
    app = make_app(settings, companion=DemoChannel(rest))
    saved: list[Path] = []

    def save(name: str) -> None:
        saved.append(Path(app.save_screenshot(f"{name}.svg", str(OUT))))

    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app._main() is not None and app._main().items.total > 0)
        main = app._main()
        await until(pilot, lambda: main._details)
        await pilot.pause(0.3)
        save("library")
        main.open_place("lib:2")
        await until(pilot, lambda: main.source.title == "TV Shows" and main.items.current)
        await pilot.press("enter")
        await until(pilot, lambda: len(main.stack) == 2 and main.items.current)
        await pilot.press("enter")
        await until(pilot, lambda: len(main.stack) == 3 and main.items.current)
        await until(pilot, lambda: main.items.current.rating_key in main._details)
        await pilot.press("enter")  # play → player picker
        await until(pilot, lambda: app.screen.query("#choices"))  # slow under load
        await pilot.pause(0.3)
        save("player-picker")
        await pilot.press("enter")
        await until(pilot, lambda: emu.player("Living Room TV").timeline()["state"] == "playing")
        await pilot.press("space")
        await until(pilot, lambda: app.playback is not None and app.playback.state == "paused")
        app.clear_notifications()
        await pilot.pause(0.3)
        save("episodes")
        await pilot.press("i")
        await pilot.pause(0.3)
        save("now-playing")
        await pilot.press("escape", "slash", *"bright")
        await until(pilot, lambda: app.screen.query_one("#results").option_count > 1)
        await pilot.pause(0.3)
        save("search")
        await pilot.press("escape", "D")
        app.screen.query_one("#say", Input).value = "/plex resume"
        await pilot.press("enter")
        await until(pilot, lambda: emu.player("Living Room TV").timeline()["state"] == "playing")
        app.screen.query_one("#say", Input).value = "/plex pause"
        await pilot.press("enter")
        await until(pilot, lambda: len(app.companion.messages()) >= 5)
        await until(pilot, lambda: "Paused" in str(app.mirror.preview["embed"] or {}))
        app.screen.query_one("#say", Input).cursor_blink = False
        app.clear_notifications()
        await pilot.pause(1.0)
        save("discord")
        await pilot.press("escape", "S")
        await pilot.pause(0.5)
        save("stats")
        await pilot.press("escape", "e")
        await until(
            pilot,
            lambda: (
                app.screen.query("#sessions") and app.screen.query_one("#sessions").row_count >= 2
            ),
        )
        await pilot.pause(0.3)
        save("sessions")
        await pilot.press("escape", "question_mark")
        await pilot.pause(0.3)
        save("help")
    return saved


def main() -> int:
    OUT.mkdir(exist_ok=True)
    emu = PlexEmulator(token="demo-token", size=300, seed=1, players=2, clock=ManualClock()).start()
    emu.add_session(user="alice", player_name="Bedroom Roku")
    run = Path(tempfile.mkdtemp(prefix="pd"))
    os.environ["XDG_RUNTIME_DIR"] = str(run)
    for var in ("XDG_STATE_HOME", "XDG_CACHE_HOME"):  # no cache from an earlier run
        os.environ[var] = str(run / var)
    os.environ["PLEXTUI_CONFIG"] = str(run / "config.toml")
    ipc = DiscordIPCEmulator(run)
    ipc.start()
    rest = DiscordRestEmulator(bot_token=BOT_TOKEN)
    rest.start()
    rest.create_channel(CHANNEL_ID)
    try:
        for path in asyncio.run(shoot(emu, rest)):
            print(path.relative_to(OUT.parent))
    finally:
        emu.stop()
        rest.stop()
        ipc.stop()
        shutil.rmtree(run, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
