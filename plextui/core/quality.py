"""The stream quality ladder, and the play / stream / transcode decision for one file.

Plex offers the same fixed rungs in every client; plextui uses them too so a user's
"720p" means the same thing in the TUI, `ctl` and Discord. Quality only applies to
local (mpv) playback: the companion protocol has no quality command for remote players.
"""

from __future__ import annotations

from dataclasses import dataclass

from plextui.errors import StreamError


@dataclass(frozen=True)
class QualityProfile:
    """One rung; `None` limits mean "as the file is" (original) or "decided live" (auto)."""

    name: str
    label: str
    max_height: int | None
    max_bitrate_kbps: int | None

    @property
    def is_auto(self) -> bool:
        return self.name == "auto"


ORIGINAL = QualityProfile("original", "Original", None, None)
AUTO = QualityProfile("auto", "Auto", None, None)
LADDER: tuple[QualityProfile, ...] = (
    ORIGINAL,
    QualityProfile("1080p", "1080p 20 Mbps", 1080, 20_000),
    QualityProfile("1080p-10", "1080p 10 Mbps", 1080, 10_000),
    QualityProfile("720p", "720p 4 Mbps", 720, 4_000),
    QualityProfile("480p", "480p 1.5 Mbps", 480, 1_500),
    QualityProfile("360p", "360p 0.7 Mbps", 360, 700),
    AUTO,
)
PROFILES = {p.name: p for p in LADDER}
QUALITY_NAMES = tuple(PROFILES)

# Spellings people use for the rungs, after lowercasing and dropping spaces, '-' and 'mbps'.
_ALIASES = {
    "original": "original",
    "direct": "original",
    "max": "original",
    "1080p": "1080p",
    "1080": "1080p",
    "1080p20": "1080p",
    "108020": "1080p",
    "1080p10": "1080p-10",
    "108010": "1080p-10",
    "720p": "720p",
    "720": "720p",
    "720p4": "720p",
    "480p": "480p",
    "480": "480p",
    "480p1.5": "480p",
    "360p": "360p",
    "360": "360p",
    "360p0.7": "360p",
    "auto": "auto",
}


def quality_name(text: str) -> str | None:
    """The canonical rung name for what a user typed (`1080p 10 Mbps` → `1080p-10`), or None."""
    key = "".join(text.lower().split()).replace("-", "").removesuffix("mbps")
    return _ALIASES.get(key)


def profile(name: str) -> QualityProfile:
    """The rung for a name or spelling; StreamError lists the choices."""
    canonical = quality_name(name)
    if canonical is None:
        raise StreamError(f"unknown quality '{name}'; use {', '.join(QUALITY_NAMES)}")
    return PROFILES[canonical]
