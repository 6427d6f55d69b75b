"""The track verbs (`audio`, `subtitles`), the preferred tracks at start, and versions.

Mixed into the Controller (controller.py), beside the transport verbs, whose `_playing`
finds the player and what it plays. A track is named by language or number
(core.tracks); the player switches (mpv's `aid`/`sid` here, `setStreams` on a Plex
player) and the server keeps the choice as the part's default, as Plex apps do, so the
item plays that way next time on any player. When playback starts, the configured
languages and subtitle mode (`playback.*`) are applied the same way, without touching the
server's default. `play … --version` picks which of an item's files plays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from plextui.control.answers import Handler, Result
from plextui.core.commands import Command
from plextui.core.models import MediaItem, StreamInfo
from plextui.core.tracks import (
    Tracks,
    pick_audio,
    pick_subtitle,
    pick_version,
    preferred,
    track_label,
    version_label,
)
from plextui.errors import PlextuiError
from plextui.plex.tracks import save_default

if TYPE_CHECKING:
    from plextui.core.models import PlaybackState
    from plextui.plex.players import Player
    from plextui.plex.server import PlexService


@dataclass(frozen=True)
class TrackPreferences:
    """`playback.audio_language`, `playback.subtitle_language`, `playback.subtitle_mode`."""

    audio_language: str = ""
    subtitle_language: str = ""
    subtitle_mode: str = "auto"

    @property
    def any(self) -> bool:
        return bool(self.audio_language or self.subtitle_language or self.subtitle_mode == "off")


class TrackCommands:
    """The track verbs of the Controller, and what `play` does about tracks and versions."""

    service: PlexService
    active: Player | None
    track_preferences: TrackPreferences = TrackPreferences()
    if TYPE_CHECKING:

        async def _playing(self) -> tuple[Player, PlaybackState]: ...

    def track_handlers(self) -> dict[str, Handler]:
        return {"audio": self._audio, "subtitles": self._subtitles}

    async def playing_tracks(self) -> tuple[str, str, Tracks]:
        """(player, title, tracks) of what plays where a command would go: for a picker."""
        player, state = await self._playing()
        title = state.item.display_title if state.item else "what plays"
        return player.info.name, title, await player.tracks()

    async def _audio(self, command: Command) -> Result:
        player, state = await self._playing()
        tracks = await player.tracks()
        title = state.item.display_title if state.item else "what plays"
        stream = pick_audio(tracks, command.track or "", title)
        await self._switch(player, tracks, stream, None, False)
        message = f"Audio: {track_label(stream)} on {player.info.name}"
        return Result(True, "audio", message, {"player": player.info.name, "audio": stream})

    async def _subtitles(self, command: Command) -> Result:
        player, state = await self._playing()
        tracks = await player.tracks()
        title = state.item.display_title if state.item else "what plays"
        stream = pick_subtitle(tracks, command.track or "", title)
        await self._switch(player, tracks, None, stream, stream is None)
        shown = track_label(stream) if stream else "off"
        message = f"Subtitles: {shown} on {player.info.name}"
        return Result(True, "subtitles", message, {"player": player.info.name, "subtitle": stream})

    async def _switch(
        self,
        player: Player,
        tracks: Tracks,
        audio: StreamInfo | None,
        subtitle: StreamInfo | None,
        off: bool,
    ) -> None:
        """The player switches; the server keeps it as the part's default."""
        await player.set_tracks(audio, subtitle, off)
        self.active = player
        if tracks.part_id is not None:
            part = tracks.part_id
            await self.service.run(
                lambda: save_default(self.service.plex, part, audio, subtitle, off)
            )

    async def apply_preferences(self, player: Player) -> None:
        """Once playback started: the configured languages and subtitle mode, where the
        item has such tracks; what the item lacks, or the user picked for it (a selected
        track that is not the file's default), stays as the server chose."""
        if not self.track_preferences.any or player.info.kinds == {"music"}:
            return
        prefs = self.track_preferences
        try:
            tracks = await player.tracks()
            audio, subtitle, off = preferred(
                tracks, prefs.audio_language, prefs.subtitle_language, prefs.subtitle_mode
            )
            if audio == tracks.selected_audio:
                audio = None
            if subtitle == tracks.selected_subtitle:
                subtitle = None
            off = off and tracks.selected_subtitle is not None
            if audio or subtitle or off:
                await player.set_tracks(audio, subtitle, off)
        except PlextuiError:
            pass  # a player that cannot switch tracks still plays; `audio` will say why

    async def media_index(self, item: MediaItem, version: str | None) -> int:
        """Which file of `item` the user named with `--version` (0 without one)."""
        if version is None:
            return 0
        media = item.media
        if len(media) < 2:  # a search hit lists no files: the item's detail does
            media = (await self.service.item(item.rating_key)).media
        return pick_version(media, version, item.display_title)


def version_choices(item: MediaItem) -> list[tuple[str, str]]:
    """(label, detail) per version, for a picker: `Director's Cut`, `1080p H264 · 9.8 Mbps`."""
    out = []
    for media in item.media:
        rate = f"{media.bitrate_kbps / 1000:.1f} Mbps" if media.bitrate_kbps else ""
        res = version_label(replace(media, title=None))
        detail = " · ".join(p for p in (res if media.title else "", rate) if p)
        out.append((version_label(media), detail))
    return out
