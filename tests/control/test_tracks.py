"""`audio`, `subtitles` and `play --version` on a Plex player (the emulated TV over the
companion protocol), checked on the player's own timeline and on the server's parts."""

from __future__ import annotations

import pytest

from plextui.control.tracks import TrackPreferences
from plextui.emulators.plex import versions
from tests.playerkit import TV, ctl, film, play_on, players_put_back, run, two_languages  # noqa: F401


@pytest.fixture(scope="module")
def plex_options() -> dict:
    from plextui.emulators.plex.clock import ManualClock

    return {"token": "tracks-token", "size": 200, "seed": 5, "clock": ManualClock()}


async def test_audio_and_subtitles_switch_the_player_and_stay_on_the_server(controller, emu):
    movie = film(emu, two_languages)
    item = await controller.service.item(str(movie.rk))
    assert (await play_on(controller, item)).ok
    tv = emu.player(TV)
    version = versions.versions("movie", movie.rk, movie.resolution)[0]
    english, french = versions.audio_tracks(version)
    subs = versions.subtitle_tracks(version)
    assert tv.audio_stream == english.id and tv.subtitle_stream == 0

    result = await run(controller, "audio french")
    assert result.ok and result.message.startswith("Audio: Français (") and TV in result.message
    assert tv.audio_stream == french.id
    assert emu.library.choices.audio_of(version) == french.id  # the part's default now

    result = await run(controller, "subtitles 2")
    assert result.ok, result.message
    assert (
        tv.subtitle_stream == subs[1].id and emu.library.choices.subtitle_of(version) == subs[1].id
    )
    assert (await run(controller, "subs off")).ok and tv.subtitle_stream == 0

    result = await run(controller, "subtitles spanish")
    assert not result.ok
    assert result.message == (
        f"no Spanish subtitles on {item.display_title}: "
        "English (SRT), Français (SRT), English Forced (SRT)"
    )
    tracks = await (await controller.find_player(TV)).tracks()
    assert tracks.selected_audio.id == french.id and tracks.selected_subtitle is None


async def test_a_player_that_cannot_choose_tracks_says_so(controller, emu):
    movie = film(emu, two_languages)
    item = await controller.service.item(str(movie.rk))
    tv = emu.player(TV)
    tv.controllable = "playPause,stop,seekTo"
    try:
        assert (await play_on(controller, item)).ok
        result = await run(controller, "audio 2")
        assert result.message == f"player '{TV}' does not support choosing audio tracks"
    finally:
        tv.controllable = tv.profile.controllable


async def test_preferences_apply_when_playback_starts(controller, emu):
    movie = film(emu, two_languages)
    item = await controller.service.item(str(movie.rk))
    controller.track_preferences = TrackPreferences("fr", "en", "auto")
    assert (await play_on(controller, item)).ok
    english, french = versions.audio_tracks(versions.versions("movie", movie.rk, "")[0])
    tv = emu.player(TV)
    full_english = versions.subtitle_tracks(versions.versions("movie", movie.rk, "")[0])[0]
    assert (tv.audio_stream, tv.subtitle_stream) == (french.id, full_english.id)


async def test_play_a_version_by_name_plays_that_media(controller, emu):
    movie = film(emu, lambda found: len(found) == 2 and found[1].title == "Director's Cut")
    title = f"{movie.title} ({movie.year})"
    result = await run(controller, f'play "{title}" on "{TV}" --version "director\'s cut"')
    assert result.ok, result.message
    assert emu.player(TV).timeline()["mediaIndex"] == 1
    result = await run(controller, f'play "{title}" on "{TV}" --version 720p')
    assert not result.ok
    assert result.message == (f"{title} has no version '720p': 1 {_label(movie)}; 2 Director's Cut")


def _label(movie) -> str:
    res = movie.resolution
    first = versions.versions("movie", movie.rk, res)[0]
    shown = "4K" if res == "4k" else f"{res}p"
    return f"{shown} {first.video_codec.upper()}"


def test_ctl_plays_a_version_and_switches_audio(controller, emu):
    movie = film(
        emu,
        lambda found: (
            len(found) == 2
            and not found[1].title
            and versions.subtitle_tracks(found[1])
            and found[1].rk % 2
        ),  # two audio languages
    )
    title = f"{movie.title} ({movie.year})"
    other = versions.versions("movie", movie.rk, movie.resolution)[1].resolution
    out = ctl(emu, "play", title, "on", TV, "--version", other, "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert emu.player(TV).timeline()["mediaIndex"] == 1
    out = ctl(emu, "subtitles", "klingon")
    assert out.returncode == 1 and "no Klingon subtitles on" in out.stdout + out.stderr
    out = ctl(emu, "audio", "2")
    assert out.returncode == 0, out.stdout + out.stderr
    second = versions.versions("movie", movie.rk, movie.resolution)[1]
    assert emu.player(TV).audio_stream == versions.audio_tracks(second)[1].id


async def test_preferences_keep_the_tracks_the_user_picked_for_the_item(controller, emu):
    movie = film(emu, two_languages)
    version = versions.versions("movie", movie.rk, "")[0]
    english, french = versions.audio_tracks(version)
    german = versions.subtitle_tracks(version)[1]
    emu.library.choices.choose(version, str(french.id), str(german.id))  # picked earlier
    try:
        item = await controller.service.item(str(movie.rk))
        controller.track_preferences = TrackPreferences("en", "en", "always")
        assert (await play_on(controller, item)).ok
        tv = emu.player(TV)
        assert (tv.audio_stream, tv.subtitle_stream) == (french.id, german.id)
        assert emu.library.choices.audio_of(version) == french.id
    finally:
        emu.library.choices.choose(version, str(english.id), "0")
