"""The Controller's `playlist …` forms: find the playlist and the item, check, edit, answer.

Mixed into Controller (control.py), which provides `service` and `resolve`, so `ctl`,
Discord and the TUI palette edit playlists the way the TUI's keys do. Every edit reads
the playlists and their entries fresh from the server: a number means what `playlist
show` printed a moment ago, not what a cache remembered. Playlist names match whole
(any case), never by prefix: `playlist delete Movie` must not delete "Movie Night".
Refusals that depend on what the server holds (no such playlist, ambiguous title,
position out of range, smart playlist) are MediaErrors (exit 1); a name that looks like
a multi-word name left unquoted is a CommandError (exit 2) showing the quoted form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plextui.control.answers import Result
from plextui.core.commands import Command
from plextui.core.models import MediaItem, Playlist
from plextui.core.playlist_grammar import OPS
from plextui.core.serial import to_plain
from plextui.core.words import quote, shown
from plextui.errors import CommandError, MediaError
from plextui.plex.playlists import PlaylistEntry

if TYPE_CHECKING:
    from plextui.plex.server import PlexService

AUDIO = ("track", "album", "artist")
LISTED = 10  # names or candidates an error message lists before "… and N more"
DONE = {"add": "added to", "remove": "removed from", "move": "moved in"}


def _listing(names: list[str]) -> str:
    more = f", … and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _count(n: int) -> str:
    return f"{n} item{'' if n == 1 else 's'}"


class PlaylistCommands:
    """The `_do_playlist` handler and its helpers; see the module docstring."""

    service: PlexService

    if TYPE_CHECKING:

        async def resolve(self, title: str) -> MediaItem: ...

    async def _do_playlist(self, command: Command) -> Result:
        if command.op is None:
            forms = {op: usage for op, (usage, _about) in OPS.items()}
            lines = [f"{usage:50} {about}" for usage, about in OPS.values()]
            return Result(True, "playlist", "\n".join(lines), {"commands": forms})
        handler = getattr(self, f"_playlist_{command.op}")
        return await handler(command)

    # --- finding -------------------------------------------------------------------------

    async def _playlist_named(self, command: Command) -> Playlist:
        """The one playlist called `command.playlist` (whole name, any case)."""
        name = command.playlist or ""
        playlists = await self.service.playlists(fresh=True)
        same = [p for p in playlists if p.title.casefold() == name.casefold()]
        if len(same) == 1:
            return same[0]
        if same:
            raise MediaError(
                f"{len(same)} playlists are called '{shown(name)}'; rename one in Plex first"
            )
        self._unquoted_name(command, playlists)
        names = _listing([p.title for p in playlists]) or "there are none yet"
        raise MediaError(f"no playlist called '{shown(name)}' (playlists: {names})")

    @staticmethod
    def _unquoted_name(command: Command, playlists: list[Playlist]) -> None:
        """`playlist add Movie Night Alien` read "Movie" as the playlist: show the quoted form."""
        if command.title is None:
            return
        typed = f"{command.playlist} {command.title}"
        for playlist in sorted(playlists, key=lambda p: -len(p.title)):
            head = playlist.title + " "
            if typed.casefold().startswith(head.casefold()) and len(typed) > len(head):
                fixed = f"playlist {command.op} {quote(playlist.title, (), one_word=True)} "
                fixed += typed[len(head) :]
                if command.position is not None:
                    fixed += f" to {command.position}"
                raise CommandError(
                    f"no playlist called '{shown(command.playlist or '')}'; quote a name with "
                    f"spaces: {fixed}"
                )

    @staticmethod
    def _editable(playlist: Playlist, op: str) -> None:
        if playlist.smart:
            raise MediaError(
                f"'{playlist.title}' is a smart playlist: Plex fills it from its rules, so "
                f"items cannot be {DONE[op]} it by hand (change its rules in Plex)"
            )

    async def _item_for(self, playlist: Playlist | None, title: str) -> MediaItem:
        """The library item a title names, and that it fits the playlist's kind."""
        item = await self.resolve(title)
        if item.kind == "playlist":
            raise MediaError(
                f"'{item.title}' is a playlist; a playlist holds movies, episodes "
                "or music, not other playlists"
            )
        if playlist is not None and (playlist.kind == "audio") != (item.kind in AUDIO):
            raise MediaError(
                f"{item.display_title} is {_a(item.kind)} and '{playlist.title}' is "
                f"{_a(playlist.kind)} playlist"
            )
        return item

    @staticmethod
    def _in_range(playlist: Playlist, n: int, total: int, what: str = "position") -> None:
        if total == 0:
            raise MediaError(f"'{playlist.title}' is empty")
        if not 1 <= n <= total:
            raise MediaError(
                f"{what} {n} is out of range: '{playlist.title}' has {_count(total)} (1-{total})"
            )

    async def _entry(self, playlist: Playlist, command: Command) -> tuple[int, list[PlaylistEntry]]:
        """The 0-based place of the entry the command names (by number or title)."""
        entries = await self.service.playlist_entries(playlist)
        if command.index is not None:
            self._in_range(playlist, command.index, len(entries))
            return command.index - 1, entries
        wanted = (command.title or "").casefold()
        named = [
            (n, e)
            for n, e in enumerate(entries)
            if wanted in (e.item.title.casefold(), e.item.display_title.casefold())
        ] or [(n, e) for n, e in enumerate(entries) if wanted in e.item.display_title.casefold()]
        if len(named) == 1:
            return named[0][0], entries
        if not named:
            raise MediaError(
                f"nothing called '{shown(command.title or '')}' in '{playlist.title}' "
                f"({_count(len(entries))}; playlist show {quote(playlist.title, (), one_word=True)}"
                " lists them)"
            )
        choices = _listing([f"{n + 1}. {e.item.display_title}" for n, e in named])
        raise MediaError(
            f"'{shown(command.title or '')}' matches {len(named)} items in '{playlist.title}': "
            f"{choices}. Say which by number."
        )

    async def _reloaded(self, playlist: Playlist) -> Playlist:
        """The playlist as the server holds it after an edit (the edit dropped the cache)."""
        for fresh in await self.service.playlists():
            if fresh.rating_key == playlist.rating_key:
                return fresh
        return playlist

    async def _taken(self, name: str, but: Playlist | None = None) -> None:
        for playlist in await self.service.playlists(fresh=True):
            same = but is not None and playlist.rating_key == but.rating_key
            if playlist.title.casefold() == name.casefold() and not same:
                raise MediaError(f"there is already a playlist called '{playlist.title}'")

    # --- the forms -----------------------------------------------------------------------

    async def _playlist_show(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        entries = await self.service.playlist_entries(playlist)
        smart = " (smart)" if playlist.smart else ""
        lines = [f"{playlist.title}{smart}: {_count(len(entries))}"]
        lines += [f"{n:>4}. {e.item.display_title}" for n, e in enumerate(entries, 1)]
        data = {"playlist": to_plain(playlist), "items": to_plain([e.item for e in entries])}
        return Result(True, "playlist", "\n".join(lines), data)

    async def _playlist_create(self, command: Command) -> Result:
        name = command.playlist or ""
        await self._taken(name)
        item = await self._item_for(None, command.title or "")
        created = await self.service.create_playlist(name, [item])
        message = f"Created playlist '{created.title}' with {item.display_title}"
        data = {"playlist": to_plain(created), "item": to_plain(item)}
        return Result(True, "playlist", message, data)

    async def _playlist_add(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        self._editable(playlist, "add")
        item = await self._item_for(playlist, command.title or "")
        await self.service.add_to_playlist(playlist, [item])
        after = await self._reloaded(playlist)
        message = f"Added {item.display_title} to '{after.title}' (now {_count(after.count)})"
        data = {"playlist": to_plain(after), "item": to_plain(item)}
        data["added"] = max(after.count - playlist.count, 0)
        return Result(True, "playlist", message, data)

    async def _playlist_remove(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        self._editable(playlist, "remove")
        place, entries = await self._entry(playlist, command)
        entry = entries[place]
        await self.service.remove_entry(playlist, entry)
        after = await self._reloaded(playlist)
        message = (
            f"Removed {entry.item.display_title} (was {place + 1}) from '{after.title}' "
            f"(now {_count(after.count)})"
        )
        data = {"playlist": to_plain(after), "item": to_plain(entry.item), "position": place + 1}
        return Result(True, "playlist", message, data)

    async def _playlist_move(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        self._editable(playlist, "move")
        place, entries = await self._entry(playlist, command)
        target = command.position or 1
        self._in_range(playlist, target, len(entries), "target position")
        entry = entries[place]
        data = {"playlist": to_plain(playlist), "item": to_plain(entry.item)}
        data |= {"from": place + 1, "to": target}
        if target == place + 1:
            message = f"{entry.item.display_title} is already at {target} in '{playlist.title}'"
            return Result(True, "playlist", message, data)
        rest = [e for n, e in enumerate(entries) if n != place]
        await self.service.move_entry(playlist, entry, rest[target - 2] if target > 1 else None)
        message = (
            f"Moved {entry.item.display_title} from {place + 1} to {target} of "
            f"{len(entries)} in '{playlist.title}'"
        )
        return Result(True, "playlist", message, data)

    async def _playlist_rename(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        name = command.name or ""
        await self._taken(name, but=playlist)
        await self.service.rename_playlist(playlist, name)
        after = await self._reloaded(playlist)
        message = f"Renamed playlist '{playlist.title}' to '{after.title}'"
        data = {"playlist": to_plain(after), "previous": playlist.title}
        return Result(True, "playlist", message, data)

    async def _playlist_delete(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        await self.service.delete_playlist(playlist)
        message = f"Deleted playlist '{playlist.title}' ({_count(playlist.count)})"
        return Result(True, "playlist", message, {"playlist": to_plain(playlist)})
