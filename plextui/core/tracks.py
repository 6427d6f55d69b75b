"""Choosing audio and subtitle tracks and versions: by what a person types, and by preference.

People name a track by its language in whatever form comes to mind ("French", "fr",
"fre", "Français") or by its number in the list (`audio 2`); Plex gives each stream a
display title, a language and an ISO 639-2 code. `pick_audio` and `pick_subtitle` match
the two and say, when nothing matches, what there is instead. `preferred` applies the
configured languages and subtitle mode when playback starts. Versions (a film's several
files, or editions) are named by number, by edition ("Director's Cut") or by resolution
("4k", "1080p"): `pick_version`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from plextui.core.models import MediaInfo, StreamInfo
from plextui.errors import CommandError, MediaError

SUBTITLE_MODES = ("auto", "always", "forced", "off")
OFF_WORDS = ("off", "none", "no")
# Each language's names: ISO 639-1, 639-2/B and /T codes, English and native names.
_LANGUAGES = (
    ("en", "eng", "english"),
    ("fr", "fre", "fra", "french", "français", "francais"),
    ("de", "ger", "deu", "german", "deutsch"),
    ("es", "spa", "spanish", "español", "espanol"),
    ("it", "ita", "italian", "italiano"),
    ("pt", "por", "portuguese", "português", "portugues"),
    ("nl", "dut", "nld", "dutch", "nederlands"),
    ("sv", "swe", "swedish", "svenska"),
    ("da", "dan", "danish", "dansk"),
    ("no", "nor", "nob", "norwegian", "norsk"),
    ("fi", "fin", "finnish", "suomi"),
    ("pl", "pol", "polish", "polski"),
    ("ru", "rus", "russian", "русский"),
    ("ja", "jpn", "japanese", "日本語"),
    ("zh", "chi", "zho", "chinese", "中文"),
    ("ko", "kor", "korean", "한국어"),
    ("ar", "ara", "arabic"),
    ("hi", "hin", "hindi"),
    ("tr", "tur", "turkish", "türkçe"),
)
_NAMES = {name: names for names in _LANGUAGES for name in names}
_ENGLISH = {
    names: next(n for n in names if len(n) > 3 and n.isascii()).title() for names in _LANGUAGES
}


def language_names(word: str) -> tuple[str, ...]:
    """Every name of the language `word` names (itself alone when unknown)."""
    folded = word.strip().casefold()
    return _NAMES.get(folded, (folded,))


def language_label(word: str) -> str:
    """`French` for fr, fre, fra, French or Français; the word, capitalised, when unknown."""
    names = _NAMES.get(word.strip().casefold())
    return _ENGLISH[names] if names else word.strip()[:1].upper() + word.strip()[1:]


def speaks(stream: StreamInfo, word: str) -> bool:
    """True when `stream` is in the language `word` names."""
    names = language_names(word)
    own = {(stream.language_code or "").casefold(), (stream.language or "").casefold()}
    return bool(own & set(names)) or any(language_names(n) == names for n in own if n)


def track_label(stream: StreamInfo) -> str:
    """How a track is listed: its display title, else its language, else its codec."""
    return stream.title or stream.language or (stream.codec or "unknown").upper()


@dataclass(frozen=True)
class Tracks:
    """The audio and subtitle tracks of what plays (the part of the version that plays)."""

    part_id: int | None
    audio: tuple[StreamInfo, ...]
    subtitles: tuple[StreamInfo, ...]

    @classmethod
    def of(cls, part_id: int | None, streams: Sequence[StreamInfo]) -> Tracks:
        return cls(
            part_id,
            tuple(s for s in streams if s.kind == "audio"),
            tuple(s for s in streams if s.kind == "subtitle"),
        )

    def choosing(self, audio_id: int | None, subtitle_id: int | None) -> Tracks:
        """These tracks with another selection: None keeps a kind's, subtitle 0 is none."""
        audio, subtitles = self.audio, self.subtitles
        if audio_id is not None and any(s.id == audio_id for s in audio):
            audio = tuple(replace(s, selected=s.id == audio_id) for s in audio)
        if subtitle_id is not None:
            subtitles = tuple(replace(s, selected=s.id == subtitle_id) for s in subtitles)
        return Tracks(self.part_id, audio, subtitles)

    @property
    def selected_audio(self) -> StreamInfo | None:
        return next((s for s in self.audio if s.selected), self.audio[0] if self.audio else None)

    @property
    def selected_subtitle(self) -> StreamInfo | None:
        return next((s for s in self.subtitles if s.selected), None)


def _pick(kind: str, streams: Sequence[StreamInfo], wanted: str, title: str) -> StreamInfo:
    """By number (1 is first) or language; the refusal lists what there is."""
    there = ", ".join(track_label(s) for s in streams) or "none"
    if wanted.strip().isdigit():
        n = int(wanted)
        if 1 <= n <= len(streams):
            return streams[n - 1]
        raise MediaError(f"no {kind} track {n} on {title}: {there}")
    found = [s for s in streams if speaks(s, wanted)]
    if kind == "subtitle":  # a full track before a forced one, whichever is listed first
        found.sort(key=lambda s: s.forced)
    if found:
        return found[0]
    words = "subtitles" if kind == "subtitle" else "audio"
    raise MediaError(f"no {language_label(wanted)} {words} on {title}: {there}")


def pick_audio(tracks: Tracks, wanted: str, title: str) -> StreamInfo:
    if not tracks.audio:
        raise MediaError(f"{title} has no audio tracks to choose from")
    return _pick("audio", tracks.audio, wanted, title)


def pick_subtitle(tracks: Tracks, wanted: str, title: str) -> StreamInfo | None:
    """The subtitle track meant; None for `off`."""
    if wanted.strip().casefold() in OFF_WORDS:
        return None
    if not tracks.subtitles:
        raise MediaError(f"{title} has no subtitles")
    return _pick("subtitle", tracks.subtitles, wanted, title)


def chosen_by_user(stream: StreamInfo | None) -> bool:
    """Selected, yet not the file's own default: someone picked it for this item."""
    return stream is not None and stream.selected and not stream.default


def preferred(
    tracks: Tracks, audio_language: str, subtitle_language: str, mode: str
) -> tuple[StreamInfo | None, StreamInfo | None, bool]:
    """(audio, subtitle, subtitles_off) the settings ask for; None where they ask nothing.

    Modes, as Plex's own: `auto` shows subtitles when the audio is not in the subtitle
    language (forced ones otherwise, when there are); `always` shows them; `forced` only
    forced ones; `off` none. With no language set, `always` and `forced` read the audio's.
    A kind the user picked for this item (`chosen_by_user`) is left as it is.
    """
    audio = None
    if audio_language and not chosen_by_user(tracks.selected_audio):
        audio = next((s for s in tracks.audio if speaks(s, audio_language)), None)
    playing = audio or tracks.selected_audio
    if chosen_by_user(tracks.selected_subtitle):
        return audio, None, False
    if mode == "off":
        return audio, None, True
    language = subtitle_language or audio_language
    if not language and mode in ("always", "forced") and playing is not None:
        language = playing.language_code or playing.language or ""
    if not language:
        return audio, None, False
    full = [s for s in tracks.subtitles if speaks(s, language) and not s.forced]
    forced = [s for s in tracks.subtitles if speaks(s, language) and s.forced]
    understood = playing is not None and speaks(playing, language)
    if mode == "always" or (mode == "auto" and not understood):
        choice = (full or forced or [None])[0]
    else:  # forced, or auto with audio the viewer understands
        choice = (forced or [None])[0]
    return audio, choice, choice is None and mode in ("forced", "auto")


def version_label(media: MediaInfo) -> str:
    """`Director's Cut`, or `4K HEVC` / `1080p H264` for versions that differ by file."""
    if media.title:
        return media.title
    res = (media.resolution or "").lower()
    shown = "4K" if res in ("4k", "2160") else f"{res}p" if res.isdigit() else res.upper()
    return " ".join(p for p in (shown, (media.video_codec or "").upper()) if p) or "file"


def pick_version(media: Sequence[MediaInfo], wanted: str, title: str) -> int:
    """The index of the version `wanted` names: its number (1 is first), its edition, or
    its resolution (`4k`, `1080p`, `1080`)."""
    labels = [version_label(m) for m in media]
    there = "; ".join(f"{n} {label}" for n, label in enumerate(labels, 1))
    word = wanted.strip().casefold()
    if word.isdigit() and 1 <= int(word) <= len(media):  # else perhaps a resolution: 1080
        return int(word) - 1
    for n, (m, label) in enumerate(zip(media, labels, strict=True)):
        res = (m.resolution or "").casefold()
        if word in (label.casefold(), res, f"{res}p", (m.title or "").casefold()):
            return n
    matches = [n for n, label in enumerate(labels) if word in label.casefold()]
    if len(matches) == 1:
        return matches[0]
    raise MediaError(f"{title} has no version '{wanted}': {there}")


def check_version_word(text: str) -> str:
    """A `--version` argument as given; an empty one is refused."""
    if not text.strip():
        raise CommandError("play: --version needs a number or a name, like --version 4k")
    return text
