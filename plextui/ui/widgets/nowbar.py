"""NowPlayingBar: the always-visible strip with title, player, progress and volume.

The player watcher (plex/playerwatch.py) publishes the active player's state only when it
changes; between those events the bar moves the position on by itself, by the same rule
the watcher uses to decide what is news (a playing item advances at 1x), so progress looks
smooth without more requests. For the same reason a bar mounted later (a screen pushed
while something plays) starts from the app's last published state, not from nothing.
"""

from __future__ import annotations

import time

from textual.markup import escape
from textual.widgets import Static

from plextui.core.models import PlaybackState
from plextui.core.text import progress_bar
from plextui.core.timecode import format_clock
from plextui.plex.playerwatch import interpolated

DECISIONS = {"directplay": "Direct Play", "directstream": "Direct Stream", "transcode": "Transcode"}
ICONS = {"playing": "▶", "paused": "‖", "buffering": "…", "stopped": "■"}


def position(state: PlaybackState, shown_at: float, now: float) -> int:
    """The position `now`, for a state shown (just read) at `shown_at`."""
    return interpolated(state, now - shown_at)


def bar_text(
    state: PlaybackState | None, player: str, position_ms: int, width: int, extra: str = ""
) -> str:
    """Two lines of markup: what plays where, then the progress bar with times."""
    if state is None or state.item is None or state.state == "stopped":
        where = f"on {escape(player)}" if player else "no player chosen — press c"
        return f"[dim]■ Nothing playing {where}[/dim]\n"
    item = state.item
    duration = state.duration_ms or item.duration_ms or 0
    icon = ICONS.get(state.state, "")
    facts = [f"on {escape(state.player)}", state.state]
    if state.volume is not None:
        facts.append(f"vol {state.volume}")
    if state.shuffle:
        facts.append("⤮ shuffle")
    if state.repeat != "off":
        facts.append(f"↻ repeat {state.repeat}")
    quality = " · ".join(
        q for q in (state.quality, DECISIONS.get(state.decision or "", ""), extra) if q
    )
    if quality:
        facts.append(escape(quality))
    line1 = f"{icon} [b]{escape(item.display_title)}[/b]  [dim]{'  '.join(facts)}[/dim]"
    times = f"{format_clock(position_ms)} / {format_clock(duration)}"
    fraction = position_ms / duration if duration else 0.0
    bar = progress_bar(fraction, max(10, width - len(times) - 3))
    return f"{line1}\n[$accent]{bar}[/] {times}"


class NowPlayingBar(Static):
    """Renders the last published PlaybackState, re-drawn four times a second while playing."""

    DEFAULT_CSS = """
    NowPlayingBar {
        height: 2; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.state: PlaybackState | None = None
        self.player = ""
        self.extra = ""
        self._shown_at = time.monotonic()

    def on_mount(self) -> None:
        self.set_interval(0.25, self._tick)
        last = getattr(self.app, "last_playback", None)  # PlexApp's; absent in a bare App
        if last is not None:
            self.show(*last())
        else:
            self._draw()

    def show(
        self,
        state: PlaybackState | None,
        player: str,
        extra: str = "",
        shown_at: float | None = None,
    ) -> None:
        """Show `state` of `player`, as read at `shown_at` (now when not given)."""
        self.state, self.player, self.extra = state, player, extra
        self._shown_at = time.monotonic() if shown_at is None else shown_at
        self._draw()

    def _tick(self) -> None:
        if self.state is not None and self.state.state == "playing":
            self._draw()

    def _draw(self) -> None:
        pos = position(self.state, self._shown_at, time.monotonic()) if self.state else 0
        width = max(20, self.size.width - 2)
        self.update(bar_text(self.state, self.player, pos, width, self.extra))
