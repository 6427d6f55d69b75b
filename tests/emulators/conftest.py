"""Emulator fixtures: one shared read-mostly emulator per module (tests/fixtures.py `emu`, on a
manual clock), fresh ones for stateful tests."""

from __future__ import annotations

import pytest
from plexapi.server import PlexServer

from plextui.emulators.plex import ManualClock, PlexEmulator


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": "demo-token", "size": 500, "seed": 3, "clock": ManualClock()}


@pytest.fixture(scope="module")
def plex(emu) -> PlexServer:
    return PlexServer(emu.url, emu.token, timeout=10)


@pytest.fixture
def fresh(make_plex):
    """A private emulator for tests that change playback or fault state (manual clock, 200 items
    unless told otherwise)."""

    def make(**kwargs) -> PlexEmulator:
        return make_plex(**({"clock": ManualClock(), "size": 200} | kwargs))

    return make
