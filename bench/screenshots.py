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
from pathlib import Path

from plextui.config import Settings
from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
from plextui.emulators.plex import PlexEmulator
from plextui.emulators.plex.clock import ManualClock
from plextui.entry.demo import BOT_TOKEN, CHANNEL_ID, DemoChannel, demo_settings
from plextui.ui.app import make_app
from tests.ui.drive import (
    open_now_playing,
    pause_tv,
    pick_tv,
    settled,
    to_discord,
    to_episodes,
    to_help,
    to_player_picker,
    to_search,
    to_sessions,
    to_stats,
)

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)


async def shoot(emu: PlexEmulator, rest: DiscordRestEmulator) -> list[Path]:
    """One walk through the app, by the steps the snapshot tests take (tests/ui/drive.py)."""
    settings = demo_settings(Settings(), emu.url, emu.token, rest)
    app = make_app(settings, companion=DemoChannel(rest))
    saved: list[Path] = []

    def save(name: str) -> None:
        saved.append(Path(app.save_screenshot(f"{name}.svg", str(OUT))))

    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        save("library")
        await to_episodes(pilot)
        await to_player_picker(pilot)
        save("player-picker")
        await pick_tv(pilot, emu)
        await pause_tv(pilot, emu)
        await pilot.pause(0.3)
        save("episodes")
        await open_now_playing(pilot)
        save("now-playing")
        await pilot.press("escape")
        await to_search(pilot)
        save("search")
        await pilot.press("escape")
        await to_discord(pilot, emu, "/plex resume", "/plex pause", state="paused")
        save("discord")
        await pilot.press("escape")
        await to_stats(pilot)
        save("stats")
        await pilot.press("escape")
        await to_sessions(pilot, rows=2)
        save("sessions")
        await pilot.press("escape")
        await to_help(pilot)
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
