"""Plex misbehaving under the services, the Controller and the event bus: clear errors while
the fault lasts, recovery on their own once it ends, and nothing the user made changed twice."""

from __future__ import annotations

import asyncio

import pytest

from plextui import config
from plextui.control.controller import Controller
from plextui.core.commands import parse_command
from plextui.errors import AuthError, PlexError, UnreachableError
from plextui.plex.events import ConnectionChanged, EventBus, SessionWatcher
from tests.fixtures import no_sleep

TV = "Living Room TV"


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": "fault-token", "size": 300, "seed": 3, "players": 2}


@pytest.fixture
def service_options() -> dict:
    return {"client_id": "plextui-faults", "timeout": 0.8, "sleep": no_sleep}


@pytest.fixture(autouse=True)
def faults_cleared(emu):
    """Each test's faults end with it: the next one starts from a healthy server."""
    yield
    emu.faults.clear()
    for player in emu.players:
        player.reachable = True


@pytest.fixture
async def movies(service):
    return next(lib for lib in await service.libraries() if lib.type == "movie")


@pytest.fixture
def controller_options(isolated_user_dirs) -> dict:
    path = isolated_user_dirs / "config" / "config.toml"
    return {
        "max_sessions": 5,
        "start_timeout": 5,
        "remember_player": lambda name: config.set_value("plex.default_player", name, path),
    }


async def wait_for(predicate, timeout: float = 8.0) -> float:
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not predicate():
        if loop.time() - began > timeout:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
    return loop.time() - began


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"status": 500}, "answered 500"),
        ({"status": 503}, "answered 503"),
        ({"malformed": True}, "malformed answer"),
        ({"truncated": True}, "malformed answer"),
        ({"hang": True}, "did not answer within 0.8 s"),
        ({"delay": 2.0}, "did not answer within 0.8 s"),
    ],
)
async def test_every_read_fails_clearly_then_recovers(service, emu, movies, fault, message):
    for name, value in fault.items():
        setattr(emu.faults, name, value)
    reads = [
        service.browse(movies, 40, 20),
        service.search("the"),
        service.sessions(),
        service.item("1"),
    ]
    for error in await asyncio.gather(*reads, return_exceptions=True):
        assert isinstance(error, PlexError) and message in str(error), error
        assert emu.token not in str(error)
    emu.faults.clear()
    assert len((await service.browse(movies, 40, 20)).items) == 20


async def test_slow_answers_within_the_timeout_are_just_slow(service, emu, movies):
    emu.faults.delay = 0.3
    page = await service.browse(movies, 0, 10)
    assert len(page.items) == 10 and page.total == movies.count


async def test_revoked_token_is_an_auth_error_and_restoring_it_needs_no_reconnect(
    service, emu, movies
):
    emu.faults.revoke_token()
    with pytest.raises(AuthError, match="refused the token"):
        await service.browse(movies, 0, 10)
    emu.faults.restore_token()
    assert (await service.browse(movies, 0, 10)).items


async def test_server_restart_needs_no_reconnect(service, emu, movies):
    before = await service.browse(movies, 10, 5)
    emu.stop()
    try:
        with pytest.raises(UnreachableError, match="cannot reach the Plex server"):
            await service.browse(movies, 15, 5)
    finally:
        emu.restart()
    assert await service.browse(movies, 10, 5) == before


async def test_controller_answers_every_fault_then_obeys(controller, emu):
    played = await controller.execute(parse_command(f"play {await _title(controller)} on {TV}"))
    assert played.ok, played.message
    tv = emu.player(TV)
    for fault in ({"status": 500}, {"hang": True}, {"truncated": True}):
        for name, value in fault.items():
            setattr(emu.faults, name, value)
        result = await controller.execute(parse_command("sessions"))
        assert not result.ok and result.error is not None and result.message
        emu.faults.clear()
    emu.faults.revoke_token()
    result = await controller.execute(parse_command("libraries"))
    assert not result.ok and isinstance(result.error, AuthError)
    emu.faults.restore_token()
    assert (await controller.execute(parse_command("pause"))).ok
    assert tv.timeline()["state"] == "paused"
    assert (await controller.execute(parse_command("stop"))).ok


async def test_a_vanished_player_fails_clearly_and_works_when_back(controller, emu):
    assert (await controller.execute(parse_command(f"play {await _title(controller)} on {TV}"))).ok
    tv = emu.player(TV)
    tv.reachable = False
    result = await controller.execute(parse_command("pause"))
    assert not result.ok and TV in result.message
    tv.reachable = True
    assert (await controller.execute(parse_command("pause"))).ok
    assert tv.timeline()["state"] == "paused"
    assert (await controller.execute(parse_command("stop"))).ok


async def test_config_is_written_once_and_not_at_all_on_a_fault(
    controller, emu, isolated_user_dirs
):
    path = isolated_user_dirs / "config" / "config.toml"
    config.set_value("ui.theme", "nord", path)
    before = path.read_bytes()
    emu.player(TV).reachable = False
    emu.faults.status = 500
    assert not (await controller.execute(parse_command(f"use {TV}"))).ok
    assert path.read_bytes() == before
    emu.faults.clear()
    emu.player(TV).reachable = True
    writes = []
    remember = controller.remember_player
    controller.remember_player = lambda name: (writes.append(name), remember(name))
    assert (await controller.execute(parse_command(f"use {TV}"))).ok
    assert writes == [TV]
    settings = config.load(path, environ={})
    assert settings.plex.default_player == TV and settings.ui.theme == "nord"


async def test_playlist_writes_are_never_repeated_behind_the_users_back(service, emu, movies):
    items = list((await service.browse(movies, 0, 2)).items)
    names = [p.title for p in await service.playlists()]
    emu.faults.status = 500
    with pytest.raises(PlexError):
        await service.create_playlist("Fault night", items)
    emu.faults.clear()
    assert [p.title for p in await service.playlists()] == names
    emu.faults.truncated = True  # the server makes it, the answer breaks on the way back
    with pytest.raises(PlexError, match="malformed"):
        await service.create_playlist("Fault night", items)
    emu.faults.clear()
    made = [p for p in await service.playlists() if p.title == "Fault night"]
    assert len(made) == 1 and made[0].count == 2
    await service.delete_playlist(made[0])


@pytest.fixture
async def watched(service):
    bus = EventBus()
    modes: list[ConnectionChanged] = []
    bus.subscribe(lambda e: modes.append(e) if isinstance(e, ConnectionChanged) else None)
    watcher = SessionWatcher(service, bus, poll_interval=0.3, refresh_interval=1.0, max_backoff=2)
    task = asyncio.create_task(watcher.run())
    await wait_for(lambda: watcher.mode == "live")
    yield watcher, modes
    task.cancel()
    watcher.stop()


@pytest.mark.parametrize(
    "fault", [{"status": 500}, {"hang": True}, {"truncated": True}, {"revoke": True}]
)
async def test_watcher_goes_offline_on_a_fault_and_back_to_live_after(watched, emu, fault):
    watcher, modes = watched
    for name, value in fault.items():
        if name == "revoke":
            emu.faults.revoke_token()
        else:
            setattr(emu.faults, name, value)
    await wait_for(lambda: watcher.mode == "offline")
    assert modes[-1].message
    emu.faults.clear()
    assert await wait_for(lambda: watcher.mode == "live") < 5


async def test_watcher_live_within_5s_of_a_restart_after_a_long_outage(watched, emu):
    watcher, _modes = watched
    emu.stop()
    try:
        await wait_for(lambda: watcher.mode == "offline")
        await asyncio.sleep(3)  # long enough for the reconnect backoff to reach its cap
    finally:
        emu.restart()
    assert await wait_for(lambda: watcher.mode == "live") < 5


async def test_dropped_websocket_twice_in_a_row_still_recovers(watched, emu):
    watcher, modes = watched
    for _ in range(2):
        emu.drop_websockets()
        await wait_for(lambda: watcher.mode == "polling")
        await wait_for(lambda: watcher.mode == "live")
    assert [m.mode for m in modes][-4:] == ["polling", "live", "polling", "live"]


async def _title(controller: Controller) -> str:
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    item = (await controller.service.browse(movies, 7, 1)).items[0]
    return f"{item.title} ({item.year})"


async def test_default_watcher_is_live_within_5s_after_a_long_outage(service, emu):
    """With the intervals the app really uses (poll 5 s, backoff up to 30 s)."""
    bus = EventBus()
    watcher = SessionWatcher(service, bus)
    task = asyncio.create_task(watcher.run())
    try:
        await wait_for(lambda: watcher.mode == "live")
        emu.stop()
        try:
            await wait_for(lambda: watcher.mode == "offline", 15)
            await asyncio.sleep(8)  # the reconnect backoff has grown past 5 s by now
        finally:
            emu.restart()
        assert await wait_for(lambda: watcher.mode == "live") < 5
    finally:
        task.cancel()
        watcher.stop()
