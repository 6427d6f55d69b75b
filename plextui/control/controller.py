"""Controller: runs a Command against the services; the one home of behaviour.

Two doors, one way. Anything that changes state (a TUI key or the palette, `plextui ctl`,
a Discord message or slash command) is a `Command` given to `Controller.execute`, so
title resolution, the default player, the device limit and the answers are the same
everywhere. Reads (browse, search, details) go to the service (plex/server.py) directly.
What the UI shows of playback comes from the bus (the session and player watchers), never
from asking the Controller.

`execute` looks the verb up in one table (`_handlers`, below: every verb and the method
that answers it, the transport and playlist verbs contributed by their mixins). Objects
are resolved once and passed on: a handler finds the Player and the MediaItem, and what it
calls takes them, never their names.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plextui.control import answers
from plextui.control.answers import Handler, Result, now_playing
from plextui.control.playlists import PlaylistCommands
from plextui.control.tracks import TrackCommands
from plextui.control.transport import PlayerError, TransportCommands
from plextui.core.commands import Command
from plextui.core.metrics import Metrics
from plextui.core.models import ALL_MEDIA_TYPES, MediaItem, PlaybackState, Playlist
from plextui.errors import (
    CommandError,
    MediaError,
    PlextuiError,
    SessionError,
    StreamError,
)
from plextui.plex.players import FRESH, Player
from plextui.plex.server import PlexService

if TYPE_CHECKING:
    from plextui.plex.discovery import Discovery
    from plextui.plex.playerwatch import PlayerWatcher

log = logging.getLogger("plextui.control.controller")
PLAYABLE = ("movie", "episode", "track")
QUEUES = ("playlist", "collection")  # play whole, as their own play queue, on a remote player
CONTAINERS = ("show", "season", "artist", "album")
_YEAR = re.compile(r"^(.*?)\s*\((\d{4})\)$")


class Controller(PlaylistCommands, TrackCommands, TransportCommands):
    """Runs commands; owns the player list, the active player and the metrics."""

    def __init__(
        self,
        service: PlexService,
        *,
        max_sessions: int = 5,
        default_player: str = "",
        remember_player: Callable[[str], None] | None = None,
        local_player: Callable[[], Player] | None = None,
        user: str = "",
        start_timeout: float = 8.0,
    ) -> None:
        self.service = service
        self.max_sessions = max_sessions
        self.default_player = default_player
        self.remember_player = remember_player
        self.local_player = local_player
        self.user = user
        self._user_asked = False
        self.start_timeout = start_timeout
        self.metrics = Metrics()
        self._players: dict[str, Player] = {}
        self.make_discovery: Callable[[], Discovery] = lambda: _server_players(service)
        self._discovery: Discovery | None = None  # runtime's make_discovery adds GDM etc.
        self.player_watcher: PlayerWatcher | None = None  # runtime sets it: one read for all
        self.active: Player | None = None
        self.pinned_player = ""  # `ctl --player`: named for every command, saved nowhere
        self._handlers: dict[str, Handler] = {
            "play": self._play,
            **self.transport_handlers(),  # pause resume toggle stop seek next prev volume …
            "quality": self._quality,
            **self.track_handlers(),  # audio subtitles
            "now": self._now,
            "search": self._search,
            "players": self._list_players,
            "use": self._use,
            "sessions": self._sessions,
            "libraries": self._libraries,
            "playlists": self._playlists,
            **self.playlist_handlers(),  # playlist show|create|add|remove|move|rename|delete
            "history": self._history,
            "continue": self._continue,
            "recent": self._recent,
            "stats": self._stats,
            "help": self._help,
        }

    # --- players ---------------------------------------------------------------------

    @property
    def discovery(self) -> Discovery:
        """Where players are looked for, built when a command first needs players (its
        modules with it): `sessions` or `search` from a shell never does."""
        if self._discovery is None:
            self._discovery = self.make_discovery()
        return self._discovery

    @discovery.setter
    def discovery(self, value: Discovery) -> None:
        self._discovery = value

    async def players(self, refresh: bool = False) -> list[Player]:
        """Every player found (server, GDM, plex.tv, by address) and this computer; the
        picker and `players` refresh, other commands reuse the last pass."""
        if refresh or not self._players:
            found = {p.info.name: p for p in await self.discovery.players(full=refresh)}
            if self.local_player is not None:
                local = self._players.get("This computer") or self.local_player()
                found[local.info.name] = local
            self._players = found
        return list(self._players.values())

    def known_players(self) -> list[Player]:
        """The players of the last discovery pass, without starting a new one."""
        return list(self._players.values())

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

    async def _playable(self, item: MediaItem, player: Player) -> MediaItem:
        """Containers play their first unwatched leaf (the next episode, the first track);
        a playlist plays whole on a remote player (its own play queue), and its first item
        on this computer."""
        if item.kind in PLAYABLE or (item.kind in QUEUES and not player.info.local):
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
            handler = self._handlers.get(command.verb)
            if handler is None:
                raise CommandError(f"unknown command '{command.verb}'")
            result: Result = (
                await handler(command, **options) if options else await handler(command)
            )
        except PlextuiError as error:
            result = answers.refused(command.verb, error)
        except Exception as error:  # noqa: BLE001 - a bug must answer, not kill a front end
            log.exception("%s failed", command.verb)
            result = answers.internal(command.verb, error)
        self.metrics.record(f"command.{command.verb}", time.perf_counter() - began)
        if self.player_watcher is not None:
            self.player_watcher.wake()  # every subscriber sees the effect now, not next round
        return result

    async def _play(self, command: Command, **options: Any) -> Result:
        player = await self.find_player(command.player)
        item = await self.resolve(command.title or "")
        return await self.play_item(item, player, version=command.version, **options)

    async def _remember(self, player: Player) -> None:
        """`use` makes a player the default, in this process and in the config file (for
        the next `ctl` too); only `use` does: `play … on X` and `ctl --player X` are for
        that one command. Saving writes the file, so it happens off the event loop."""
        self.default_player = player.info.name
        if self.remember_player is not None:
            try:
                await asyncio.to_thread(self.remember_player, player.info.name)
            except PlextuiError as error:
                log.warning("could not remember the player: %s", error)

    async def play_item(
        self,
        item: MediaItem,
        player: Player,
        *,
        resume: bool = False,
        quality: str | None = None,
        version: str | None = None,
        media_index: int = 0,
    ) -> Result:
        """Play a known item (a highlighted row, a resolved title) on a found player.

        `resume` starts from the server's stored view offset; `quality` picks a rung first
        (only this computer's player takes one); `version` names one of the item's files
        (`--version 4k`), `media_index` gives it by place (a picker's choice).
        """
        try:
            await self._check_kind(item, player)
            item = await self._playable(item, player)
            await self._check_device_limit(player)
            if quality is not None:
                await player.set_quality(quality)
            if version is not None:
                media_index = await self.media_index(item, version)
            offset = await self.service.view_offset(item) if resume else 0
            began = time.perf_counter()
            await player.play(item, offset_ms=offset, media_index=media_index)
        except PlextuiError as error:
            return Result(False, "play", str(error), error=error)
        self.active = player
        try:
            state = await self._wait_started(player, item)
        except PlextuiError:
            state = PlaybackState(player=player.info.name, item=item, state="buffering")
        if state is None:
            error = StreamError(self._not_started(player, item))
            return Result(False, "play", str(error), error=error)
        if state.state == "playing" and not player.info.local:  # local records its own
            self.metrics.record("stream.start", time.perf_counter() - began)
        await self.apply_preferences(player)
        user = await self._card_user()
        card = now_playing(state, user) or now_playing(
            PlaybackState(player=player.info.name, item=item, state="playing"), user
        )
        return Result(True, "play", answers.playing(item, player.info.name), {"now": card})

    async def _card_user(self) -> str:
        """Who "now" cards name: the token's account, asked once, when a card first shows it
        (connecting does not wait for it)."""
        if not self.user and not self._user_asked:
            self._user_asked = True
            try:
                self.user = await self.service.account_name() or ""
            except PlextuiError:
                pass
        return self.user

    async def _check_kind(self, item: MediaItem, player: Player) -> None:
        """A video to a music-only player (Plexamp) is refused before anything is sent."""
        media_type = item.media_type
        if item.kind == "playlist" and player.info.kinds != ALL_MEDIA_TYPES:
            kinds = {p.rating_key: p.kind for p in await self.service.playlists()}
            media_type = {"audio": "music", "video": "video"}.get(kinds.get(item.rating_key, ""))
        if not player.info.plays(media_type):
            plays = " and ".join(sorted(player.info.kinds)) or "nothing"
            raise StreamError(
                f"{player.info.name} plays {plays} only; {item.display_title} is {media_type}"
            )

    async def _wait_started(self, player: Player, item: MediaItem) -> PlaybackState | None:
        """The player's state once it plays `item`; None when it never started."""
        deadline = time.monotonic() + self.start_timeout
        while True:
            state = await player.state()
            started = state.state != "stopped" and (
                item.kind in QUEUES
                or state.item is None
                or state.item.rating_key == item.rating_key
            )
            if (started and state.state == "playing") or time.monotonic() >= deadline:
                return state if started else None
            await asyncio.sleep(0.1)

    def _not_started(self, player: Player, item: MediaItem) -> str:
        """Why `play` failed after the player took the command: it could not load the media."""
        if player.error:  # this computer's mpv knows
            return f"{item.display_title} did not start on {player.info.name}: {player.error}"
        return (
            f"{player.info.name} took the command but did not start {item.display_title} "
            f"within {self.start_timeout:g} s: it could not load it from the server "
            f"(can it reach {self.service.url}?)"
        )

    async def _check_device_limit(self, player: Player) -> None:
        sessions = await self.service.sessions()
        others = [s for s in sessions if s.player != player.session_name]
        if len(others) >= self.max_sessions:
            raise SessionError(
                f"device limit reached ({len(others)} of {self.max_sessions} sessions)"
            )

    async def _quality(self, command: Command) -> Result:
        player = await self._current()
        label = await player.set_quality(command.quality or "auto")
        message = answers.quality_set(label, player.info.name)
        return Result(True, "quality", message, {"quality": label})

    async def _now(self, command: Command) -> Result:
        try:
            player = await self._current()
            watched = self.player_watcher and self.player_watcher.latest(player.info.name)
            state = watched or await player.state(FRESH)
            playing = state.item is not None and state.state != "stopped"
            card = now_playing(state, await self._card_user() if playing else "")
        except PlayerError:
            card = None  # several players and none playing or chosen
        return answers.now_result(card)

    async def _search(self, command: Command) -> Result:
        return answers.search_result(await self.service.search(command.query or "", limit=10))

    async def _list_players(self, command: Command) -> Result:
        if command.op:
            return await self._edit_players(command.op, command.address or "")
        infos = [p.info for p in await self.players(refresh=True)]
        active = self._wanted()
        data = {"players": infos, "active": active or None}
        return Result(True, "players", answers.player_list(infos, active), data)

    async def _edit_players(self, op: str, address: str) -> Result:
        """`players add|remove <address>`: kept in plex.players; an added one is probed."""
        self._players = {}  # the next command looks again
        if op == "remove":
            url = await self.discovery.remove(address)
            return Result(True, "players", answers.player_removed(url), {"address": url})
        info = (await self.discovery.add(address)).info
        return Result(True, "players", answers.player_added(info), {"player": info})

    async def _use(self, command: Command) -> Result:
        player = await self.find_player(command.player)
        self.active = player
        await self._remember(player)
        return Result(True, "use", answers.using(player.info.name), {"player": player.info.name})

    async def _sessions(self, command: Command) -> Result:
        return answers.sessions_result(await self.service.sessions())

    async def _libraries(self, command: Command) -> Result:
        libraries = await self.service.libraries()
        message = answers.library_list(libraries)
        return Result(True, "libraries", message, {"libraries": libraries})

    async def _playlists(self, command: Command) -> Result:
        playlists = await self.service.playlists()
        message = answers.playlist_list(playlists)
        return Result(True, "playlists", message, {"playlists": playlists})

    async def _history(self, command: Command) -> Result:
        entries = await self.service.history(size=20)
        return Result(True, "history", answers.history_list(entries), {"history": entries})

    async def _continue(self, command: Command) -> Result:
        page = await self.service.on_deck(20)
        items = list(page.items)
        return Result(True, "continue", answers.continue_list(items), {"items": items})

    async def _recent(self, command: Command) -> Result:
        """`recent [library]`: the newest additions, everywhere or in the named library."""
        library = None
        if command.library:
            libraries = await self.service.libraries()
            library = answers.find_library(libraries, command.library)
        page = await (
            self.service.section_recent(library, 0, 20)
            if library is not None
            else self.service.recently_added(20)
        )
        items = list(page.items)
        where = library.title if library is not None else None
        return Result(True, "recent", answers.recent_list(items, where), {"items": items})

    async def _stats(self, command: Command) -> Result:
        """The cache of this server, with the hits and misses this process counted."""
        cache = self.service.cache
        stats = (await asyncio.to_thread(cache.stats)).to_dict() if cache is not None else None
        return Result(True, "stats", answers.cache_stats(stats), {"cache": stats})

    async def _help(self, command: Command) -> Result:
        return answers.help_result(command.topic)


def _server_players(service: PlexService) -> Discovery:
    """The server's players only (a bare controller's; runtime's adds GDM etc.)."""
    from plextui.plex.discovery import Discovery

    return Discovery(service)
