"""Tracks and versions on this computer: the real mpv (headless), checked on its own
`aid`, `sid`, `current-tracks` and the file it opened."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from plexapi.server import PlexServer

from plextui.core.quality import QualityLimits
from plextui.core.tracks import pick_audio, pick_subtitle
from plextui.emulators.plex import versions
from plextui.emulators.plex.clock import ManualClock
from plextui.errors import StreamError
from plextui.plex.local import LocalPlayer
from tests.playerkit import film, two_languages


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": "tracks-token", "size": 200, "seed": 11, "players": 0, "clock": ManualClock()}


@pytest.fixture
def service_options() -> dict:
    return {"client_id": f"plextui-tracks-{uuid.uuid4().hex[:8]}"}


@pytest.fixture
async def local(service):
    limits = QualityLimits(max_quality="original")  # every version plays as it is
    player = LocalPlayer(service, limits, headless=True, quality="original")
    yield player
    await player.close()


async def current(local: LocalPlayer) -> dict:
    """mpv's `current-tracks/audio` and `/sub` (unavailable when none is selected)."""
    found = {}
    for kind in ("audio", "sub"):
        try:
            found[kind] = await local._mpv.get(f"current-tracks/{kind}")
        except StreamError:
            found[kind] = {}
    return found


async def audio_tracks(local: LocalPlayer) -> list[dict]:
    return [t for t in await local._mpv.get("track-list") if t["type"] == "audio"]


async def test_mpv_switches_subtitles_on_a_file_it_plays_as_is(emu, service, local):
    movie = film(
        emu,
        lambda v: (
            v[0].video_codec == "h264"
            and len(versions.audio_tracks(v[0])) == 1
            and len(versions.subtitle_tracks(v[0])) == 1
        ),
    )
    await local.play(await service.item(str(movie.rk)))
    assert local._decision.kind == "directplay"
    assert (await current(local))["sub"] == {} and await local._mpv.get("aid") == 1
    assert [t.get("lang") for t in await audio_tracks(local)] == ["eng"]  # the file's own
    tracks = await local.tracks()
    await local.set_tracks(None, pick_subtitle(tracks, "english", "x"))
    sub = (await current(local))["sub"]
    assert sub["lang"] == "eng" and sub["external"] and sub["selected"]
    await local.set_tracks(None, None, off=True)
    assert await local._mpv.get("sid") is False and (await local.state()).subtitle_id == 0


async def test_mpv_switches_audio_and_subtitles_by_language(emu, service, local):
    """eac3 audio is transcoded (direct stream): the stream carries one audio track, so
    French restarts the stream asking the transcoder for it; the server's default for the
    item stays as it was (a person's pick is saved by the Controller, not the player)."""
    movie = film(emu, two_languages)
    item = await service.item(str(movie.rk))
    await local.play(item)
    mpv = local._mpv
    assert local._decision.kind == "directstream"
    assert await mpv.get("aid") == 1 and await mpv.get("sid") is False
    subs = [t for t in await mpv.get("track-list") if t["type"] == "sub"]
    assert [t.get("lang") for t in subs] == ["eng", "fra", "eng"]  # the sidecars, given to mpv

    tracks = await local.tracks()
    french, french_subs = pick_audio(tracks, "french", "x"), pick_subtitle(tracks, "fr", "x")
    await local.set_tracks(french, french_subs)
    version = versions.versions("movie", movie.rk, movie.resolution)[0]
    assert emu.library.choices.audio_of(version) == tracks.audio[0].id  # default untouched
    starts = [path for _method, path, _headers in emu.requests if "/universal/start" in path]
    assert f"audioStreamID={french.id}" in starts[-1]  # the transcoder is asked for French
    assert len(await audio_tracks(local)) == 1  # one audio track in a transcode
    assert await mpv.get("aid") == 1
    now = await current(local)
    assert now["sub"]["lang"] == "fra" and now["sub"]["external"]  # kept across the restart
    state = await local.state()
    assert (state.audio_id, state.subtitle_id) == (french.id, french_subs.id)
    emu.library.choices.choose(version, str(tracks.audio[0].id), "0")


async def test_mpv_starts_on_the_parts_server_default(emu, service, local):
    movie = film(emu, two_languages)
    version = versions.versions("movie", movie.rk, movie.resolution)[0]
    french = versions.audio_tracks(version)[1]
    german = versions.subtitle_tracks(version)[1]
    emu.library.choices.choose(version, str(french.id), str(german.id))
    try:
        await local.play(await service.item(str(movie.rk)))
        assert (await current(local))["sub"]["lang"] == german.code3
        state = await local.state()
        assert (state.audio_id, state.subtitle_id) == (french.id, german.id)
    finally:
        emu.library.choices.choose(version, str(versions.audio_tracks(version)[0].id), "0")


async def test_mpv_plays_the_chosen_version(emu, service, local):
    movie = film(  # a Director's Cut in h264 and aac: played as it is
        emu,
        lambda v: len(v) == 2 and v[1].title and v[1].video_codec == "h264" and v[1].rk % 2 == 0,
    )
    second = versions.versions("movie", movie.rk, movie.resolution)[1]
    await local.play(await service.item(str(movie.rk)), media_index=1)
    assert local._decision.kind == "directplay"
    assert f"/library/parts/{second.part_id}/" in await local._mpv.get("path")
    sessions = await asyncio.to_thread(PlexServer(emu.url, emu.token, timeout=10).sessions)
    (media,) = next(s for s in sessions if s.players[0].title == local.session_name).media
    assert media.parts[0].id == second.part_id  # the server knows which file plays
    assert (await local.state()).media_index == 1


async def test_a_sidecar_that_does_not_load_is_left_out_and_the_film_plays(emu, service, local):
    """The first sidecar's URL 404s: mpv plays on, with the server's chosen subtitle."""
    from plextui.config.paths import debug_log_path

    movie = film(emu, two_languages)
    version = versions.versions("movie", movie.rk, movie.resolution)[0]
    broken, french = versions.subtitle_tracks(version)[:2]
    emu.library.choices.choose(version, str(versions.audio_tracks(version)[0].id), str(french.id))
    good = local._sub_url

    async def url(key: str) -> str:  # a stream the server does not have: 404
        return await good(key.replace(f"/{broken.id}", "/987654321"))

    local._sub_url = url
    try:
        await local.play(await service.item(str(movie.rk)))
        sub = (await current(local))["sub"]
        assert sub["lang"] == "fra" and sub["external"] and sub["selected"]
        subs = [t for t in await local._mpv.get("track-list") if t["type"] == "sub"]
        assert [t.get("lang") for t in subs] == ["fra", "eng"]  # the broken one left out
        logged = debug_log_path().read_text()
        assert f"subtitle stream {broken.id} not loaded" in logged
        assert emu.token not in logged
    finally:
        emu.library.choices.choose(version, str(versions.audio_tracks(version)[0].id), "0")
