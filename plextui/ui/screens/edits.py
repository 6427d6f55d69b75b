"""Edits from the main list: watched state and playlists (add, remove, reorder, rename,
delete); `m` marks several rows and `a` then adds them all in one request.

Kept apart from MainScreen's navigation; every edit runs in a worker and reports in a
notification. Nothing stays stale after a write: the service tells its `written`
listeners once it has dropped the cached answers a write made wrong (ours here, a local
play's scrobble, a `ctl`/Discord command run in this process), and the screen then forgets
the details it holds and reloads the list, which redraws the highlighted row's details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.screen import Screen

from plextui.core.commands import Command
from plextui.core.models import MediaItem, Playlist
from plextui.errors import PlextuiError
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, InputDialog
from plextui.ui.sources import PlaylistItemsSource

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime
    from plextui.ui.sources import Source
    from plextui.ui.widgets.itemlist import ItemList

NEW = "__new__"


class EditActions(Screen):
    """The editing half of MainScreen, which provides `rt`, `items` and `source`."""

    rt: Runtime
    items: ItemList
    source: Source | None
    _details: dict[str, MediaItem]  # full items already fetched for the detail pane

    class Written(Message):
        """The service dropped cached answers after a write: what is shown may be stale."""

    def on_mount(self) -> None:  # Textual calls this as well as MainScreen's own
        self.rt.service.written.append(self._written)

    def on_unmount(self) -> None:
        if self._written in self.rt.service.written:
            self.rt.service.written.remove(self._written)

    def _written(self, prefixes: tuple[str, ...]) -> None:
        self.post_message(self.Written())

    def on_edit_actions_written(self, message: Written) -> None:
        """Refetch what is on screen; the reload announces the highlighted row again, whose
        details are then fetched afresh. Runs after the writing worker's own next steps
        (a move sets the cursor where the moved row lands)."""
        self._details.clear()
        self.items.reload()

    def _item(self) -> MediaItem | None:
        row = self.items.current
        return self.source.item(row) if row is not None and self.source else None

    async def _attempt(self, what: str, call) -> bool:
        try:
            await call
        except PlextuiError as error:
            self.notify(f"{what}: {error}", severity="error")
            return False
        return True

    @work(group="edit")
    async def action_watched(self) -> None:
        item = self._item()
        if item is None:
            return
        watched = not item.watched
        if await self._attempt("Mark watched", self.rt.service.mark_watched(item, watched)):
            state = "watched" if watched else "unwatched"
            self.notify(f"Marked {item.display_title} {state}")

    def action_mark(self) -> None:
        """`m`: mark the row for `a` (add to playlist); marked rows show a ✓."""
        if self.items.toggle_mark():
            self.notify(f"{len(self.items.marked)} marked: a adds them to a playlist", timeout=2)

    @work(group="edit")
    async def action_add_to_playlist(self) -> None:
        """Add the marked rows (or the highlighted one) to a playlist, in one request."""
        chosen = list(self.items.marked.values())
        item = chosen[0] if chosen else self._item()
        if item is None:
            return
        chosen = chosen or [item]
        what = item.display_title if len(chosen) == 1 else f"{len(chosen)} items"
        try:
            playlists = [p for p in await self.rt.service.playlists() if not p.smart]
        except PlextuiError as error:
            self.notify(str(error), severity="error")
            return
        choices = [(NEW, "New playlist…")] + [(p.rating_key, p.title) for p in playlists]
        app = self.app
        choice = await app.push_screen_wait(ChoiceDialog(f"Add {what} to", choices))
        if choice is None:
            return
        if choice == NEW:
            title = await app.push_screen_wait(InputDialog("New playlist", "Name"))
            if title and await self._attempt(
                "Create playlist", self.rt.service.create_playlist(title, chosen)
            ):
                self.items.clear_marks()
                self.notify(f"Created playlist {title}")
        else:
            playlist = next(p for p in playlists if p.rating_key == choice)
            if await self._attempt(
                "Add to playlist", self.rt.service.add_to_playlist(playlist, chosen)
            ):
                self.items.clear_marks()
                added = "" if len(chosen) == 1 else f"{len(chosen)} items "
                self.notify(f"Added {added}to {playlist.title}")

    @work(group="edit")
    async def action_remove_from_playlist(self) -> None:
        source, item = self.source, self._item()
        if not isinstance(source, PlaylistItemsSource) or item is None or not source.playlist:
            return
        call = self.rt.service.remove_from_playlist(source.playlist, item)
        if await self._attempt("Remove", call):
            self.notify(f"Removed {item.display_title}")

    @work(group="edit")
    async def action_move(self, delta: int) -> None:
        """Move the highlighted item one place up or down (Plex moves *after* an item)."""
        source, item, index = self.source, self._item(), self.items.cursor
        target = index + delta
        if not isinstance(source, PlaylistItemsSource) or item is None or not source.playlist:
            return
        if not 0 <= target < self.items.total:
            return
        after_index = target if delta > 0 else target - 1
        after = await self.items.get(after_index) if after_index >= 0 else None
        call = self.rt.service.move_in_playlist(source.playlist, item, after)
        if await self._attempt("Move", call):
            self.items.cursor = target  # where the reload after the write keeps it

    @work(group="edit")
    async def action_rename_playlist(self) -> None:
        """F2 on a playlist (or inside one): rename it through the controller's `playlist
        rename`, which refuses a name another playlist has."""
        row, source = self.items.current, self.source
        playlist = row if isinstance(row, Playlist) else None
        if playlist is None and isinstance(source, PlaylistItemsSource):
            playlist = source.playlist
        if playlist is None:
            return
        dialog = InputDialog(f"Rename '{playlist.title}'", "New name", playlist.title)
        name = (await self.app.push_screen_wait(dialog) or "").strip()
        if not name or name == playlist.title:
            return
        command = Command("playlist", op="rename", playlist=playlist.title, name=name)
        result = await self.rt.controller.execute(command)
        self.notify(result.message, severity="information" if result.ok else "error")
        if result.ok and isinstance(source, PlaylistItemsSource) and source.playlist:
            source.playlist = result.data.get("playlist", source.playlist)
            source.title = name
            self.show(source, self.items.cursor)  # type: ignore[attr-defined]

    def action_delete_playlist(self) -> None:
        row = self.items.current
        if not isinstance(row, Playlist):
            return

        def answered(answer: str | None) -> None:
            if answer is not None:
                self.delete_playlist(row)

        self.app.push_screen(
            ConfirmDialog(f"Delete playlist '{row.title}'? This cannot be undone."), answered
        )

    @work(group="edit")
    async def delete_playlist(self, playlist: Playlist) -> None:
        if await self._attempt("Delete", self.rt.service.delete_playlist(playlist)):
            self.notify(f"Deleted playlist {playlist.title}")
