"""DetailPane: the highlighted item's poster, then everything worth knowing about it.

The poster (widgets/poster.py) is drawn where the terminal can, and is one dim line
where there is none to draw.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Static

from plextui.core.models import MediaItem, Playlist
from plextui.core.text import human_bitrate, human_size
from plextui.core.timecode import format_clock
from plextui.core.tracks import version_label
from plextui.ui.widgets.poster import Poster

KIND_LABEL = {
    "movie": "Movie",
    "show": "TV show",
    "season": "Season",
    "episode": "Episode",
    "artist": "Artist",
    "album": "Album",
    "track": "Track",
    "playlist": "Playlist",
}


def watched_line(item: MediaItem) -> str:
    """`2 of 8 watched`, `Watched`, `In progress, 12:04`; music is played, not watched."""
    done = "played" if item.media_type == "music" else "watched"
    if item.kind in ("show", "season", "artist", "album") and item.leaf_count:
        return f"{item.viewed_leaf_count or 0} of {item.leaf_count} {done}"
    if item.watched:
        return done.capitalize()
    if item.in_progress:
        return f"In progress, {format_clock(item.view_offset_ms)}"
    return f"Un{done}"


def resolution(label: str | None) -> str:
    """Plex's `1080` → `1080p`, `4k` → `4K`, `sd` → `SD`."""
    if not label:
        return ""
    return f"{label}p" if label.isdigit() else label.upper()


def describe(item: MediaItem) -> str:
    """Rich markup for the pane; streams appear once the full item has been fetched."""
    lines = [f"[b]{escape(item.title)}[/b]"]
    if item.kind == "episode":
        lines.append(
            escape(" · ".join(p for p in (item.grandparent_title, item.episode_code) if p))
        )
    elif item.kind in ("track", "album") and item.grandparent_title:
        lines.append(escape(item.grandparent_title))
    facts = [KIND_LABEL.get(item.kind, item.kind), str(item.year or "")]
    if item.rating:
        facts.append(f"★ {item.rating:.1f}")
    if item.duration_ms:
        facts.append(format_clock(item.duration_ms))
    lines.append("[dim]" + "  ".join(f for f in facts if f) + "[/dim]")
    lines.append(f"[i]{watched_line(item)}[/i]")
    if item.media:
        media = item.media[0]
        video = " ".join(v for v in (resolution(media.resolution), media.video_codec) if v)
        audio = " ".join(
            v
            for v in (media.audio_codec, media.audio_channels and f"{media.audio_channels}ch")
            if v
        )
        lines.append("")
        for label, value in (
            ("Video", video),
            ("Audio", audio),
            ("File", " ".join(v for v in (media.container, human_size(media.size_bytes)) if v)),
            ("Bitrate", human_bitrate(media.bitrate_kbps)),
        ):
            if value:
                lines.append(f"[dim]{label:8}[/dim]{escape(str(value))}")
    if len(item.media) > 1:  # a film with several files: play asks which
        for n, media in enumerate(item.media, 1):
            label = "Version" if n == 1 else ""
            lines.append(f"[dim]{label:8}[/dim]{n} {escape(version_label(media))}")
    audio_streams = [s for s in item.streams if s.kind == "audio"]
    subtitles = [s for s in item.streams if s.kind == "subtitle"]
    for label, streams in (("Tracks", audio_streams), ("Subs", subtitles)):
        if streams:
            names = ", ".join(
                (s.title or s.language or s.codec or "?") + (" *" if s.selected else "")
                for s in streams
            )
            lines.append(f"[dim]{label:8}[/dim]{escape(names)}")
    if item.summary:
        lines += ["", escape(item.summary)]
    return "\n".join(lines)


class DetailPane(Vertical):
    """Shows a MediaItem (poster and text) or a Playlist (text)."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane > .detail-text { height: auto; }
    DetailPane > .detail-art { height: auto; }
    """

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        # held, not queried: a detail load may finish while the pane is (un)mounting
        self.poster = Poster()
        self._text = Static("", classes="detail-text")

    def compose(self) -> ComposeResult:
        with Vertical(classes="detail-art"):  # the screen hides this where room is short
            yield self.poster
        yield self._text

    def update(self, content: str | Text) -> None:
        self._text.update(content)

    def show_item(self, item: MediaItem | None) -> None:
        self.poster.show(item)
        if item is None:
            self.update(Text("Nothing selected", style="dim"))
            return
        self.update(describe(item))

    def show_playlist(self, playlist: Playlist) -> None:
        self.poster.show(None)
        kind = "Music playlist" if playlist.kind == "audio" else "Video playlist"
        count = "1 item" if playlist.count == 1 else f"{playlist.count} items"
        self.update(
            f"[b]{escape(playlist.title)}[/b]\n[dim]{kind}  {count}  "
            f"{format_clock(playlist.duration_ms)}[/dim]\n\n"
            "[dim]enter open · d delete · x remove item · [ ] move item[/dim]"
        )
