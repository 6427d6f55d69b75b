"""The event bus: live websocket updates, polling when the socket drops, and recovery."""

from __future__ import annotations

import asyncio

import pytest

from plextui.plex.events import (
    ConnectionChanged,
    EventBus,
    SessionEnded,
    SessionStarted,
    SessionWatcher,
)
from tests.playerkit import play_on


async def wait_for(predicate, timeout=8.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
async def watched(service):
    bus = EventBus()
    events = []
    bus.subscribe(events.append)
    watcher = SessionWatcher(service, bus, poll_interval=0.3, refresh_interval=5.0, max_backoff=1.0)
    task = asyncio.create_task(watcher.run())
    yield watcher, events
    task.cancel()
    watcher.stop()


async def test_sessions_start_and_end_arrive_live(watched, controller, emu):
    watcher, events = watched
    await wait_for(lambda: watcher.mode == "live")
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    movie = (await controller.service.browse(movies, size=1, start=2)).items[0]
    await play_on(controller, movie, "Living Room TV")
    # refresh_interval is 5 s: arriving sooner proves the websocket notification woke us
    await wait_for(
        lambda: any(
            isinstance(e, SessionStarted) and e.session.player == "Living Room TV" for e in events
        ),
        timeout=3,
    )
    player = await controller.find_player("Living Room TV")
    await player.stop()
    await wait_for(lambda: any(isinstance(e, SessionEnded) for e in events), timeout=3)


async def test_dropped_websocket_falls_back_to_polling_and_recovers(watched, emu):
    watcher, events = watched
    await wait_for(lambda: watcher.mode == "live")
    emu.drop_websockets()
    await wait_for(
        lambda: any(isinstance(e, ConnectionChanged) and e.mode == "polling" for e in events)
    )
    await wait_for(lambda: watcher.mode == "live")
    modes = [e.mode for e in events if isinstance(e, ConnectionChanged)]
    assert modes[-2:] == ["polling", "live"]


async def test_server_gone_is_offline_then_back(watched, emu):
    watcher, events = watched
    await wait_for(lambda: watcher.mode == "live")
    emu.stop()
    try:
        await wait_for(lambda: watcher.mode == "offline")
        offline = [e for e in events if isinstance(e, ConnectionChanged) and e.mode == "offline"]
        assert "cannot reach the Plex server" in offline[-1].message
    finally:
        emu.restart()
    await wait_for(lambda: watcher.mode == "live", timeout=10)


async def test_a_failing_subscriber_does_not_silence_others(caplog):
    bus = EventBus()
    seen = []

    def broken(event):
        raise RuntimeError("boom")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    bus.publish(ConnectionChanged("live", "ok"))
    assert seen == [ConnectionChanged("live", "ok")]
    assert "event subscriber failed" in caplog.text
