"""UnreachablePlayer: a player discovery found that did not answer at its own address.

It is listed (the picker and `ctl players` show it, with why) so a user sees the TV that
is switched off, but every command is refused with one clear message naming the
address and the reason, instead of being sent somewhere it cannot arrive. A separate
module because it is a Player of its own, not part of how players are found.
"""

from __future__ import annotations

from typing import Any

from plextui.core.models import MediaItem, PlaybackState, PlayerInfo
from plextui.core.timecode import SeekTarget
from plextui.core.tracks import Tracks
from plextui.core.volume import VolumeChange
from plextui.errors import UnreachableError


class UnreachablePlayer:
    """A player that was found but did not answer its own address: listed, never commanded."""

    error: str | None = None

    def __init__(self, info: PlayerInfo, why: str) -> None:
        self.info = info
        self.why = why

    @property
    def session_name(self) -> str:
        return self.info.name

    def _refuse(self) -> Any:
        raise UnreachableError(
            f"player '{self.info.name}' did not answer at {self.info.address} ({self.why})"
        )

    async def play(self, item: MediaItem, offset_ms: int = 0, media_index: int = 0) -> None:
        self._refuse()

    async def tracks(self) -> Tracks:
        return self._refuse()

    async def set_tracks(self, audio: Any, subtitle: Any, off: bool = False) -> None:
        self._refuse()

    async def pause(self) -> None:
        self._refuse()

    async def resume(self) -> None:
        self._refuse()

    async def stop(self) -> None:
        self._refuse()

    async def set_quality(self, name: str) -> str:
        return self._refuse()

    async def seek(self, target: SeekTarget) -> int:
        return self._refuse()

    async def next(self) -> None:
        self._refuse()

    async def prev(self) -> None:
        self._refuse()

    async def volume(self, change: VolumeChange) -> int:
        return self._refuse()

    async def shuffle(self, on: bool) -> bool:
        return self._refuse()

    async def repeat(self, mode: str) -> str:
        return self._refuse()

    async def state(self, max_age: float = 0.0) -> PlaybackState:
        return self._refuse()  # "nothing plays there" would be a guess
