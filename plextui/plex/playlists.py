"""Playlist operations of PlexService: list, items, create, add, remove, move, delete.

Writes go through the plain HTTP session with the shapes plexapi itself sends (see the
reference §2), and every write drops the cached playlist answers it made wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from urllib.parse import quote, urlencode

from plextui.core.models import MediaItem, Page, Playlist
from plextui.errors import MediaError
from plextui.plex import convert


class PlaylistOps:
    """Mixed into PlexService; uses its run/_cached/_page/invalidate plumbing."""

    async def playlists(self) -> list[Playlist]:
        def fetch() -> list[Playlist]:
            return [convert.playlist(p) for p in self.plex.playlists()]

        return await self.run(self._cached, "playlists", list[Playlist], fetch)

    async def playlist_items(self, playlist: Playlist, start: int = 0, size: int = 200) -> Page:
        fetch = partial(self._page, f"/playlists/{playlist.rating_key}/items", start, size)
        key = f"plitems:{playlist.rating_key}:{start}:{size}"
        return await self.run(self._cached, key, Page, fetch)

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
            pid = self._playlist_item_id(playlist, item)
            key = f"/playlists/{playlist.rating_key}/items/{pid}"
            self.plex.query(key, method=self._http.delete)

        await self.run(remove)
        await self._playlists_changed(playlist)

    async def move_in_playlist(
        self, playlist: Playlist, item: MediaItem, after: MediaItem | None
    ) -> None:
        def move() -> None:
            pid = self._playlist_item_id(playlist, item)
            key = f"/playlists/{playlist.rating_key}/items/{pid}/move"
            if after is not None:
                key += f"?after={self._playlist_item_id(playlist, after)}"
            self.plex.query(key, method=self._http.put)

        await self.run(move)
        await self._playlists_changed(playlist)

    async def delete_playlist(self, playlist: Playlist) -> None:
        key = f"/playlists/{playlist.rating_key}"
        await self.run(lambda: self.plex.query(key, method=self._http.delete))
        await self._playlists_changed(playlist)
