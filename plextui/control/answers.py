"""What commands answer: the Result every front end gets, and all the text it is made of.

A Result carries typed values in `data` (a NowPlaying card, MediaItems, PlayerInfos,
Playlists …) so front ends in this process use them as they are; `to_json` is the one
place they become JSON, where the answer leaves the process (`ctl --json`, Discord
replies). The sentences a command answers with are written here, each in one function,
so the TUI, `ctl` and Discord say the same thing; refusals are the errors raised where
the problem is found (control/, plex/), and a failed Result carries their text.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plextui.core.commands import HELP, Command
from plextui.core.models import (
    HistoryEntry,
    Library,
    MediaItem,
    NowPlaying,
    PlaybackState,
    PlayerInfo,
    Playlist,
    SessionInfo,
)
from plextui.core.playlist_grammar import OPS
from plextui.core.serial import to_plain
from plextui.core.timecode import format_clock
from plextui.errors import MediaError, PlextuiError, exit_code


@dataclass(frozen=True)
class Result:
    """What a command did: a short human answer and typed data (schema in the README)."""

    ok: bool
    verb: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    error: PlextuiError | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.error is None else exit_code(self.error)

    def to_json(self) -> dict[str, Any]:
        """The answer as JSON-able data: the edge where typed values become plain."""
        out: dict[str, Any] = {"ok": self.ok, "command": self.verb, "message": self.message}
        out["data"] = to_plain(self.data)
        if self.error is not None:
            out["error"] = type(self.error).__name__
        return out


# What answers one verb: the Controller's table maps each verb to one of these.
Handler = Callable[[Command], Awaitable[Result]]

# What a failed verb was trying to do, where the verb is not itself a verb of speech
# ("Could not set the quality: …", never "Could not quality: …").
ATTEMPTS = {
    "quality": "set the quality",
    "volume": "set the volume",
    "shuffle": "change shuffle",
    "repeat": "change repeat",
    "toggle": "pause or resume",
    "prev": "go back",
    "next": "skip",
    "now": "show what is playing",
    "players": "list the players",
    "use": "switch players",
    "sessions": "list the sessions",
    "libraries": "list the libraries",
    "playlists": "list the playlists",
    "playlist": "do that with the playlist",
    "history": "show the history",
    "help": "show help",
}


def failed(verb: str, message: str) -> str:
    """`Could not set the quality: …`: a failure told where the command's verb is not."""
    return f"Could not {ATTEMPTS.get(verb, verb)}: {message}"


def refused(verb: str, error: PlextuiError) -> Result:
    """A command that failed for a reason the user can act on: the error's own words."""
    return Result(False, verb, str(error), error=error)


def internal(verb: str, error: Exception) -> Result:
    """A bug met while answering: said in one line (the traceback goes to the log)."""
    failure = PlextuiError(f"{verb} failed: internal error ({type(error).__name__})")
    return Result(False, verb, str(failure), error=failure)


# --- now playing -------------------------------------------------------------------------


def now_playing(
    state: PlaybackState, user: str = "", now: float | None = None
) -> NowPlaying | None:
    """The card for a player's state; None when nothing plays."""
    if state.item is None or state.state == "stopped":
        return None
    return NowPlaying.for_item(
        state.item,
        state=state.state,
        position_ms=state.position_ms,
        duration_ms=state.duration_ms,
        player=state.player,
        user=user,
        quality=state.quality,
        decision=state.decision,
        now=now if now is not None else time.time(),
    )


def now_result(card: NowPlaying | None) -> Result:
    return Result(True, "now", card_line(card), {"now": card})


def card_line(card: NowPlaying | None) -> str:
    if card is None:
        return "Nothing is playing."
    position = f"{format_clock(card.position_ms)} / {format_clock(card.duration_ms)}"
    return f"{card.state.capitalize()}: {card.title} on {card.player} ({position})"


def playing(item: MediaItem, player: str) -> str:
    return f"Playing {item.display_title} on {player}"


def quality_set(label: str, player: str) -> str:
    return f"Quality {label} on {player}"


# --- transport -----------------------------------------------------------------------------

SENT = {
    "pause": "Paused",
    "resume": "Resumed",
    "stop": "Stopped",
    "next": "Skipped to the next item",
    "prev": "Went back to the previous item",
}
UNCHANGED = {"pause": "Already paused", "resume": "Already playing"}


def sent(action: str, player: str) -> str:
    """`Paused on Living Room TV`: the command went out."""
    return f"{SENT[action]} on {player}"


def unchanged(action: str, player: str) -> str:
    """`Already paused on Living Room TV`: nothing needed sending."""
    return f"{UNCHANGED[action]} on {player}"


def sent_result(verb: str, action: str, player: str) -> Result:
    return Result(True, verb, sent(action, player), {"player": player, "sent": True})


def unchanged_result(verb: str, action: str, player: str) -> Result:
    return Result(True, verb, unchanged(action, player), {"player": player, "sent": False})


def nothing_to_stop(why: str) -> str:
    return why[0].upper() + why[1:]


def seeked(position_ms: int, player: str) -> str:
    return f"Seeked to {format_clock(position_ms)} on {player}"


def volume_set(level: int, player: str) -> str:
    return f"Volume {level} on {player}"


def shuffle_set(on: bool, player: str) -> str:
    """`Shuffle turned on for Living Room TV` (not "Shuffle on on …")."""
    return f"Shuffle turned {'on' if on else 'off'} for {player}"


def repeat_set(mode: str, player: str) -> str:
    """`Repeat set to all for Living Room TV`, `Repeat turned off for …`."""
    return (
        f"Repeat turned off for {player}" if mode == "off" else f"Repeat set to {mode} for {player}"
    )


# --- players -------------------------------------------------------------------------------


def player_line(player: PlayerInfo, active: bool = False) -> str:
    """`* Living Room TV (Plex HTPC) · server, gdm`: where each player was found."""
    line = f"{'*' if active else ' '} {player.name}"
    if product := "mpv" if player.local else player.product:
        line += f" ({product})"
    if player.found_by:
        line += " · " + ", ".join(player.found_by)
    return line if player.reachable else f"{line} · not answering at {player.address}"


def player_list(players: Sequence[PlayerInfo], active: str | None) -> str:
    return "\n".join(player_line(p, p.name == active) for p in players) or "No players found."


def player_added(info: PlayerInfo) -> str:
    if info.reachable:
        return f"Added {info.name} ({info.product}) at {info.address}"
    return f"Added {info.address}; it does not answer now, so it is listed as unreachable"


def player_removed(url: str) -> str:
    return f"Removed {url} from plex.players"


def using(player: str) -> str:
    return f"Using {player}"


# --- listings ------------------------------------------------------------------------------


def session_line(session: SessionInfo) -> str:
    title = session.item.display_title if session.item else "?"
    speed = f" {session.transcode_speed:.1f}x" if session.transcode_speed else ""
    bandwidth = f", {session.bandwidth_kbps} kbps" if session.bandwidth_kbps else ""
    return (
        f"{session.user} on {session.player}: {title} [{session.state}, {session.decision}{speed}"
        f"{bandwidth}, {session.location.upper()}]"
    )


def session_list(sessions: Sequence[SessionInfo]) -> str:
    return "\n".join(session_line(s) for s in sessions) or "Nothing is streaming."


def sessions_result(sessions: list[SessionInfo]) -> Result:
    return Result(True, "sessions", session_list(sessions), {"sessions": sessions})


def search_result(items: list[MediaItem]) -> Result:
    return Result(True, "search", search_list(items), {"items": items})


def search_list(items: Sequence[MediaItem]) -> str:
    return "\n".join(f"{i.kind:8} {i.display_title}" for i in items) or "No results."


def library_list(libraries: Sequence[Library]) -> str:
    return "\n".join(f"{lib.title} ({lib.type}, {lib.count} items)" for lib in libraries)


def continue_list(items: Sequence[MediaItem]) -> str:
    """`continue`: each item with where it was left (`at 12:05 of 45:10`)."""
    lines = []
    for item in items:
        where = format_clock(item.view_offset_ms)
        total = f" of {format_clock(item.duration_ms)}" if item.duration_ms else ""
        lines.append(f"{item.kind:8} {item.display_title}  at {where}{total}")
    return "\n".join(lines) or "Nothing to continue watching."


def recent_list(items: Sequence[MediaItem], library: str | None = None) -> str:
    """`recent [library]`: newest first, with the day each was added."""
    lines = []
    for item in items:
        day = time.strftime("%Y-%m-%d", time.localtime(item.added_at)) if item.added_at else ""
        lines.append(f"{item.kind:8} {item.display_title}  {day}".rstrip())
    return "\n".join(lines) or f"Nothing added to {library or 'any library'} lately."


def find_library(libraries: Sequence[Library], name: str) -> Library:
    """The library called `name` (any case); MediaError naming the ones there are."""
    wanted = name.casefold()
    found = next((lib for lib in libraries if lib.title.casefold() == wanted), None)
    if found is None:
        found = next((lib for lib in libraries if lib.title.casefold().startswith(wanted)), None)
    if found is None:
        names = ", ".join(lib.title for lib in libraries) or "none"
        raise MediaError(f"no library called '{name}'; the libraries are {names}")
    return found


def playlist_list(playlists: Sequence[Playlist]) -> str:
    return "\n".join(f"{p.title} ({p.count} items)" for p in playlists) or "No playlists."


def history_list(entries: Sequence[HistoryEntry]) -> str:
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(e.viewed_at))} {e.user}: "
        f"{e.item.display_title}"
        for e in entries
    ]
    return "\n".join(lines) or "No history."


def help_result(topic: str | None = None) -> Result:
    """`help [verb]`: the grammar's own table, so it needs no server."""
    verbs = [topic] if topic else list(HELP)
    data = {"commands": {v: HELP[v][0] for v in verbs}}
    return Result(True, "help", help_list(verbs), data)


def help_list(verbs: Sequence[str]) -> str:
    width = max(len(HELP[v][0]) for v in verbs)
    return "\n".join(f"{HELP[v][0]:{width}}  {HELP[v][1]}" for v in verbs)


# --- playlist edits --------------------------------------------------------------------------


def count(n: int) -> str:
    """`1 item`, `3 items`."""
    return f"{n} item{'' if n == 1 else 's'}"


def playlist_forms() -> str:
    return "\n".join(f"{usage:50} {about}" for usage, about in OPS.values())


def playlist_shown(playlist: Playlist, titles: Sequence[str]) -> str:
    smart = " (smart)" if playlist.smart else ""
    lines = [f"{playlist.title}{smart}: {count(len(titles))}"]
    return "\n".join(lines + [f"{n:>4}. {title}" for n, title in enumerate(titles, 1)])


def playlist_created(playlist: Playlist, item: MediaItem) -> str:
    return f"Created playlist '{playlist.title}' with {item.display_title}"


def playlist_added(item: MediaItem, after: Playlist) -> str:
    return f"Added {item.display_title} to '{after.title}' (now {count(after.count)})"


def playlist_removed(item: MediaItem, position: int, after: Playlist) -> str:
    return (
        f"Removed {item.display_title} (was {position}) from '{after.title}' "
        f"(now {count(after.count)})"
    )


def playlist_in_place(item: MediaItem, position: int, playlist: Playlist) -> str:
    return f"{item.display_title} is already at {position} in '{playlist.title}'"


def playlist_moved(item: MediaItem, moves: tuple[int, int, int], playlist: Playlist) -> str:
    """`moves` is (from, to, of how many)."""
    before, after, total = moves
    return f"Moved {item.display_title} from {before} to {after} of {total} in '{playlist.title}'"


def playlist_renamed(before: Playlist, after: Playlist) -> str:
    return f"Renamed playlist '{before.title}' to '{after.title}'"


def playlist_deleted(playlist: Playlist) -> str:
    return f"Deleted playlist '{playlist.title}' ({count(playlist.count)})"


# --- cache statistics (`ctl stats`) --------------------------------------------------------

NO_CACHE = "No cache yet for this server: connect once (plextui ctl libraries)."


def _ratio(row: dict[str, Any]) -> str:
    """`75%`, or `–` when nothing was read (a ratio of no reads is not 0 %)."""
    return f"{row['hit_ratio']:.0%}" if row["hits"] + row["misses"] else "–"


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}{'es' if noun.endswith('s') else 's'}"


def cache_stats(stats: dict[str, Any] | None) -> str:
    """The cache of the configured server: totals with the hit ratio, then one row per kind.

    `stats` is `CacheStats.to_dict()`. Hits and misses are counted by the process that
    reads, so a fresh `ctl stats` has none of its own and says where they are seen."""
    if stats is None:
        return NO_CACHE
    lines = [
        f"{stats['backend']} cache: {stats['entries']} entries, {stats['size_bytes']} bytes, "
        f"hit ratio {_ratio(stats)} ({_counted(stats['hits'], 'hit')}, "
        f"{_counted(stats['misses'], 'miss')})"
    ]
    if not stats["hits"] + stats["misses"]:
        lines.append("(hits are counted by the process that reads: the TUI shows them under S)")
    lines.append(f"{'kind':12} {'entries':>8} {'bytes':>10} {'hit ratio':>10}")
    for kind, row in stats["kinds"].items():
        lines.append(f"{kind:12} {row['entries']:8} {row['size_bytes']:10} {_ratio(row):>10}")
    return "\n".join(lines)
