"""Naming tracks and versions as people do, the preferences at start, and the grammar."""

from __future__ import annotations

import re

import pytest

from plextui.core.commands import Command, parse_command
from plextui.core.models import MediaInfo, StreamInfo
from plextui.core.tracks import (
    Tracks,
    pick_audio,
    pick_subtitle,
    pick_version,
    preferred,
    version_label,
)
from plextui.errors import CommandError, MediaError


def audio(id_: int, name: str, code: str, selected: bool = False, default=False) -> StreamInfo:
    return StreamInfo("audio", "aac", name, f"{name} (AAC)", selected, id_, code, default=default)


def sub(id_: int, name: str, code: str, forced: bool = False) -> StreamInfo:
    title = f"{name}{' Forced' if forced else ''} (SRT)"
    return StreamInfo("subtitle", "srt", name, title, False, id_, code, forced)


TRACKS = Tracks(
    7,
    (audio(1, "English", "eng", True, default=True), audio(2, "Français", "fra")),
    (sub(5, "English", "eng"), sub(6, "Deutsch", "deu"), sub(9, "English", "eng", forced=True)),
)


@pytest.mark.parametrize("word", ["French", "fr", "fre", "fra", "Français", "francais", "2"])
def test_audio_by_any_name_of_its_language_or_its_number(word):
    assert pick_audio(TRACKS, word, "Heat").id == 2


def test_a_missing_language_lists_what_there_is():
    with pytest.raises(MediaError) as caught:
        pick_subtitle(TRACKS, "french", "Heat (1995)")
    assert str(caught.value) == (
        "no French subtitles on Heat (1995): English (SRT), Deutsch (SRT), English Forced (SRT)"
    )
    with pytest.raises(MediaError, match="no audio track 3 on Heat: English"):
        pick_audio(TRACKS, "3", "Heat")


def test_subtitles_prefer_the_full_track_and_off_is_none():
    assert pick_subtitle(TRACKS, "english", "Heat").id == 5
    assert pick_subtitle(TRACKS, "3", "Heat").id == 9
    assert pick_subtitle(TRACKS, "off", "Heat") is None
    with pytest.raises(MediaError, match="Heat has no subtitles"):
        pick_subtitle(Tracks(1, TRACKS.audio, ()), "en", "Heat")


def test_choosing_moves_the_selection():
    chosen = TRACKS.choosing(2, 6)
    assert chosen.selected_audio.id == 2 and chosen.selected_subtitle.id == 6
    assert TRACKS.choosing(None, 0).selected_subtitle is None


@pytest.mark.parametrize(
    ("prefs", "expected"),
    [
        (("fr", "", "auto"), (2, None, True)),  # French audio understood: no subtitles
        (("", "en", "auto"), (None, 9, False)),  # English audio: only the forced ones
        (("fr", "en", "auto"), (2, 5, False)),  # French audio, English reader: full subs
        (("", "en", "always"), (None, 5, False)),
        (("", "en", "forced"), (None, 9, False)),
        (("", "de", "forced"), (None, None, True)),
        (("de", "", "off"), (None, None, True)),  # no German audio: left as it is
        (("", "", "auto"), (None, None, False)),
        (("", "", "always"), (None, 5, False)),  # no language: the audio's (English)
        (("", "", "forced"), (None, 9, False)),
    ],
)
def test_preferences_at_start(prefs, expected):
    a, s, off = preferred(TRACKS, *prefs)
    assert (a.id if a else None, s.id if s else None, off) == expected


def test_preferences_leave_what_the_user_picked_for_the_item():
    """French audio picked (selected, not the file's default) and German subtitles: kept."""
    picked = TRACKS.choosing(2, 6)
    assert preferred(picked, "en", "en", "always") == (None, None, False)
    assert preferred(picked, "", "", "off") == (None, None, False)
    a, s, off = preferred(TRACKS.choosing(2, None), "en", "fr", "always")
    assert (a, off) == (None, False) and s is None  # no French subtitles; French audio kept
    a, s, _ = preferred(TRACKS.choosing(2, None), "en", "en", "always")
    assert a is None and s.id == 5


FILES = (
    MediaInfo(resolution="4k", video_codec="hevc", bitrate_kbps=32000),
    MediaInfo(resolution="1080", video_codec="h264"),
    MediaInfo(resolution="1080", video_codec="h264", title="Director's Cut"),
)


@pytest.mark.parametrize(
    ("word", "index"),
    [
        *(("1", 0), ("4k", 0), ("4K HEVC", 0), ("1080p", 1), ("1080", 1)),
        *(("director's cut", 2), ("3", 2)),
    ],
)
def test_versions_by_number_resolution_or_edition(word, index):
    assert pick_version(FILES, word, "Heat") == index


def test_an_unknown_version_lists_them():
    assert [version_label(m) for m in FILES] == ["4K HEVC", "1080p H264", "Director's Cut"]
    with pytest.raises(MediaError, match="Heat has no version '4': 1 4K HEVC;"):
        pick_version(FILES, "4", "Heat")
    with pytest.raises(MediaError) as caught:
        pick_version(FILES, "720p", "Heat")
    assert str(caught.value) == (
        "Heat has no version '720p': 1 4K HEVC; 2 1080p H264; 3 Director's Cut"
    )


def test_grammar_of_tracks_and_versions():
    assert parse_command("subs FR") == Command("subtitles", track="FR")
    assert parse_command("audio 2").to_text() == "audio 2"
    command = parse_command('play Heat on "Living Room TV" --version "Director\'s Cut"')
    assert (command.title, command.player, command.version) == (
        "Heat",
        "Living Room TV",
        "Director's Cut",
    )
    assert parse_command("play Heat --version 4k on TV").version == "4k"
    assert parse_command('play "--version"').title == "--version"
    for bad, message in [
        ("audio", "audio: which track? give a language or a number, like 'audio french'"),
        ("subtitles en fr", "subtitles: expected a language or a number, or off, got 'en fr'"),
        ("play Heat --version", "play: --version needs one number or name, like --version 4k"),
    ]:
        with pytest.raises(CommandError, match=re.escape(message)):
            parse_command(bad)
