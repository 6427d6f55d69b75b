"""Plain data the app shows and decides on, independent of plexapi.

`plex/` converts plexapi objects into these; everything above it (Controller, TUI,
Discord, cache) only sees these frozen dataclasses, so they are cheap to compare,
hash, cache and snapshot. Times are integer milliseconds, timestamps epoch seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ItemKind = Literal[
    "movie", "show", "season", "episode", "artist", "album", "track", "playlist", "collection"
]
PlayState = Literal["playing", "paused", "stopped", "buffering"]
DecisionKind = Literal["directplay", "directstream", "transcode"]

VIDEO_KINDS = frozenset({"movie", "episode"})
AUDIO_KINDS = frozenset({"track"})
PLAYABLE_KINDS = VIDEO_KINDS | AUDIO_KINDS
# the companion protocol's media types, which a player plays some of
MEDIA_TYPES = {"movie": "video", "show": "video", "season": "video", "episode": "video"}
MEDIA_TYPES |= {"artist": "music", "album": "music", "track": "music"}
ALL_MEDIA_TYPES = frozenset({"video", "music", "photo"})


@dataclass(frozen=True)
class Library:
    key: str
    title: str
    type: str  # Plex section type: movie, show, artist, photo
    count: int = 0


@dataclass(frozen=True)
class StreamInfo:
    """One audio, subtitle or video stream of a media part."""

    kind: Literal["video", "audio", "subtitle"]
    codec: str | None = None
    language: str | None = None
    title: str | None = None
    selected: bool = False
    id: int | None = None
    language_code: str | None = None  # ISO 639-2, as Plex gives it: eng, fra, deu
    forced: bool = False  # subtitles: only the foreign-language parts
    key: str | None = None  # subtitles: where a sidecar file is served (/library/streams/N)
    default: bool = False  # the file's own default track (`selected` may be the user's pick)


@dataclass(frozen=True)
class MediaInfo:
    """One file version of an item: what quality decisions are made on."""

    resolution: str | None = None  # Plex's videoResolution: "4k", "1080", "720", "sd"
    video_codec: str | None = None  # None for music
    audio_codec: str | None = None
    container: str | None = None
    bitrate_kbps: int | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    duration_ms: int | None = None
    audio_channels: int | None = None
    title: str | None = None  # a version's own name: an edition ("Director's Cut")

    @property
    def is_audio_only(self) -> bool:
        return self.video_codec is None

    @property
    def video_height(self) -> int | None:
        """Height in pixels, from `height` or else Plex's resolution label."""
        if self.height:
            return self.height
        labels = {"4k": 2160, "2160": 2160, "1080": 1080, "720": 720, "576": 576, "sd": 480}
        return labels.get((self.resolution or "").lower().removesuffix("p"))


@dataclass(frozen=True)
class MediaItem:
    rating_key: str
    kind: ItemKind
    title: str
    year: int | None = None
    summary: str = ""
    rating: float | None = None
    duration_ms: int | None = None
    thumb: str | None = None
    parent_title: str | None = None  # season or album
    grandparent_title: str | None = None  # show or artist
    index: int | None = None  # episode or track number
    parent_index: int | None = None  # season or disc number
    view_offset_ms: int = 0
    view_count: int = 0
    leaf_count: int | None = None  # episodes or tracks under a container
    viewed_leaf_count: int | None = None
    guids: tuple[str, ...] = ()
    media: tuple[MediaInfo, ...] = ()
    streams: tuple[StreamInfo, ...] = ()
    library_key: str | None = None
    added_at: int | None = None

    @property
    def playable(self) -> bool:
        return self.kind in PLAYABLE_KINDS

    @property
    def media_type(self) -> str | None:
        """`video` or `music` (None for a playlist, whose type the Playlist holds)."""
        return MEDIA_TYPES.get(self.kind)

    @property
    def watched(self) -> bool:
        """Containers are watched when every leaf is; leaves when played at least once."""
        if self.leaf_count is not None and self.kind not in PLAYABLE_KINDS:
            return self.leaf_count > 0 and (self.viewed_leaf_count or 0) >= self.leaf_count
        return self.view_count > 0

    @property
    def in_progress(self) -> bool:
        return self.view_offset_ms > 0 and not self.watched

    @property
    def episode_code(self) -> str | None:
        """`S01E04` for an episode with known numbers."""
        if self.kind != "episode" or self.index is None or self.parent_index is None:
            return None
        return f"S{self.parent_index:02d}E{self.index:02d}"

    @property
    def display_title(self) -> str:
        """One line naming the item: `Show · S01E04 · Title`, `Artist — Track`, `Title (1999)`."""
        if self.kind == "episode":
            parts = (self.grandparent_title, self.episode_code, self.title)
            return " · ".join(p for p in parts if p)
        if self.kind in ("track", "album") and self.grandparent_title:
            return f"{self.grandparent_title} — {self.title}"
        if self.kind in ("movie", "show") and self.year:
            return f"{self.title} ({self.year})"
        return self.title

    @property
    def subtitle(self) -> str:
        """The second line under the title: season for episodes, album · year for tracks."""
        if self.kind in ("episode", "season"):
            return self.parent_title or ""
        if self.kind == "track":
            return " · ".join(p for p in (self.parent_title, _year(self.year)) if p)
        return _year(self.year) if self.kind == "album" else ""


def _year(year: int | None) -> str:
    return str(year) if year else ""


@dataclass(frozen=True)
class PlayerInfo:
    """What is known of a player (found by discovery, or this computer): the descriptor the
    lists show and JSON carries; the thing that plays is a `plex.players.Player`."""

    name: str
    product: str = ""
    machine_identifier: str = ""
    address: str | None = None
    capabilities: frozenset[str] = frozenset()  # "playback", "timeline", "mirror", …
    reachable: bool = True
    local: bool = False  # this computer's mpv
    found_by: tuple[str, ...] = ()  # "server", "gdm", "plex.tv", "manual": where it was found
    kinds: frozenset[str] = ALL_MEDIA_TYPES  # media types it plays: Plexamp plays music only

    def can(self, capability: str) -> bool:
        return self.local or capability in self.capabilities

    def plays(self, media_type: str | None) -> bool:
        """Whether it plays that media type; an unknown type is not refused."""
        return media_type is None or media_type in self.kinds


@dataclass(frozen=True)
class PlaybackState:
    player: str
    item: MediaItem | None = None
    state: PlayState = "stopped"
    position_ms: int = 0
    duration_ms: int | None = None
    volume: int | None = None
    shuffle: bool = False
    repeat: Literal["off", "one", "all"] = "off"
    quality: str | None = None  # ladder label, e.g. "720p 4 Mbps"
    decision: DecisionKind | None = None
    queue_id: int | None = None  # the play queue it plays from, for "Up next"
    queue_item_id: int | None = None  # the current item's place in that queue
    media_index: int = 0  # which version (Media) of the item plays
    audio_id: int | None = None  # the audio stream playing, when the player says
    subtitle_id: int | None = None  # the subtitle stream shown (0: none), when it says


@dataclass(frozen=True)
class SessionInfo:
    """A stream in the server's `/status/sessions`, for the sessions screen."""

    session_key: str
    user: str
    player: str
    product: str = ""
    item: MediaItem | None = None
    progress_ms: int = 0
    duration_ms: int | None = None
    state: PlayState = "playing"
    bandwidth_kbps: int | None = None
    location: Literal["lan", "wan"] = "lan"
    decision: DecisionKind = "directplay"
    transcode_speed: float | None = None
    throttled: bool = False

    def playback(self) -> PlaybackState:
        """What the session says of its player (no volume: sessions do not carry it)."""
        return PlaybackState(
            player=self.player,
            item=self.item,
            state=self.state,
            position_ms=self.progress_ms,
            duration_ms=self.duration_ms,
            decision=self.decision,
        )


@dataclass(frozen=True)
class NowPlaying:
    """The one now-playing card: Rich Presence, the webhook embed and the TUI bar render this."""

    title: str
    subtitle: str = ""
    kind: ItemKind = "movie"
    state: PlayState = "playing"
    position_ms: int = 0
    duration_ms: int | None = None
    player: str = ""
    user: str = ""
    quality: str | None = None
    decision: DecisionKind | None = None
    year: int | None = None
    thumb: str | None = None
    guids: tuple[str, ...] = ()
    started_at: float | None = None
    updated_at: float | None = None
    library: str | None = None

    @classmethod
    def for_item(
        cls,
        item: MediaItem,
        *,
        state: PlayState,
        position_ms: int,
        duration_ms: int | None,
        player: str,
        user: str,
        quality: str | None,
        decision: DecisionKind | None,
        now: float,
    ) -> NowPlaying:
        """The card of an item being played, from a player's state or a server session."""
        return cls(
            title=item.display_title,
            subtitle=item.subtitle,
            kind=item.kind,
            state=state,
            position_ms=position_ms,
            duration_ms=duration_ms or item.duration_ms,
            player=player,
            user=user,
            quality=quality,
            decision=decision,
            year=item.year,
            thumb=item.thumb,
            guids=item.guids,
            updated_at=now,
            library=item.library_key,
        )

    @property
    def progress(self) -> float:
        """0.0 to 1.0; 0.0 when the duration is unknown."""
        if not self.duration_ms:
            return 0.0
        return min(1.0, max(0.0, self.position_ms / self.duration_ms))

    def ends_at(self, now: float) -> float | None:
        """Epoch seconds when playback ends if it keeps playing; None unless playing."""
        if self.state != "playing" or not self.duration_ms:
            return None
        return now + max(0, self.duration_ms - self.position_ms) / 1000


@dataclass(frozen=True)
class HistoryEntry:
    item: MediaItem
    user: str
    player: str = ""
    viewed_at: int = 0  # epoch seconds


@dataclass(frozen=True)
class Playlist:
    rating_key: str
    title: str
    kind: Literal["audio", "video"] = "video"
    count: int = 0
    duration_ms: int = 0
    smart: bool = False


@dataclass(frozen=True)
class BandwidthSample:
    """Bytes sent in one interval starting at `at` (epoch seconds), from `/statistics/bandwidth`."""

    at: int
    lan_bytes: int = 0
    wan_bytes: int = 0

    @property
    def total_bytes(self) -> int:
        return self.lan_bytes + self.wan_bytes


@dataclass(frozen=True)
class Page:
    """One page of a browse or search: `items[start:start+len(items)]` of `total`."""

    items: tuple[MediaItem, ...] = ()
    start: int = 0
    total: int = 0

    @property
    def has_more(self) -> bool:
        return self.start + len(self.items) < self.total
