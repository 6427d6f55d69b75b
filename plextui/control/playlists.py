"""The Controller's `playlist …` forms: find the playlist and the item, check, edit, answer.

Mixed into the Controller (controller.py), which provides `service` and `resolve`, so `ctl`,
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

from plextui.control import answers
from plextui.control.answers import Handler, Result, count
from plextui.core.commands import Command
from plextui.core.models import MediaItem, Playlist
from plextui.core.playlist_grammar import OPS
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


class PlaylistCommands:
    """The `playlist` verb, one handler per form; see the module docstring."""

    service: PlexService

    if TYPE_CHECKING:

        async def resolve(self, title: str) -> MediaItem: ...

    def playlist_handlers(self) -> dict[str, Handler]:
        """The verbs this mixin answers, for the Controller's table."""
        return {"playlist": self._playlist}

    async def _playlist(self, command: Command) -> Result:
        forms: dict[str, Handler] = {
            "show": self._playlist_show,
            "create": self._playlist_create,
            "add": self._playlist_add,
            "remove": self._playlist_remove,
            "move": self._playlist_move,
            "rename": self._playlist_rename,
            "delete": self._playlist_delete,
        }
        if command.op is None:
            usages = {op: usage for op, (usage, _about) in OPS.items()}
            return Result(True, "playlist", answers.playlist_forms(), {"commands": usages})
        return await forms[command.op](command)

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
                f"{what} {n} is out of range: '{playlist.title}' has {count(total)} (1-{total})"
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
                f"({count(len(entries))}; playlist show {quote(playlist.title, (), one_word=True)}"
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
        message = answers.playlist_shown(playlist, [e.item.display_title for e in entries])
        data = {"playlist": playlist, "items": [e.item for e in entries]}
        return Result(True, "playlist", message, data)

    async def _playlist_create(self, command: Command) -> Result:
        name = command.playlist or ""
        await self._taken(name)
        item = await self._item_for(None, command.title or "")
        created = await self.service.create_playlist(name, [item])
        message = answers.playlist_created(created, item)
        return Result(True, "playlist", message, {"playlist": created, "item": item})

    async def _playlist_add(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        self._editable(playlist, "add")
        item = await self._item_for(playlist, command.title or "")
        await self.service.add_to_playlist(playlist, [item])
        after = await self._reloaded(playlist)
        message = answers.playlist_added(item, after)
        data = {"playlist": after, "item": item, "added": max(after.count - playlist.count, 0)}
        return Result(True, "playlist", message, data)

    async def _playlist_remove(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        self._editable(playlist, "remove")
        place, entries = await self._entry(playlist, command)
        entry = entries[place]
        await self.service.remove_entry(playlist, entry)
        after = await self._reloaded(playlist)
        message = answers.playlist_removed(entry.item, place + 1, after)
        data = {"playlist": after, "item": entry.item, "position": place + 1}
        return Result(True, "playlist", message, data)

    async def _playlist_move(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        self._editable(playlist, "move")
        place, entries = await self._entry(playlist, command)
        target = command.position or 1
        self._in_range(playlist, target, len(entries), "target position")
        entry = entries[place]
        data = {"playlist": playlist, "item": entry.item, "from": place + 1, "to": target}
        if target == place + 1:
            message = answers.playlist_in_place(entry.item, target, playlist)
            return Result(True, "playlist", message, data)
        rest = [e for n, e in enumerate(entries) if n != place]
        await self.service.move_entry(playlist, entry, rest[target - 2] if target > 1 else None)
        moves = (place + 1, target, len(entries))
        return Result(True, "playlist", answers.playlist_moved(entry.item, moves, playlist), data)

    async def _playlist_rename(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        name = command.name or ""
        await self._taken(name, but=playlist)
        await self.service.rename_playlist(playlist, name)
        after = await self._reloaded(playlist)
        message = answers.playlist_renamed(playlist, after)
        return Result(True, "playlist", message, {"playlist": after, "previous": playlist.title})

    async def _playlist_delete(self, command: Command) -> Result:
        playlist = await self._playlist_named(command)
        await self.service.delete_playlist(playlist)
        message = answers.playlist_deleted(playlist)
        return Result(True, "playlist", message, {"playlist": playlist})
