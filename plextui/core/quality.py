"""The stream quality ladder, and the play / stream / transcode decision for one file.

Plex offers the same fixed rungs in every client; plextui uses them too so a user's
"720p" means the same thing in the TUI, `ctl` and Discord. Quality only applies to
local (mpv) playback: the companion protocol has no quality command for remote players.
"""

from __future__ import annotations

from dataclasses import dataclass

from plextui.core.models import DecisionKind, MediaInfo
from plextui.core.text import human_bitrate
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


DEFAULT_CODECS = ("h264", "hevc", "aac", "mp3", "flac", "opus")
DEFAULT_CONTAINERS = ("mp4", "mkv", "mov", "mp3", "flac", "m4a", "ogg")


@dataclass(frozen=True)
class QualityLimits:
    """The server-side rules from the `[quality]` config table; `None` bitrate is uncapped."""

    transcoding: bool = True
    max_quality: str = "1080p"  # a rung name; "original" means no resolution cap
    max_bitrate_kbps: int | None = None  # PLEX_MAX_BITRATE
    preferred_codec: str = "h264"
    direct_play: bool = True
    direct_stream: bool = True

    @property
    def max_height(self) -> int | None:
        return profile(self.max_quality).max_height


def available_profiles(limits: QualityLimits) -> tuple[QualityProfile, ...]:
    """The rungs to offer: Original and Auto always, others within the caps.

    Original stays on offer because it means "as the file is, where the limits allow";
    `decide` still transcodes an original that is above them.
    """
    return (ORIGINAL, *auto_ladder(limits), AUTO)


def auto_ladder(limits: QualityLimits) -> tuple[QualityProfile, ...]:
    """The concrete rungs within the caps, best first: where Auto moves."""
    return tuple(
        p
        for p in LADDER
        if p.max_height is not None
        and p.max_bitrate_kbps is not None
        and _le(p.max_height, limits.max_height)
        and _le(p.max_bitrate_kbps, limits.max_bitrate_kbps or None)
    )


@dataclass(frozen=True)
class Decision:
    """How one file will be streamed, with the parameters for plexapi's `getStreamURL`."""

    kind: DecisionKind
    profile: QualityProfile
    params: dict[str, int | str]
    reason: str = ""
    height: int | None = None  # the video height the player receives
    bitrate_kbps: int | None = None  # the cap the stream is held to


def decide(
    media: MediaInfo,
    chosen: QualityProfile,
    limits: QualityLimits,
    client_codecs: tuple[str, ...] = DEFAULT_CODECS,
    client_containers: tuple[str, ...] = DEFAULT_CONTAINERS,
) -> Decision:
    """Direct play, direct stream or transcode `media` at `chosen`, never above `limits`.

    Auto starts at the best rung (AutoQuality moves it); Original above the limits
    becomes the best rung the limits allow. Unknown height or bitrate never blocks.
    """
    if chosen.is_auto:
        chosen = next(iter(auto_ladder(limits)), ORIGINAL)
    if media.is_audio_only:
        return _decide_audio(media, chosen, limits, client_codecs)
    height, bitrate = media.video_height, media.bitrate_kbps
    over_limits = not (
        _le(height, limits.max_height) and _le(bitrate, limits.max_bitrate_kbps or None)
    )
    if chosen == ORIGINAL and over_limits:
        chosen = next(iter(auto_ladder(limits)), ORIGINAL)  # the best the limits allow
    height_cap = _min(chosen.max_height, limits.max_height)
    bitrate_cap = _min(chosen.max_bitrate_kbps, limits.max_bitrate_kbps or None)

    limits_hit = []
    if not _le(height, height_cap):
        limits_hit.append(f"{height}p is above {height_cap}p")
    if not _le(bitrate, bitrate_cap):
        limits_hit.append(f"{human_bitrate(bitrate)} is above {human_bitrate(bitrate_cap)}")
    video_ok = _supported(media.video_codec, client_codecs)
    remux = [
        f"{what} {value} is not supported"
        for what, value, ok in (
            ("audio codec", media.audio_codec, _supported(media.audio_codec, client_codecs)),
            ("container", media.container, _supported(media.container, client_containers)),
        )
        if not ok
    ]
    if not video_ok:
        limits_hit.append(f"video codec {media.video_codec} is not supported")

    if not limits_hit and not remux and limits.direct_play:
        return Decision("directplay", chosen, _DIRECT, "the file fits", height, bitrate)
    if not limits_hit and limits.direct_stream:
        why = "; ".join(remux) or "direct play is off"
        params = _stream_params(0, 1, height_cap, bitrate_cap, limits.preferred_codec)
        return Decision("directstream", chosen, params, why, height, bitrate)
    reasons = limits_hit or [*(remux or ["direct play is off"]), "direct stream is off"]
    if not limits.transcoding:
        raise StreamError(
            "transcoding is off and this file cannot play as is: " + "; ".join(reasons)
        )
    target_height = _min(height, height_cap)
    target_bitrate = _min(bitrate, bitrate_cap)
    params = _stream_params(0, 0, target_height, target_bitrate, limits.preferred_codec)
    params["videoQuality"] = 100
    return Decision("transcode", chosen, params, "; ".join(reasons), target_height, target_bitrate)


def _decide_audio(
    media: MediaInfo, chosen: QualityProfile, limits: QualityLimits, codecs: tuple[str, ...]
) -> Decision:
    """Music always plays as is, unless the player cannot decode it."""
    if _supported(media.audio_codec, codecs):
        return Decision(
            "directplay", chosen, _DIRECT, "music plays as is", None, media.bitrate_kbps
        )
    why = f"audio codec {media.audio_codec} is not supported"
    if not limits.transcoding:
        raise StreamError(f"transcoding is off and this track cannot play as is: {why}")
    return Decision(
        "transcode", chosen, {"directPlay": 0, "directStream": 0, "protocol": "http"}, why
    )


_DIRECT: dict[str, int | str] = {"directPlay": 1, "directStream": 1, "protocol": "http"}


def _stream_params(
    direct_play: int, direct_stream: int, height: int | None, bitrate: int | None, codec: str
) -> dict[str, int | str]:
    params: dict[str, int | str] = {
        "directPlay": direct_play,
        "directStream": direct_stream,
        "protocol": "hls",
        "X-Plex-Client-Profile-Extra": "add-transcode-target(type=videoProfile&context=streaming"
        f"&protocol=hls&container=mpegts&videoCodec={codec}&audioCodec=aac)",
    }
    if bitrate is not None:
        params["maxVideoBitrate"] = bitrate
    if height is not None:
        params["videoResolution"] = f"{round(height * 16 / 9 / 2) * 2}x{height}"
    return params


def _supported(value: str | None, accepted: tuple[str, ...]) -> bool:
    return value is None or value.lower() in accepted


def _le(value: int | None, cap: int | None) -> bool:
    """`value <= cap`, where an unknown value or a missing cap never limits."""
    return value is None or cap is None or value <= cap


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)
