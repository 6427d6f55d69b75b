"""A real PlexEmulator per test and an app built by the same factory as the CLI."""

from __future__ import annotations

import dataclasses

import pytest

from plextui.config import Settings
from plextui.emulators.plex import PlexEmulator
from plextui.emulators.plex.clock import ManualClock
from plextui.ui.app import make_app
from tests.ui.drive import until

SIZE = (120, 36)


@pytest.fixture
def emu():
    emulator = PlexEmulator(
        token="test-token", size=300, seed=1, players=2, clock=ManualClock()
    ).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def settings(emu) -> Settings:
    base = Settings()
    plex = dataclasses.replace(
        base.plex, url=emu.url, token=emu.token, client_id="plextui-test", timeout=3.0
    )
    return dataclasses.replace(base, plex=plex)


@pytest.fixture
def app(settings):
    return make_app(settings, watch_events=False, poll_interval=0.2)


wait_for = until  # the name most of tests/ui knows drive.until by


def main_screen(app):
    return app._main()


async def ready(pilot) -> None:
    """Until the first library has loaded its first page."""
    await wait_for(pilot, lambda: main_screen(pilot.app).items.total > 0)
    await pilot.pause(0.3)


def notes(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


from tests.ui.discord_fixtures import discord_app, discord_world  # noqa: E402,F401
