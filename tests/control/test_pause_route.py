"""Space → pause from the TUI: one request to the player. The state is the player
watcher's last read (what the bar shows), the player is resolved once, and nobody else
(the server's sessions, the other players' timelines) is asked; an older read is not
trusted, and what our own command left beats the watcher's read from before it."""

from __future__ import annotations

from plextui.core.commands import Command
from plextui.plex.events import EventBus
from plextui.plex.playerwatch import PlayerWatcher
from tests.playerkit import PLEXAMP, TV, a_movie, play_on, players_put_back  # noqa: F401


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def watched(controller, clock: Clock) -> PlayerWatcher:
    """The runtime's watcher, driven by hand: a round is `poll_once()`, nothing between."""
    watcher = PlayerWatcher(
        EventBus(), active=lambda: controller.active, known=controller.known_players, clock=clock
    )
    controller.player_watcher = watcher
    return watcher


class Requests:
    """What the emulated TV, the other player and the server receive from here on."""

    def __init__(self, emu) -> None:
        self.emu = emu
        self.tv, self.kitchen = emu.player(TV), emu.player(PLEXAMP)
        self.marks = len(self.tv.commands), len(self.kitchen.commands), len(emu.core.requests)

    def seen(self) -> tuple[list[str], list[str], list[str]]:
        tv, kitchen, server = self.marks
        paths = [path for _, path, _ in self.emu.core.requests[server:]]
        return self.tv.commands[tv:], self.kitchen.commands[kitchen:], paths


async def test_space_pauses_with_one_request_to_the_player(controller, emu):
    watcher = watched(controller, Clock())
    assert (await play_on(controller, await a_movie(controller, start=40))).ok
    await watcher.poll_once()  # the round that put "playing" on the bar
    requests = Requests(emu)
    result = await controller.execute(Command("toggle"))
    assert result.message == f"Paused on {TV}"
    assert requests.seen() == (["playback/pause"], [], [])
    assert emu.player(TV).timeline()["state"] == "paused"


async def test_a_second_press_resumes_a_toggling_player(controller, emu):
    """The watcher's read still says "playing"; the pause we just sent says otherwise."""
    tv = emu.player(TV)
    tv.toggles = True
    watcher = watched(controller, Clock())
    assert (await play_on(controller, await a_movie(controller, start=41))).ok
    await watcher.poll_once()
    requests = Requests(emu)
    assert (await controller.execute(Command("toggle"))).message == f"Paused on {TV}"
    assert (await controller.execute(Command("toggle"))).message == f"Resumed on {TV}"
    assert requests.seen() == (["playback/pause", "playback/play"], [], [])
    assert tv.timeline()["state"] == "playing"


async def test_an_older_read_is_not_trusted(controller, emu):
    clock = Clock()
    watcher = watched(controller, clock)
    assert (await play_on(controller, await a_movie(controller, start=42))).ok
    await watcher.poll_once()
    clock.now += 1.5  # the watcher has not read the player for a second and a half
    requests = Requests(emu)
    assert (await controller.execute(Command("pause"))).message == f"Paused on {TV}"
    tv, kitchen, server = requests.seen()
    assert tv == ["timeline/poll", "playback/pause"]  # read again before sending
    assert kitchen == ["timeline/poll"] and server == ["/status/sessions"]  # who is busy?
