"""A video's versions (Media) and each part's audio and subtitle tracks, and which are chosen.

PMS lists every file of a film as its own Media (a 4K HEVC copy beside a 1080p H.264
one; a "Director's Cut" edition), each with one Part whose Stream children are the
tracks. Which audio and subtitle track plays by default is kept per part and changed by
`PUT /library/parts/{id}?audioStreamID=&subtitleStreamID=` (subtitleStreamID=0: none),
which marks them `selected` in every later answer. Everything here follows from the
ratingKey, so a restarted emulator lists the same versions and tracks.

Ids: the first version keeps the ids the item always had (media and part = ratingKey,
streams = ratingKey × 10 + n); version v adds v × SPAN to the part id and v × SPAN × 10
to stream ids, so every id is unique in the library and leads back to its item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SPAN = 100_000_000  # ratingKeys stay below this
LANGS = (("English", "eng", "en"), ("Français", "fra", "fr"), ("Deutsch", "deu", "de"))


@dataclass(frozen=True)
class Version:
    """One Media of an item: its place in the list, resolution, codec and label."""

    index: int
    rk: int
    resolution: str
    video_codec: str
    title: str | None = None  # an edition's name, as PMS's editionTitle

    @property
    def part_id(self) -> int:
        return self.rk + self.index * SPAN

    def stream_id(self, n: int) -> int:
        return self.rk * 10 + n + self.index * SPAN * 10


@dataclass(frozen=True)
class Track:
    """An audio (2) or subtitle (3) stream of a part."""

    id: int
    stream_type: int
    language: str
    code3: str
    code2: str
    index: int
    forced: bool = False


def _codec(resolution: str, rk: int) -> str:
    return (
        "hevc"
        if resolution == "4k" or rk % 7 == 0
        else ("mpeg4" if resolution == "480" else "h264")
    )


def versions(kind: str, rk: int, resolution: str) -> list[Version]:
    """The Media of a movie or episode: one, or for some films two (see the module)."""
    res = resolution or "1080"
    first = Version(0, rk, res, _codec(res, rk))
    if kind != "movie" or rk % 13 not in (6, 11):  # about one film in six or seven
        return [first]
    if rk % 13 == 11:
        return [first, Version(1, rk, res, first.video_codec, "Director's Cut")]
    other = "1080" if res == "4k" else "4k"
    return [first, Version(1, rk, other, "hevc" if other == "4k" else "h264")]


def audio_tracks(version: Version) -> list[Track]:
    """One or two languages, the first the default."""
    return [
        Track(version.stream_id(2 + n), 2, *lang, index=1 + n)
        for n, lang in enumerate(LANGS[: 1 + version.rk % 2])
    ]


def subtitle_tracks(version: Version) -> list[Track]:
    """Sidecar subtitles (served at /library/streams/{id}): none, one or two languages,
    and with two, a forced English track for the foreign parts."""
    count = version.rk % 3
    tracks = [
        Track(version.stream_id(5 + n), 3, *lang, index=3 + n)
        for n, lang in enumerate(LANGS[:count])
    ]
    if count == 2:
        tracks.append(Track(version.stream_id(7), 3, *LANGS[0], index=5, forced=True))
    return tracks


def languages(kind: str, rk: int) -> tuple[str, ...]:
    """The audio languages in a video's file (every version has the same); music: none."""
    if kind not in ("movie", "episode"):
        return ()
    return tuple(t.code3 for t in audio_tracks(Version(0, rk, "1080", "h264")))


def find(kind: str, rk: int, resolution: str, part_id: int) -> Version | None:
    """The version of an item whose part has this id."""
    return next((v for v in versions(kind, rk, resolution) if v.part_id == part_id), None)


def owner(stream_or_part_id: int, span: int = SPAN) -> tuple[int, int]:
    """(version index, the id in version 0) of a part id (span SPAN) or stream id (SPAN×10)."""
    return divmod(stream_or_part_id, span)


@dataclass
class Choices:
    """The selected audio and subtitle stream per part id; absent means the default
    (the first audio track, no subtitles)."""

    audio: dict[int, int] = field(default_factory=dict)
    subtitle: dict[int, int] = field(default_factory=dict)

    def audio_of(self, version: Version) -> int:
        return self.audio.get(version.part_id, version.stream_id(2))

    def subtitle_of(self, version: Version) -> int:
        return self.subtitle.get(version.part_id, 0)

    def choose(self, version: Version, audio: str | None, subtitle: str | None) -> str | None:
        """Apply a PUT's ids; an id that is not a track of this part is refused (why)."""
        if audio is not None:
            if int(audio or 0) not in {t.id for t in audio_tracks(version)}:
                return f"no audio stream {audio} in part {version.part_id}"
            self.audio[version.part_id] = int(audio)
        if subtitle is not None:
            wanted = int(subtitle or 0)
            if wanted and wanted not in {t.id for t in subtitle_tracks(version)}:
                return f"no subtitle stream {subtitle} in part {version.part_id}"
            self.subtitle[version.part_id] = wanted
        return None
