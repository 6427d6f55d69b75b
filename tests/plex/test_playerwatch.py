"""The player watcher against the emulated server and players: one reader of timelines
for every subscriber, news only on change, one notice per outage."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from plextui.control.controller import Controller
from plextui.core.commands import Command
from plextui.plex.events import (
    EventBus,
    PlayerStateChanged,
    PlayerUnreachable,
    SessionWatcher,
)
from plextui.plex.playerwatch import PlayerWatcher
from tests.playerkit import play_on

TV = "Living Room TV"
INTERVAL = 0.2


async def wait_for(predicate, timeout: float = 8.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def states(events: list, player: str = TV) -> list[str]:
    return [
        e.state.state for e in events if isinstance(e, PlayerStateChanged) and e.player == player
    ]


def timeline_polls(emu, name: str = TV) -> int:
    return emu.player(name).commands.count("timeline/poll")


def proxied_polls(emu) -> int:
    """Timeline polls the server was asked to pass on (a player we cannot reach directly)."""
    return sum(path.startswith("/player/timeline/poll") for _, path, _ in emu.requests)


@pytest.fixture
async def watch(controller, emu):
    """A running watcher that follows `controller` (the TUI's, say) on a fresh bus."""
    bus = EventBus()
    watcher = PlayerWatcher(
        bus,
        active=lambda: controller.active,
        known=lambda: controller._players.values(),
        interval=INTERVAL,
        max_backoff=2 * INTERVAL,
    )
    task = asyncio.create_task(watcher.run())
    yield bus, watcher
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    for player in await controller.players():
        if player.info.reachable and (await player.state()).state != "stopped":
            await player.stop()


@pytest.fixture
async def movie(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    return (await service.browse(movies, size=1, start=3)).items[0]


async def test_a_command_reaches_every_subscriber_once(watch, controller, service, movie):
    bus, watcher = watch
    bar, presence, replies = [], [], []
    for subscriber in (bar, presence, replies):
        bus.subscribe(subscriber.append)
    assert (await play_on(controller, movie, TV)).ok
    watcher.wake()
    await wait_for(lambda: all("playing" in states(s) for s in (bar, presence, replies)))

    assert (await controller.execute(Command("pause"))).ok  # this front end: it wakes us
    watcher.wake()
    await wait_for(lambda: all(states(s)[-1] == "paused" for s in (bar, presence, replies)))
    other = Controller(service, start_timeout=5)  # another front end (ctl): nobody wakes us
    assert (await other.execute(Command("resume", player=TV))).ok
    await wait_for(lambda: all(states(s)[-1] == "playing" for s in (bar, presence, replies)), 3)
    await asyncio.sleep(5 * INTERVAL)  # more rounds: nothing new to say

    for seen in (bar, presence, replies):  # (a first read may catch it still buffering)
        shown = states(seen)
        assert shown[shown.index("playing") :] == ["playing", "paused", "playing"]
    assert watcher.latest(TV).state == "playing"
    assert watcher.latest(TV).item.rating_key == movie.rating_key
    assert [s.player for s in watcher.playing()] == [TV]


async def test_timeline_polls_are_one_watchers_not_one_per_subscriber(
    watch, controller, emu, movie
):
    bus, watcher = watch
    inboxes = [[] for _ in range(10)]
    for inbox in inboxes:
        bus.subscribe(inbox.append)
    assert (await play_on(controller, movie, TV)).ok
    await wait_for(lambda: "playing" in states(inboxes[0]))
    seen = [len(inbox) for inbox in inboxes]
    before, idle = timeline_polls(emu), timeline_polls(emu, "Kitchen Plexamp")
    await asyncio.sleep(2.0)
    polls = timeline_polls(emu) - before
    assert 3 <= polls <= 2.0 / INTERVAL + 2  # at most one a round, for all ten
    assert [len(inbox) for inbox in inboxes] == seen  # steady playback is no news
    assert timeline_polls(emu, "Kitchen Plexamp") == idle  # idle and not active: never read


async def test_an_unreachable_player_is_one_notice_then_back(watch, controller, emu, movie):
    bus, watcher = watch
    watcher.max_backoff = 1.0
    events: list = []
    bus.subscribe(events.append)
    assert (await play_on(controller, movie, TV)).ok
    await wait_for(lambda: "playing" in states(events))
    emu.player(TV).reachable = False
    try:
        await wait_for(lambda: any(isinstance(e, PlayerUnreachable) for e in events))
        assert watcher.latest(TV) is None and watcher.playing() == []
        tries = proxied_polls(emu)  # the direct route failed: each retry asks the server
        await asyncio.sleep(12 * INTERVAL)  # retries back off (0.2, 0.4, 0.8, 1 s): not 12
        assert 1 <= proxied_polls(emu) - tries <= 5
    finally:
        emu.player(TV).reachable = True
    mark = len(events)
    await wait_for(lambda: "playing" in states(events[mark:]))  # back on the bus at once
    notices = [e for e in events if isinstance(e, PlayerUnreachable)]
    assert len(notices) == 1
    assert notices[0].player == TV and TV in notices[0].message
    assert "Traceback" not in notices[0].message


async def test_players_with_a_session_are_followed_without_being_active(
    watch, controller, service, emu, movie
):
    bus, watcher = watch
    events: list = []
    bus.subscribe(events.append)
    sessions = SessionWatcher(service, bus)
    await controller.players()  # the players this front end knows (not one is active)
    other = Controller(service, start_timeout=5)
    assert (await play_on(other, movie, TV)).ok  # started elsewhere: ctl, a phone
    key = emu.add_session(user="alice", player_name="Bedroom Roku")  # a player we cannot reach
    await sessions.refresh()
    await wait_for(
        lambda: {"Living Room TV", "Bedroom Roku"} <= {s.player for s in watcher.playing()}
    )
    roku = [e for e in events if isinstance(e, PlayerStateChanged) and e.player == "Bedroom Roku"]
    assert roku[-1].machine_id == "" and roku[-1].state.state == "playing"  # from the session
    assert watcher.latest(TV).item.rating_key == movie.rating_key  # from its own timeline

    await service.terminate(key, "test over")
    await sessions.refresh()
    assert states(events, "Bedroom Roku")[-1] == "stopped"
    assert watcher.latest("Bedroom Roku") is None
