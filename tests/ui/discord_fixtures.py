"""The demo's Discord for UI tests: IPC emulator in a private runtime dir, REST with a
channel and webhook, settings built by the demo's own `demo_settings`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from plextui.config import Settings
from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
from plextui.entry.demo import BOT_TOKEN, CHANNEL_ID, DemoChannel, demo_settings
from plextui.ui.app import make_app


@pytest.fixture
def discord_world(emu, monkeypatch):
    run = Path(tempfile.mkdtemp(prefix="pd"))  # short: socket paths are limited to 107 bytes
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    ipc = DiscordIPCEmulator(run)
    ipc.start()
    rest = DiscordRestEmulator(bot_token=BOT_TOKEN)
    rest.start()
    rest.rate_limits = False
    rest.create_channel(CHANNEL_ID)
    settings = demo_settings(Settings(), emu.url, emu.token, rest)
    yield ipc, rest, settings
    rest.stop()
    ipc.stop()
    shutil.rmtree(run, ignore_errors=True)


@pytest.fixture
def discord_app(discord_world):
    _ipc, rest, settings = discord_world
    return make_app(settings, poll_interval=0.2, companion=DemoChannel(rest))
