"""The now-playing screen's text: what plays, where, how far, and how it is streamed.

Pure functions of a PlaybackState (and the server's note on the stream), so the screen
only lays them out. Labels sit in a column of their own width; a value never runs into
its label ("Quality  720p", not "Quality720p").
"""

from __future__ import annotations

from textual.markup import escape

from plextui.core.models import MediaItem, PlaybackState
from plextui.core.text import progress_bar
from plextui.core.timecode import format_clock
from plextui.ui.widgets.detail import KIND_LABEL
from plextui.ui.widgets.nowbar import DECISIONS, ICONS

LABEL = 9  # cells of the label column


def fact(label: str, value: str) -> str:
    return f"[dim]{label:<{LABEL}}[/dim]{value}"


def heading(item: MediaItem) -> str:
    """The title large, then the show and episode or the artist and album, then the kind."""
    lines = [f"[b]{escape(item.title)}[/b]"]
    if item.kind == "episode":
        lines.append(
            escape(" · ".join(p for p in (item.grandparent_title, item.episode_code) if p))
        )
    elif item.kind == "track":
        lines.append(
            escape(" — ".join(p for p in (item.grandparent_title, item.parent_title) if p))
        )
    kind = " · ".join(
        p
        for p in (
            KIND_LABEL.get(item.kind, item.kind),
            str(item.year or ""),
            f"★ {item.rating:.1f}" if item.rating else "",
        )
        if p
    )
    lines.append(f"[dim]{kind}[/dim]")
    return "\n".join(lines)


def state_line(state: PlaybackState) -> str:
    """`▶ Playing on Living Room TV`."""
    icon = ICONS.get(state.state, "")
    return f"{icon} {state.state.capitalize()} on {escape(state.player)}"


def nothing_playing(player: str) -> str:
    where = f" on {escape(player)}" if player else ""
    hint = "Pick something in the library and press enter." if player else "Press c to choose one."
    return f"[dim]Nothing playing{where}.\n\n{hint}[/dim]"


def progress_line(position_ms: int, duration_ms: int | None, width: int) -> str:
    """The bar with `12:03 / 1:45:00` after it, `width` cells in all."""
    times = f"{format_clock(position_ms)} / {format_clock(duration_ms)}"
    fraction = position_ms / duration_ms if duration_ms else 0.0
    return f"[$accent]{progress_bar(fraction, max(4, width - len(times) - 1))}[/] {times}"


def volume_meter(volume: int | None, width: int = 10) -> str:
    if volume is None:
        return "[dim]not reported[/dim]"
    return f"[$accent]{progress_bar(volume / 100, width, '▮', '▯')}[/] {volume}"


def facts(state: PlaybackState, stream: str) -> str:
    """Volume, shuffle and repeat, quality, the server's decision (with bandwidth) and the
    player; `stream` is the server's note on the session (`Transcode 4 Mbps 1.2x`)."""
    decided = stream or DECISIONS.get(state.decision or "", "")
    on_off = "on" if state.shuffle else "off"
    return "\n".join(
        [
            fact("Volume", volume_meter(state.volume)),
            fact("Shuffle", f"{'⤮ ' if state.shuffle else ''}{on_off}"),
            fact("Repeat", f"{'↻ ' if state.repeat != 'off' else ''}{state.repeat}"),
            fact("Quality", escape(state.quality or "chosen by the player")),
            fact("Stream", escape(decided) if decided else "[dim]not reported yet[/dim]"),
            fact("Player", escape(state.player)),
        ]
    )
