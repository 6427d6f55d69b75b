"""The emulated Plex every test area shares (registered by tests/conftest.py).

One emulated PMS per module (`emu`, read-mostly: starting one costs a library build and a
port), a connected PlexService per test (`service`) and a Controller on it (`controller`).
A module that needs another server overrides `plex_options` (its size, seed, token,
players, clock), `service_options` or `controller_options`; a test that changes state the
next test must not see takes a private server from `make_plex`. Nothing is faked: these are
the emulators on real sockets, and `no_sleep` only skips the waits between retries.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plextui.control.controller import Controller
from plextui.emulators.plex import PlexEmulator
from plextui.plex.server import PlexService


async def no_sleep(seconds: float) -> None:
    """PlexService's `sleep` for tests: retries happen at once, and are still counted."""
    return None


class _Plexes:
    """Starts emulated servers on demand and stops every one it started."""

    def __init__(self) -> None:
        self.started: list[PlexEmulator] = []

    def __call__(self, **options) -> PlexEmulator:
        """A started PlexEmulator; `options` are its own (token, size, seed, players, clock …)."""
        server = PlexEmulator(**options).start()
        self.started.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture
def make_plex() -> Iterator[_Plexes]:
    """`make_plex(**options)`: a private emulated server for this test, stopped after it."""
    plexes = _Plexes()
    yield plexes
    plexes.stop_all()


@pytest.fixture(scope="module")
def make_module_plex() -> Iterator[_Plexes]:
    """`make_module_plex(**options)`: a server shared by the module, stopped after it."""
    plexes = _Plexes()
    yield plexes
    plexes.stop_all()


@pytest.fixture(scope="module")
def plex_options() -> dict:
    """The module's server; a module (or conftest) overrides this fixture to change it."""
    return {"token": "test-token", "size": 300, "seed": 7, "players": 2}


@pytest.fixture(scope="module")
def emu(make_module_plex, plex_options) -> PlexEmulator:
    """One emulated PMS with players, shared by the tests of a module."""
    return make_module_plex(**plex_options)


@pytest.fixture
async def make_service():
    """`await make_service(server, **options)`: a connected PlexService, closed after the test."""
    made: list[PlexService] = []

    async def make(server: PlexEmulator, **options) -> PlexService:
        service = PlexService(server.url, server.token, **options)
        made.append(service)
        await service.connect()
        return service

    yield make
    for service in made:
        service.close()


@pytest.fixture
def service_options() -> dict:
    """How `service` is built; override to change it for a module."""
    return {"client_id": "plextui-test", "timeout": 5, "sleep": no_sleep}


@pytest.fixture
async def service(emu, make_service, service_options) -> PlexService:
    """A PlexService connected to the module's server, fresh for each test."""
    return await make_service(emu, **service_options)


@pytest.fixture
def controller_options() -> dict:
    """How `controller` is built; override to change it for a module."""
    return {"max_sessions": 5, "start_timeout": 5}


@pytest.fixture
def controller(service, emu, controller_options) -> Iterator[Controller]:
    """A Controller on `service`; the module's players are reachable again after the test."""
    yield Controller(service, **controller_options)
    for player in emu.players:
        player.reachable = True
