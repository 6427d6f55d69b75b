"""Small text formatting shared by the TUI, `ctl` and the Discord card, so they agree."""

from __future__ import annotations


def human_bitrate(kbps: int | float | None) -> str:
    """`20 Mbps`, `1.5 Mbps`, `700 kbps`; empty when unknown."""
    if kbps is None:
        return ""
    if kbps < 999.5:
        return f"{round(kbps)} kbps"
    return f"{_trim(kbps / 1000)} Mbps"


def human_size(size_bytes: int | None) -> str:
    """`512 B`, `1.4 GB` in decimal units, as Plex shows file sizes; empty when unknown."""
    if size_bytes is None:
        return ""
    value = float(size_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(value) < 999.5:
            return f"{round(value)} B" if unit == "B" else f"{_trim(value)} {unit}"
        value /= 1000
    return f"{_trim(value)} TB"


def progress_bar(fraction: float, width: int = 20, full: str = "█", empty: str = "░") -> str:
    """A bar of `width` cells filled to `fraction` (clamped to 0..1)."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return full * filled + empty * (width - filled)


def _trim(value: float) -> str:
    """One decimal below 10 (`1.5`), none above (`20`), no trailing `.0`."""
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0")
