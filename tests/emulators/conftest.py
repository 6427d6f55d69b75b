"""Emulator fixtures: one shared read-mostly emulator per module, fresh ones for stateful tests."""

from __future__ import annotations

import pytest
from plexapi.server import PlexServer

from plextui.emulators.plex import ManualClock, PlexEmulator


@pytest.fixture(scope="module")
def emu():
    emulator = PlexEmulator(token="demo-token", size=500, seed=3, clock=ManualClock()).start()
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def plex(emu) -> PlexServer:
    return PlexServer(emu.url, emu.token, timeout=10)


@pytest.fixture
def fresh():
    """A private emulator for tests that change playback or fault state."""
    made: list[PlexEmulator] = []

    def make(**kwargs) -> PlexEmulator:
        kwargs.setdefault("clock", ManualClock())
        kwargs.setdefault("size", 200)
        emulator = PlexEmulator(**kwargs).start()
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.stop()
