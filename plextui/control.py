"""Controller: runs a Command against the services; the one home of behaviour.

Every front end (TUI keys and palette, `plextui ctl`, Discord messages and slash commands)
parses text into a `Command` and calls `Controller.execute`, so title resolution, the
default player, the device limit and the answers are the same everywhere.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from plextui.answers import Result, card_line, now_playing, session_line
from plextui.core.commands import HELP, Command
from plextui.core.models import MediaItem, PlaybackState, Playlist
from plextui.core.serial import to_plain
from plextui.core.timecode import format_clock
from plextui.errors import (
    CommandError,
    MediaError,
    PlextuiError,
    SessionError,
    StreamError,
)
from plextui.metrics import Metrics
from plextui.plex.players import PlayerBackend, discover
from plextui.plex.server import PlexService

log = logging.getLogger("plextui.control")
PLAYABLE = ("movie", "episode", "track")
REPEAT_CYCLE = {"off": "all", "all": "one", "one": "off"}
CONTAINERS = ("show", "season", "artist", "album")
_YEAR = re.compile(r"^(.*?)\s*\((\d{4})\)$")


class Controller:
    """Runs commands; owns the player list, the active player and the metrics."""

    def __init__(
        self,
        service: PlexService,
        *,
        max_sessions: int = 5,
        default_player: str = "",
        remember_player: Callable[[str], None] | None = None,
        local_player: Callable[[], PlayerBackend] | None = None,
        user: str = "",
        start_timeout: float = 8.0,
    ) -> None:
        self.service = service
        self.max_sessions = max_sessions
        self.default_player = default_player
        self.remember_player = remember_player
        self.local_player = local_player
        self.user = user
        self.start_timeout = start_timeout
        self.metrics = Metrics()
        self._players: dict[str, PlayerBackend] = {}
        self.active: PlayerBackend | None = None

    # --- players ---------------------------------------------------------------------

    async def players(self, refresh: bool = False) -> list[PlayerBackend]:
        if refresh or not self._players:
            found = {p.info.name: p for p in await discover(self.service)}
            if self.local_player is not None:
                local = self._players.get("This computer") or self.local_player()
                found[local.info.name] = local
            self._players = found
        return list(self._players.values())

    async def find_player(self, name: str | None) -> PlayerBackend:
        """A player by (case-insensitive, prefix) name, else the default or active one."""
        players = await self.players()
        wanted = name or (self.active.info.name if self.active else None) or self.default_player
        if not wanted:
            if len(players) == 1:
                return players[0]
            names = ", ".join(p.info.name for p in players) or "none found"
            raise CommandError(
                f"which player? name one with 'on <player>' or 'use <player>' ({names})"
            )
        if wanted.lower() in ("local", "this computer", "mpv") and self.local_player is not None:
            wanted = "This computer"
        for refresh in (False, True):
            players = await self.players(refresh=refresh)
            exact = [p for p in players if p.info.name.lower() == wanted.lower()]
            prefix = [p for p in players if p.info.name.lower().startswith(wanted.lower())]
            if exact or len(prefix) == 1:
                return (exact or prefix)[0]
        names = ", ".join(p.info.name for p in players) or "none found"
        raise CommandError(f"no player named '{wanted}' (players: {names})")

    async def _current(self) -> PlayerBackend:
        return await self.find_player(None)

    # --- title resolution --------------------------------------------------------------

    async def resolve(self, title: str) -> MediaItem:
        """Best match across libraries; several equally good matches are an error listing them."""
        year = None
        if match := _YEAR.match(title):
            title, year = match.group(1), int(match.group(2))
        results = await self.service.search(title, limit=20)
        wanted = title.casefold()
        candidates = [r for r in results if r.kind in PLAYABLE + CONTAINERS]
        candidates += [
            MediaItem(p.rating_key, "playlist", p.title, duration_ms=p.duration_ms)
            for p in await self.service.playlists()
            if p.title.casefold().startswith(wanted) and not year
        ]
        if year:
            candidates = [r for r in candidates if r.year == year]

        def rank(item: MediaItem) -> tuple[int, int]:
            name = item.title.casefold()
            score = 0 if name == wanted else 1 if name.startswith(wanted) else 2
            return score, 0 if item.kind in ("movie", "show") else 1

        candidates.sort(key=rank)
        if not candidates:
            raise MediaError(f"nothing called '{title}' in any library")
        best = rank(candidates[0])
        ties = [c for c in candidates if rank(c) == best]
        if len({(c.kind, c.title.casefold(), c.year, c.grandparent_title) for c in ties}) > 1:
            choices = "; ".join(c.display_title for c in ties[:5])
            raise MediaError(
                f"'{title}' matches several items: {choices}. Say which (add the year)."
            )
        return ties[0]

    async def _playable(self, item: MediaItem, player: PlayerBackend) -> MediaItem:
        """Containers play their first unwatched leaf (the next episode, the first track);
        a playlist plays whole on a remote player (its own play queue), and its first item
        on this computer."""
        if item.kind in PLAYABLE or (item.kind == "playlist" and not player.info.local):
            return item
        if item.kind == "playlist":
            page = await self.service.playlist_items(Playlist(item.rating_key, item.title))
        else:
            page = await self.service.leaves(item)
        leaves = [i for i in page.items if i.kind in PLAYABLE]
        if not leaves:
            raise MediaError(f"'{item.title}' has nothing to play")
        return next((i for i in leaves if not i.watched), leaves[0])

    # --- execute -----------------------------------------------------------------------

    async def execute(self, command: Command, **options: Any) -> Result:
        """Run one command; `options` (resume, quality) refine `play` from the ctl flags."""
        began = time.perf_counter()
        try:
            handler = getattr(self, f"_do_{command.verb}")
            result: Result = (
                await handler(command, **options) if options else await handler(command)
            )
        except PlextuiError as error:
            result = Result(False, command.verb, str(error), error=error)
        except Exception as error:  # noqa: BLE001 - a bug must answer, not kill a front end
            log.exception("%s failed", command.verb)
            failure = PlextuiError(
                f"{command.verb} failed: internal error ({type(error).__name__})"
            )
            result = Result(False, command.verb, str(failure), error=failure)
        self.metrics.record(f"command.{command.verb}", time.perf_counter() - began)
        return result

    async def _do_play(self, command: Command, **options: Any) -> Result:
        player = await self.find_player(command.player)
        item = await self.resolve(command.title or "")
        result = await self.play_item(item, player.info.name, **options)
        if result.ok and command.player:
            await self._remember(player)
        return result

    async def _remember(self, player: PlayerBackend) -> None:
        """A player named explicitly becomes the default for the next command (and `ctl`);
        saving it writes the config file, so that happens off the event loop."""
        if player.info.name != self.default_player:
            self.default_player = player.info.name
            if self.remember_player is not None:
                try:
                    await asyncio.to_thread(self.remember_player, player.info.name)
                except PlextuiError as error:
                    log.warning("could not remember the player: %s", error)

    async def play_item(
        self,
        item: MediaItem,
        player_name: str | None = None,
        *,
        resume: bool = False,
        quality: str | None = None,
    ) -> Result:
        """Play a known item (a highlighted row, a resolved title) on a player.

        `resume` starts from the server's stored view offset; `quality` picks a rung first
        (only this computer's player takes one).
        """
        try:
            player = await self.find_player(player_name)
            item = await self._playable(item, player)
            await self._check_device_limit(player)
            if quality is not None:
                await self._set_quality(player, quality)
            offset = await self.service.view_offset(item) if resume else 0
            began = time.perf_counter()
            await player.play(item, offset_ms=offset)
        except PlextuiError as error:
            return Result(False, "play", str(error), error=error)
        self.active = player
        try:
            state = await self._wait_playing(player)
        except PlextuiError:
            state = PlaybackState(player=player.info.name, item=item, state="buffering")
        if state.state == "playing" and not player.info.local:  # local records its own
            self.metrics.record("stream.start", time.perf_counter() - began)
        card = now_playing(state, self.user) or now_playing(
            PlaybackState(player=player.info.name, item=item, state="playing"), self.user
        )
        message = f"Playing {item.display_title} on {player.info.name}"
        return Result(True, "play", message, {"now": to_plain(card)})

    async def _wait_playing(self, player: PlayerBackend) -> PlaybackState:
        deadline = time.monotonic() + self.start_timeout
        state = await player.state()
        while state.state != "playing" and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            state = await player.state()
        return state

    @staticmethod
    def session_player(player: PlayerBackend) -> str:
        """The player's name as the server's sessions list it (our mpv shows as this host)."""
        return getattr(player, "device_name", player.info.name)

    async def _check_device_limit(self, player: PlayerBackend) -> None:
        sessions = await self.service.sessions()
        name = self.session_player(player)
        others = [s for s in sessions if s.player != name]
        if len(others) >= self.max_sessions:
            raise SessionError(
                f"device limit reached ({len(others)} of {self.max_sessions} sessions)"
            )

    async def _simple(self, command: Command, action: str, done: str) -> Result:
        player = await self._current()
        await getattr(player, action)()
        self.active = player
        return Result(True, command.verb, f"{done} on {player.info.name}")

    async def _do_pause(self, command: Command) -> Result:
        return await self._simple(command, "pause", "Paused")

    async def _do_resume(self, command: Command) -> Result:
        return await self._simple(command, "resume", "Resumed")

    async def _do_stop(self, command: Command) -> Result:
        return await self._simple(command, "stop", "Stopped")

    async def _do_next(self, command: Command) -> Result:
        return await self._simple(command, "next", "Skipped to the next item")

    async def _do_prev(self, command: Command) -> Result:
        return await self._simple(command, "prev", "Went back to the previous item")

    async def _do_toggle(self, command: Command) -> Result:
        player = await self._current()
        state = await player.state()
        if state.state == "playing":
            return await self._simple(command, "pause", "Paused")
        return await self._simple(command, "resume", "Resumed")

    async def _do_seek(self, command: Command) -> Result:
        player = await self._current()
        assert command.seek is not None
        position = await player.seek(command.seek)
        return Result(
            True,
            "seek",
            f"Seeked to {format_clock(position)} on {player.info.name}",
            {"position_ms": position},
        )

    async def _do_volume(self, command: Command) -> Result:
        player = await self._current()
        assert command.volume is not None
        level = await player.volume(command.volume)
        return Result(True, "volume", f"Volume {level} on {player.info.name}", {"volume": level})

    async def _set_quality(self, player: PlayerBackend, quality: str) -> str:
        setter = getattr(player, "set_quality", None)
        if setter is None:
            decision = (await player.state()).decision or "the server's choice"
            raise StreamError(
                f"'{player.info.name}' picks its own quality (Plex players take no quality "
                f"command; it is {decision} now). Quality applies to playback on this computer."
            )
        return await setter(quality)

    async def _do_shuffle(self, command: Command) -> Result:
        player = await self._current()
        on = command.mode == "on" if command.mode else not (await player.state()).shuffle
        await player.shuffle(on)
        return Result(
            True,
            "shuffle",
            f"Shuffle {'on' if on else 'off'} on {player.info.name}",
            {"shuffle": on},
        )

    async def _do_repeat(self, command: Command) -> Result:
        player = await self._current()
        mode = command.mode or REPEAT_CYCLE[(await player.state()).repeat]
        await player.repeat(mode)
        return Result(True, "repeat", f"Repeat {mode} on {player.info.name}", {"repeat": mode})

    async def _do_quality(self, command: Command) -> Result:
        player = await self._current()
        label = await self._set_quality(player, command.quality or "auto")
        return Result(True, "quality", f"Quality {label} on {player.info.name}", {"quality": label})

    async def _do_now(self, command: Command) -> Result:
        card = None
        if self.active is not None or self.default_player:
            try:
                card = now_playing(await (await self._current()).state(), self.user)
            except CommandError:
                card = None
        return Result(True, "now", card_line(card), {"now": to_plain(card)})

    async def _do_search(self, command: Command) -> Result:
        items = await self.service.search(command.query or "", limit=10)
        lines = [f"{i.kind:8} {i.display_title}" for i in items] or ["No results."]
        return Result(True, "search", "\n".join(lines), {"items": to_plain(items)})

    async def _do_players(self, command: Command) -> Result:
        players = await self.players(refresh=True)
        active = self.active.info.name if self.active else self.default_player
        lines = [
            f"{'*' if p.info.name == active else ' '} {p.info.name} ({p.info.product})"
            for p in players
        ]
        data = {"players": to_plain([p.info for p in players]), "active": active or None}
        return Result(True, "players", "\n".join(lines) or "No players found.", data)

    async def _do_use(self, command: Command) -> Result:
        player = await self.find_player(command.player)
        self.active = player
        await self._remember(player)
        return Result(True, "use", f"Using {player.info.name}", {"player": player.info.name})

    async def _do_sessions(self, command: Command) -> Result:
        sessions = await self.service.sessions()
        lines = [session_line(s) for s in sessions] or ["Nothing is streaming."]
        return Result(True, "sessions", "\n".join(lines), {"sessions": to_plain(sessions)})

    async def _do_libraries(self, command: Command) -> Result:
        libraries = await self.service.libraries()
        lines = [f"{lib.title} ({lib.type}, {lib.count} items)" for lib in libraries]
        return Result(True, "libraries", "\n".join(lines), {"libraries": to_plain(libraries)})

    async def _do_playlists(self, command: Command) -> Result:
        playlists = await self.service.playlists()
        lines = [f"{p.title} ({p.count} items)" for p in playlists] or ["No playlists."]
        return Result(True, "playlists", "\n".join(lines), {"playlists": to_plain(playlists)})

    async def _do_history(self, command: Command) -> Result:
        entries = await self.service.history(size=20)
        lines = [
            f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(e.viewed_at))} {e.user}: "
            f"{e.item.display_title}"
            for e in entries
        ] or ["No history."]
        return Result(True, "history", "\n".join(lines), {"history": to_plain(entries)})

    async def _do_help(self, command: Command) -> Result:
        verbs = [command.topic] if command.topic else list(HELP)
        lines = [f"{HELP[v][0]:45} {HELP[v][1]}" for v in verbs]
        return Result(True, "help", "\n".join(lines), {"commands": {v: HELP[v][0] for v in verbs}})
