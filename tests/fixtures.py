"""One emulated server per test module; services and controllers built fresh per test."""

from __future__ import annotations

import pytest

from plextui.control.controller import Controller
from plextui.emulators.plex import PlexEmulator
from plextui.plex.server import PlexService


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.fixture(scope="module")
def emu():
    server = PlexEmulator(token="test-token", size=300, seed=7, players=2).start()
    yield server
    server.stop()


@pytest.fixture
async def service(emu):
    svc = PlexService(emu.url, emu.token, client_id="plextui-test", timeout=5, sleep=_no_sleep)
    await svc.connect()
    yield svc
    svc.close()


@pytest.fixture
async def controller(service, emu):
    ctl = Controller(service, max_sessions=5, start_timeout=5)
    yield ctl
    for player in emu.players:
        player.reachable = True
