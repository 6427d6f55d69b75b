"""Where a command goes, and the transport verbs that go there (pause … repeat).

Mixed into Controller (control.py), which provides `players`, `service`, `active`,
`default_player` and `local_player`. A command goes to the player it names; else to the
one of the user's players that is playing or paused, when exactly one is (the server's
sessions, then the players' own timelines); else to the active or default player; else
to the only player; else it asks, listing them.

Transport verbs read the player's state first (a read made while choosing the player is
reused; an older one is not, since another remote may have acted since) and send only
what changes something: `pause` only to a playing player, `resume` only to a
paused one, so a player that toggles on both (plex-mpv-shim does) is never flipped back.
A second `pause` answers "Already paused on X" and sends nothing. With nothing playing,
every verb fails with "nothing is playing on X" (exit 1), except `stop`, which has
nothing to do and says so.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from plextui.control.answers import Result
from plextui.core.commands import Command
from plextui.core.models import PlaybackState
from plextui.core.timecode import format_clock
from plextui.errors import CommandError, PlextuiError, StreamError
from plextui.plex.players import PlayerBackend

if TYPE_CHECKING:
    from collections.abc import Callable

    from plextui.plex.playerwatch import PlayerWatcher
    from plextui.plex.server import PlexService

PEEK_TIMEOUT = 2.0  # s: a player slower than this to show its timeline is not "the busy one"
REPEAT_CYCLE = {"off": "all", "all": "one", "one": "off"}
LOCAL_NAMES = ("local", "this computer", "mpv")


class NothingPlaying(StreamError):
    """The target player (or every player) is idle: nothing to pause, seek or stop."""


class TransportCommands:
    """Targeting and the transport verbs of the Controller."""

    service: PlexService
    active: PlayerBackend | None
    default_player: str
    local_player: Callable[[], PlayerBackend] | None
    player_watcher: PlayerWatcher | None
    if TYPE_CHECKING:

        async def players(self, refresh: bool = False) -> list[PlayerBackend]: ...

    @staticmethod
    def session_player(player: PlayerBackend) -> str:
        """The player's name as the server's sessions list it (our mpv shows as this host)."""
        return getattr(player, "device_name", player.info.name)

    # --- where a command goes ----------------------------------------------------------

    async def find_player(self, name: str | None, *, to_playing: bool = False) -> PlayerBackend:
        """The named player; with no name, where the user means (see the module).

        `to_playing` (transport verbs): when no player is busy and none is the default,
        the answer is "nothing is playing", not a question."""
        if name:
            return await self._named(name)
        players = await self.players()
        busy = await self._busy(players)
        if len(busy) == 1:
            return busy[0]
        wanted = (self.active.info.name if self.active else None) or self.default_player
        if wanted:
            return await self._named(wanted)
        if len(players) == 1:
            return players[0]
        names = ", ".join(p.info.name for p in players) or "none found"
        if busy:
            playing = " and ".join(p.info.name for p in busy)
            raise CommandError(f"which player? {playing} are playing; name one with 'on <player>'")
        if to_playing:
            raise NothingPlaying(f"nothing is playing on any player ({names})")
        raise CommandError(f"which player? name one with 'on <player>' or 'use <player>' ({names})")

    async def _named(self, wanted: str) -> PlayerBackend:
        """A player by case-insensitive name or unique prefix; the list is refreshed once."""
        if wanted.lower() in LOCAL_NAMES and self.local_player is not None:
            wanted = "This computer"
        players: list[PlayerBackend] = []
        for refresh in (False, True):
            players = await self.players(refresh=refresh)
            exact = [p for p in players if p.info.name.lower() == wanted.lower()]
            prefix = [p for p in players if p.info.name.lower().startswith(wanted.lower())]
            if exact or len(prefix) == 1:
                return (exact or prefix)[0]
        names = ", ".join(p.info.name for p in players) or "none found"
        raise CommandError(f"no player named '{wanted}' (players: {names})")

    async def _busy(self, players: list[PlayerBackend]) -> list[PlayerBackend]:
        """Players playing or paused now: those in the server's sessions, then the others'
        own timelines (players that do not report to this server), read in parallel."""
        try:
            sessions = await self.service.sessions()
        except PlextuiError:
            sessions = []  # the players' timelines still tell
        streaming = {s.player for s in sessions if s.state != "stopped"}
        watched = {s.player for s in self.player_watcher.playing()} if self.player_watcher else ()
        busy = [p for p in players if self.session_player(p) in streaming or p.info.name in watched]
        rest = [p for p in players if p not in busy]
        states = await asyncio.gather(*(self._peek(p) for p in rest))
        return busy + [p for p, state in zip(rest, states, strict=True) if state != "stopped"]

    @staticmethod
    async def _peek(player: PlayerBackend) -> str:
        """A player's state for targeting; one that does not answer is not busy."""
        try:
            return (await asyncio.wait_for(player.state(), PEEK_TIMEOUT)).state
        except (PlextuiError, TimeoutError):
            return "stopped"

    async def _current(self) -> PlayerBackend:
        return await self.find_player(None)

    async def _playing(self) -> tuple[PlayerBackend, PlaybackState]:
        """The target player and its state; nothing playing there is a failure."""
        began = time.monotonic()
        player = await self.find_player(None, to_playing=True)
        state = await player.state(max_age=time.monotonic() - began)  # read just now, or now
        if state.state == "stopped":
            raise NothingPlaying(f"nothing is playing on {player.info.name}")
        return player, state

    # --- the verbs ---------------------------------------------------------------------

    async def _send(
        self, command: Command, player: PlayerBackend, action: str, done: str
    ) -> Result:
        await getattr(player, action)()
        self.active = player
        data = {"player": player.info.name, "sent": True}
        return Result(True, command.verb, f"{done} on {player.info.name}", data)

    def _unchanged(self, command: Command, player: PlayerBackend, already: str) -> Result:
        self.active = player
        data = {"player": player.info.name, "sent": False}
        return Result(True, command.verb, f"{already} on {player.info.name}", data)

    async def _do_pause(self, command: Command) -> Result:
        player, state = await self._playing()
        if state.state == "paused":
            return self._unchanged(command, player, "Already paused")
        return await self._send(command, player, "pause", "Paused")

    async def _do_resume(self, command: Command) -> Result:
        player, state = await self._playing()
        if state.state != "paused":
            return self._unchanged(command, player, "Already playing")
        return await self._send(command, player, "resume", "Resumed")

    async def _do_toggle(self, command: Command) -> Result:
        player, state = await self._playing()
        if state.state == "paused":
            return await self._send(command, player, "resume", "Resumed")
        return await self._send(command, player, "pause", "Paused")

    async def _do_stop(self, command: Command) -> Result:
        """Stopping what is already stopped is done: it succeeds and sends nothing."""
        try:
            player, _ = await self._playing()
        except NothingPlaying as idle:
            message = str(idle)
            return Result(True, "stop", message[0].upper() + message[1:], {"sent": False})
        return await self._send(command, player, "stop", "Stopped")

    async def _do_next(self, command: Command) -> Result:
        player, _ = await self._playing()
        return await self._send(command, player, "next", "Skipped to the next item")

    async def _do_prev(self, command: Command) -> Result:
        player, _ = await self._playing()
        return await self._send(command, player, "prev", "Went back to the previous item")

    async def _do_seek(self, command: Command) -> Result:
        player, _ = await self._playing()
        assert command.seek is not None
        position = await player.seek(command.seek)
        self.active = player
        message = f"Seeked to {format_clock(position)} on {player.info.name}"
        return Result(True, "seek", message, {"position_ms": position})

    async def _do_volume(self, command: Command) -> Result:
        player, _ = await self._playing()
        assert command.volume is not None
        level = await player.volume(command.volume)
        self.active = player
        return Result(True, "volume", f"Volume {level} on {player.info.name}", {"volume": level})

    async def _do_shuffle(self, command: Command) -> Result:
        player, state = await self._playing()
        on = command.mode == "on" if command.mode else not state.shuffle
        await player.shuffle(on)
        self.active = player
        message = f"Shuffle {'on' if on else 'off'} on {player.info.name}"
        return Result(True, "shuffle", message, {"shuffle": on})

    async def _do_repeat(self, command: Command) -> Result:
        player, state = await self._playing()
        mode = command.mode or REPEAT_CYCLE[state.repeat]
        await player.repeat(mode)
        self.active = player
        return Result(True, "repeat", f"Repeat {mode} on {player.info.name}", {"repeat": mode})
