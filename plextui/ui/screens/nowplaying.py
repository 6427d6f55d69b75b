"""NowPlayingScreen: the full card, the same NowPlaying model Discord is sent.

The app shows it each state the player watcher publishes; between those the position
moves on as on the bar.
"""

from __future__ import annotations

import time
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static

from plextui.control.answers import now_playing
from plextui.core.models import NowPlaying, PlaybackState
from plextui.core.text import progress_bar
from plextui.core.timecode import format_clock
from plextui.ui.widgets.nowbar import DECISIONS, ICONS, position


def card_markup(card: NowPlaying | None, player: str, extra: str) -> str:
    if card is None:
        where = f" on {escape(player)}" if player else ""
        return f"[dim]Nothing playing{where}.\n\nPick something and press enter.[/dim]"
    lines = [f"[b]{escape(card.title)}[/b]"]
    if card.subtitle:
        lines.append(escape(card.subtitle))
    lines.append("")
    lines.append(f"{ICONS.get(card.state, '')} {card.state.capitalize()} on {escape(card.player)}")
    times = f"{format_clock(card.position_ms)} / {format_clock(card.duration_ms)}"
    lines.append(f"[$accent]{progress_bar(card.progress, 50)}[/] {times}")
    quality = " · ".join(
        q for q in (card.quality, DECISIONS.get(card.decision or "", ""), extra) if q
    )
    lines.append("")
    lines.append(f"[dim]Quality[/dim]   {escape(quality or 'chosen by the player')}")
    if card.year:
        lines.append(f"[dim]Year[/dim]      {card.year}")
    lines.append("")
    lines.append(
        "[dim]space play/pause · ←/→ 10 s · shift+←/→ 1 min · n/p next/prev · +/- volume · s stop[/dim]"
    )
    return "\n".join(lines)


class NowPlayingScreen(Screen):
    BINDINGS = [
        Binding("escape,i", "app.pop_screen", "Back", id="nowplaying.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._state: PlaybackState | None = None
        self._player = ""
        self._extra = ""
        self._shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        with Vertical(classes="card"):
            yield Static("", id="card")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show(getattr(self.app, "playback", None), "", "")
        self.set_interval(0.5, self._draw)

    def show(self, state: PlaybackState | None, player: str, extra: str) -> None:
        self._state, self._player, self._extra = state, player, extra
        self._shown_at = time.monotonic()
        self._draw()

    def _draw(self) -> None:
        state = self._state
        card = None
        if state is not None:
            moved = position(state, self._shown_at, time.monotonic())
            card = now_playing(state, now=0.0)
            if card is not None:
                card = replace(card, position_ms=moved)
        self.query_one("#card", Static).update(card_markup(card, self._player, self._extra))
