"""Where a command goes, and the transport verbs that go there (pause … repeat).

Mixed into the Controller (controller.py), which provides `players`, `service`, `active`,
`default_player`, `pinned_player`, `local_player` and `player_watcher`. A command goes to
the player it names (or `ctl --player` names: `pinned_player`); else to the one of the
user's players that is playing or paused, when exactly one is (the server's sessions, then
the players' own timelines); else to the active or default player; else to the only
player; else it asks, listing them.

Transport verbs read the player's state first and send only what changes something:
`pause` only to a playing player, `resume` only to a paused one, so a player that toggles
on both (plex-mpv-shim does) is never flipped back. A second `pause` answers "Already
paused on X" and sends nothing. With nothing playing, every verb fails with "nothing is
playing on X" (exit 1), except `stop`, which has nothing to do and says so.

Which read counts as "the state now":
- A read made while choosing the player is reused; an older one of our own is not, since
  another remote may have acted since (two `ctl pause` in a row read twice).
- Where the player watcher runs (the TUI, the relay) and read the player within the last
  WATCHED_AGE second, that read is the state: it is what the bar shows, so the key the
  user pressed answers what they saw, and space → pause is one request to the player.
  The player keeps what our own commands left (newer than any read that crossed them), so
  two quick presses pause and resume. The active or default player, seen busy by that
  read, is the target whoever else plays (the rule above picks it anyway), so neither the
  server's sessions nor the other players are asked. What remains is another remote
  acting on a toggling player in that second: bounded by the age, and the same race any
  remote has between reading and sending.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from plextui.control import answers
from plextui.control.answers import Handler, Result
from plextui.core.commands import Command
from plextui.core.models import PlaybackState
from plextui.errors import PlexError, PlextuiError, StreamError
from plextui.plex.players import Player

if TYPE_CHECKING:
    from plextui.plex.playerwatch import PlayerWatcher
    from plextui.plex.server import PlexService

PEEK_TIMEOUT = 2.0  # s: a player slower than this to show its timeline is not "the busy one"
WATCHED_AGE = 1.0  # s: a player watcher's read this recent is the state now (see the module)
REPEAT_CYCLE = {"off": "all", "all": "one", "one": "off"}
LOCAL_NAMES = ("local", "this computer", "mpv")


class NothingPlaying(StreamError):
    """The target player (or every player) is idle: nothing to pause, seek or stop."""


class PlayerError(PlexError):
    """No player by that name, or several could be meant: the command failed (exit 1),
    the same class as a title that matches nothing or several items (MediaError)."""


class TransportCommands:
    """Targeting and the transport verbs of the Controller."""

    service: PlexService
    active: Player | None
    default_player: str
    pinned_player: str
    local_player: Callable[[], Player] | None
    player_watcher: PlayerWatcher | None
    if TYPE_CHECKING:

        async def players(self, refresh: bool = False) -> list[Player]: ...

    def transport_handlers(self) -> dict[str, Handler]:
        """The verbs this mixin answers, for the Controller's table."""
        return {
            "pause": self._pause,
            "resume": self._resume,
            "toggle": self._toggle,
            "stop": self._stop,
            "seek": self._seek,
            "next": self._next,
            "prev": self._prev,
            "volume": self._volume,
            "shuffle": self._shuffle,
            "repeat": self._repeat,
        }

    # --- where a command goes ----------------------------------------------------------

    async def find_player(self, name: str | None, *, to_playing: bool = False) -> Player:
        """The named player; with no name, where the user means (see the module).

        `to_playing` (transport verbs): when no player is busy and none is the default,
        the answer is "nothing is playing", not a question."""
        if name := name or self.pinned_player:
            return await self._named(name)
        if (watched := await self._watched_busy()) is not None:
            return watched
        players = await self.players()
        busy = await self._busy(players)
        if len(busy) == 1:
            return busy[0]
        if wanted := self._wanted():
            return await self._named(wanted)
        if len(players) == 1:
            return players[0]
        names = ", ".join(p.info.name for p in players) or "none found"
        if busy:
            playing = " and ".join(p.info.name for p in busy)
            raise PlayerError(f"which player? {playing} are playing; name one with 'on <player>'")
        if to_playing:
            raise NothingPlaying(f"nothing is playing on any player ({names})")
        raise PlayerError(f"which player? name one with 'on <player>' or 'use <player>' ({names})")

    def _wanted(self) -> str:
        """The player the user chose: the active one, else the default (what the TUI's bar
        follows)."""
        return (self.active.info.name if self.active else None) or self.default_player

    def _watched(self, name: str) -> bool:
        """Whether the player watcher read this player within the last WATCHED_AGE s."""
        watcher = self.player_watcher
        return watcher is not None and watcher.latest(name, WATCHED_AGE) is not None

    async def _watched_busy(self) -> Player | None:
        """The active or default player when the watcher's fresh read has it busy: a
        command that names no player goes there whoever else plays, so no one is asked."""
        wanted = self._wanted()
        if not wanted or not self._watched(wanted):
            return None
        player = await self._named(wanted)
        state = await player.state(max_age=WATCHED_AGE)  # that read, or what we left since
        return player if state.state != "stopped" else None

    async def _named(self, wanted: str) -> Player:
        """A player by case-insensitive name or unique prefix; the list is refreshed once."""
        if wanted.lower() in LOCAL_NAMES and self.local_player is not None:
            wanted = "This computer"
        players: list[Player] = []
        for refresh in (False, True):
            players = await self.players(refresh=refresh)
            exact = [p for p in players if p.info.name.lower() == wanted.lower()]
            prefix = [p for p in players if p.info.name.lower().startswith(wanted.lower())]
            if exact or len(prefix) == 1:
                return (exact or prefix)[0]
        names = ", ".join(p.info.name for p in players) or "none found"
        raise PlayerError(f"no player named '{wanted}' (players: {names})")

    async def _busy(self, players: list[Player]) -> list[Player]:
        """Players playing or paused now: those in the server's sessions, then the others'
        own timelines (players that do not report to this server), read in parallel."""
        try:
            sessions = await self.service.sessions()
        except PlextuiError:
            sessions = []  # the players' timelines still tell
        streaming = {s.player for s in sessions if s.state != "stopped"}
        watched = {s.player for s in self.player_watcher.playing()} if self.player_watcher else ()
        busy = [p for p in players if p.session_name in streaming or p.info.name in watched]
        rest = [p for p in players if p not in busy]
        states = await asyncio.gather(*(self._peek(p) for p in rest))
        return busy + [p for p, state in zip(rest, states, strict=True) if state != "stopped"]

    @staticmethod
    async def _peek(player: Player) -> str:
        """A player's state for targeting; one that does not answer is not busy."""
        try:
            return (await asyncio.wait_for(player.state(), PEEK_TIMEOUT)).state
        except (PlextuiError, TimeoutError):
            return "stopped"

    async def _current(self) -> Player:
        return await self.find_player(None)

    async def _playing(self) -> tuple[Player, PlaybackState]:
        """The target player and its state; nothing playing there is a failure."""
        began = time.monotonic()
        player = await self.find_player(None, to_playing=True)
        fresh = WATCHED_AGE if self._watched(player.info.name) else time.monotonic() - began
        state = await player.state(max_age=fresh)  # read just now, or now
        if state.state == "stopped":
            raise NothingPlaying(f"nothing is playing on {player.info.name}")
        return player, state

    # --- the verbs ---------------------------------------------------------------------

    async def _send(
        self, verb: str, player: Player, send: Callable[[], Awaitable[None]], action: str
    ) -> Result:
        await send()
        self.active = player
        return answers.sent_result(verb, action, player.info.name)

    def _unchanged(self, verb: str, player: Player, action: str) -> Result:
        self.active = player
        return answers.unchanged_result(verb, action, player.info.name)

    async def _pause(self, command: Command) -> Result:
        player, state = await self._playing()
        if state.state == "paused":
            return self._unchanged(command.verb, player, "pause")
        return await self._send(command.verb, player, player.pause, "pause")

    async def _resume(self, command: Command) -> Result:
        player, state = await self._playing()
        if state.state != "paused":
            return self._unchanged(command.verb, player, "resume")
        return await self._send(command.verb, player, player.resume, "resume")

    async def _toggle(self, command: Command) -> Result:
        player, state = await self._playing()
        if state.state == "paused":
            return await self._send(command.verb, player, player.resume, "resume")
        return await self._send(command.verb, player, player.pause, "pause")

    async def _stop(self, command: Command) -> Result:
        """Stopping what is already stopped is done: it succeeds and sends nothing."""
        try:
            player, _ = await self._playing()
        except NothingPlaying as idle:
            return Result(True, "stop", answers.nothing_to_stop(str(idle)), {"sent": False})
        return await self._send(command.verb, player, player.stop, "stop")

    async def _next(self, command: Command) -> Result:
        player, _ = await self._playing()
        return await self._send(command.verb, player, player.next, "next")

    async def _prev(self, command: Command) -> Result:
        player, _ = await self._playing()
        return await self._send(command.verb, player, player.prev, "prev")

    async def _seek(self, command: Command) -> Result:
        player, _ = await self._playing()
        assert command.seek is not None
        position = await player.seek(command.seek)
        self.active = player
        message = answers.seeked(position, player.info.name)
        return Result(True, "seek", message, {"position_ms": position})

    async def _volume(self, command: Command) -> Result:
        player, _ = await self._playing()
        assert command.volume is not None
        level = await player.volume(command.volume)
        self.active = player
        return Result(
            True, "volume", answers.volume_set(level, player.info.name), {"volume": level}
        )

    async def _shuffle(self, command: Command) -> Result:
        player, state = await self._playing()
        on = command.mode == "on" if command.mode else not state.shuffle
        await player.shuffle(on)
        self.active = player
        return Result(True, "shuffle", answers.shuffle_set(on, player.info.name), {"shuffle": on})

    async def _repeat(self, command: Command) -> Result:
        player, state = await self._playing()
        mode = command.mode or REPEAT_CYCLE[state.repeat]
        await player.repeat(mode)
        self.active = player
        return Result(True, "repeat", answers.repeat_set(mode, player.info.name), {"repeat": mode})
