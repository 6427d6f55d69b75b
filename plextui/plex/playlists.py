"""Playlist operations of PlexService: list, items, create, add, remove, move, rename, delete.

Writes go through the plain HTTP session with the shapes plexapi itself sends (see the
reference §2), and every write drops the cached playlist answers it made wrong. Edits by
position read the entries fresh from the server (never the cache): a playlistItemID from
a stale list would remove or move the wrong entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote, urlencode

from plextui.core.models import MediaItem, Page, Playlist
from plextui.errors import MediaError
from plextui.plex import convert


@dataclass(frozen=True)
class PlaylistEntry:
    """One entry of a (dumb) playlist: the same item may be in it twice, each its own id."""

    entry_id: str  # the server's playlistItemID, what remove and move address
    item: MediaItem


class PlaylistOps:
    """Mixed into PlexService; uses its run/_ask/_page/invalidate plumbing."""

    async def playlists(self, *, fresh: bool = False) -> list[Playlist]:
        """Every playlist; `fresh` asks the server (and refreshes the cache) before an edit."""

        def fetch() -> list[Playlist]:
            return [convert.playlist(p) for p in self.plex.playlists()]

        if fresh:
            await self.forget("playlists")
        return await self._ask("playlists", list[Playlist], fetch)

    async def playlist_entries(self, playlist: Playlist) -> list[PlaylistEntry]:
        """Every entry in order, from the server; empty for a smart playlist's rules."""

        def fetch() -> list[PlaylistEntry]:
            key = f"/playlists/{playlist.rating_key}/items"
            found = self.plex.findItems(self.plex.query(key), initpath=key)
            return [
                PlaylistEntry(str(getattr(i, "playlistItemID", "") or ""), convert.media_item(i))
                for i in found
                if getattr(i, "ratingKey", None)
            ]

        return await self.run(fetch)

    async def playlist_items(self, playlist: Playlist, start: int = 0, size: int = 200) -> Page:
        fetch = partial(self._page, f"/playlists/{playlist.rating_key}/items", start, size)
        key = f"plitems:{playlist.rating_key}:{start}:{size}"
        return await self._ask(key, Page, fetch)

    async def _playlists_changed(self, playlist: Playlist | None = None) -> None:
        await self.forget(
            "playlists", f"plitems:{playlist.rating_key}:" if playlist else "plitems:"
        )

    def _uri(self, keys: Iterable[str]) -> str:
        mid = self.plex.machineIdentifier
        path = quote(f"/library/metadata/{','.join(keys)}", safe="")
        return f"server://{mid}/com.plexapp.plugins.library{path.replace('%2F', '/')}"

    async def create_playlist(self, title: str, items: list[MediaItem]) -> Playlist:
        if not items:
            raise MediaError("a playlist needs at least one item")
        kind = "audio" if items[0].kind in ("track", "album", "artist") else "video"

        def create() -> Playlist:
            params = {
                "smart": 0,
                "title": title,
                "type": kind,
                "uri": self._uri(i.rating_key for i in items),
            }
            data = self.plex.query("/playlists?" + urlencode(params), method=self._http.post)
            return convert.playlist(self.plex.findItems(data)[0])

        created = await self.run(create)
        await self._playlists_changed()
        return created

    async def add_to_playlist(self, playlist: Playlist, items: list[MediaItem]) -> None:
        uri = urlencode({"uri": self._uri(i.rating_key for i in items)})
        key = f"/playlists/{playlist.rating_key}/items?{uri}"
        await self.run(lambda: self.plex.query(key, method=self._http.put))
        await self._playlists_changed(playlist)

    def _playlist_item_id(self, playlist: Playlist, item: MediaItem) -> str:
        data = self.plex.query(f"/playlists/{playlist.rating_key}/items")
        for elem in data:
            if elem.attrib.get("ratingKey") == item.rating_key:
                return elem.attrib["playlistItemID"]
        raise MediaError(f"'{item.title}' is not in playlist '{playlist.title}'")

    async def remove_from_playlist(self, playlist: Playlist, item: MediaItem) -> None:
        def remove() -> None:
            self._remove(playlist, self._playlist_item_id(playlist, item))

        await self.run(remove)
        await self._playlists_changed(playlist)

    def _remove(self, playlist: Playlist, entry_id: str) -> None:
        key = f"/playlists/{playlist.rating_key}/items/{entry_id}"
        self.plex.query(key, method=self._http.delete)

    async def remove_entry(self, playlist: Playlist, entry: PlaylistEntry) -> None:
        await self.run(self._remove, playlist, entry.entry_id)
        await self._playlists_changed(playlist)

    async def move_in_playlist(
        self, playlist: Playlist, item: MediaItem, after: MediaItem | None
    ) -> None:
        def move() -> None:
            pid = self._playlist_item_id(playlist, item)
            self._move(playlist, pid, self._playlist_item_id(playlist, after) if after else None)

        await self.run(move)
        await self._playlists_changed(playlist)

    def _move(self, playlist: Playlist, entry_id: str, after_id: str | None) -> None:
        """Plex moves an entry to just after another one, or to the front without `after`."""
        key = f"/playlists/{playlist.rating_key}/items/{entry_id}/move"
        if after_id is not None:
            key += f"?after={after_id}"
        self.plex.query(key, method=self._http.put)

    async def move_entry(
        self, playlist: Playlist, entry: PlaylistEntry, after: PlaylistEntry | None
    ) -> None:
        await self.run(self._move, playlist, entry.entry_id, after.entry_id if after else None)
        await self._playlists_changed(playlist)

    async def rename_playlist(self, playlist: Playlist, title: str) -> None:
        """As plexapi's `Playlist.editTitle`: the field's new value, locked against agents."""
        query = urlencode({"title.value": title, "title.locked": 1})
        key = f"/playlists/{playlist.rating_key}?{query}"
        await self.run(lambda: self.plex.query(key, method=self._http.put))
        await self._playlists_changed(playlist)

    async def delete_playlist(self, playlist: Playlist) -> None:
        key = f"/playlists/{playlist.rating_key}"
        await self.run(lambda: self.plex.query(key, method=self._http.delete))
        await self._playlists_changed(playlist)
