"""The track half of LocalPlayer: which audio and subtitles mpv plays, and switching them.

Kept apart from the player's lifecycle (local.py) because tracks have rules of their
own: mpv is told the audio language before the first frame (`alang`), the server's
sidecar subtitles are added after each load, and a transcode carries only one audio
track, so another language there is saved as the part's default on the server and the
stream reopened where it was. LocalPlayer holds the state these methods read (declared
below) and provides `_require` (the running mpv) and `_restart` (reopen at the position).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plextui.core.models import StreamInfo
from plextui.core.tracks import Tracks
from plextui.errors import StreamError
from plextui.plex.tracks import add_sidecars, select

if TYPE_CHECKING:
    from plextui.core.quality import Decision
    from plextui.plex.mpv import MpvClient
    from plextui.plex.server import PlexService


class LocalTracks:
    """Mixed into LocalPlayer; a quality restart plays the tracks kept in `_tracks` again."""

    service: PlexService
    _tracks: Tracks  # the playing version's tracks, selected as mpv plays them
    _sids: dict[int, int]  # subtitle stream id → mpv sid, for this load
    _decision: Decision | None
    _notify: Callable[[str], None]

    def _track_options(self) -> dict[str, Any]:
        """mpv's own language preference for the file's audio (`alang`), so the first
        frame already plays the chosen language; sidecar subtitles come after the load."""
        audio = self._tracks.selected_audio
        return {"alang": audio.language_code} if audio and audio.language_code else {}

    async def _load_tracks(self, mpv: MpvClient, one_audio: bool) -> None:
        """Give mpv the sidecar subtitles and select the tracks the server (or the
        preferences) ask for; a subtitle that fails to load leaves playback as it is.
        A transcode carries only the part's selected audio track (`one_audio`)."""
        self._sids = await add_sidecars(mpv, self._tracks, self._sub_url)
        audio, subtitle = self._tracks.selected_audio, self._tracks.selected_subtitle
        try:
            await select(
                mpv,
                self._tracks,
                self._sids,
                audio,
                subtitle,
                subtitle is None,
                one_audio=one_audio,
            )
        except StreamError as error:
            self._notify(str(error))

    async def _sub_url(self, key: str) -> str:
        return await self.service.run(lambda: self.service.plex.url(key, True))

    async def tracks(self) -> Tracks:
        self._require()
        return self._tracks

    async def set_tracks(
        self, audio: StreamInfo | None, subtitle: StreamInfo | None, off: bool = False
    ) -> None:
        """Switch mpv's `aid` / `sid`; kept, so a quality restart plays them again.

        A transcode carries one audio track: another language restarts the stream where
        it was, asking the transcoder for that track (`audioStreamID`). The server's
        default is left alone here: the Controller saves a person's pick, and preferences
        applied at start must not rewrite it."""
        mpv = self._require()
        transcoding = self._decision is not None and self._decision.kind != "directplay"
        changes_audio = audio is not None and audio != self._tracks.selected_audio
        chosen = self._tracks.choosing(
            audio.id if audio else None,
            subtitle.id if subtitle else (0 if off else None),
        )
        if transcoding and changes_audio:
            self._tracks = chosen
            await self._restart()
            return
        await select(mpv, self._tracks, self._sids, audio, subtitle, off, one_audio=transcoding)
        self._tracks = chosen
