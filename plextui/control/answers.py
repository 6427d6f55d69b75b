"""What commands answer: the Result every front end prints, and the lines it is made of."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from plextui.core.models import NowPlaying, PlaybackState, Player, SessionInfo
from plextui.core.timecode import format_clock
from plextui.errors import PlextuiError, exit_code


@dataclass(frozen=True)
class Result:
    """What a command did: a short human answer and JSON-able data (schema in the README)."""

    ok: bool
    verb: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    error: PlextuiError | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.error is None else exit_code(self.error)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "command": self.verb, "message": self.message}
        out["data"] = self.data
        if self.error is not None:
            out["error"] = type(self.error).__name__
        return out


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


def player_line(player: Player, active: bool = False) -> str:
    """`* Living Room TV (Plex HTPC) · server, gdm`: where each player was found."""
    line = f"{'*' if active else ' '} {player.name}"
    if player.product:
        line += f" ({player.product})"
    if player.found_by:
        line += " · " + ", ".join(player.found_by)
    return line if player.reachable else f"{line} · not answering at {player.address}"


def card_line(card: NowPlaying | None) -> str:
    if card is None:
        return "Nothing is playing."
    position = f"{format_clock(card.position_ms)} / {format_clock(card.duration_ms)}"
    return f"{card.state.capitalize()}: {card.title} on {card.player} ({position})"


def session_line(session: SessionInfo) -> str:
    title = session.item.display_title if session.item else "?"
    speed = f" {session.transcode_speed:.1f}x" if session.transcode_speed else ""
    bandwidth = f", {session.bandwidth_kbps} kbps" if session.bandwidth_kbps else ""
    return (
        f"{session.user} on {session.player}: {title} [{session.state}, {session.decision}{speed}"
        f"{bandwidth}, {session.location.upper()}]"
    )
