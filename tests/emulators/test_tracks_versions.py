"""Audio and subtitle tracks, their selection per part, and films with several versions,
read and changed through plexapi unmodified, as PMS serves them."""

from __future__ import annotations

import pytest
import requests
from plexapi.client import PlexClient
from plexapi.exceptions import BadRequest
from plexapi.server import PlexServer


@pytest.fixture
def setup(fresh):
    emu = fresh(size=200)
    return emu, PlexServer(emu.url, emu.token, timeout=10)


def _movie(plex: PlexServer, audio: int, subtitles: int):
    """A film whose part has `audio` audio tracks and at least `subtitles` subtitle tracks."""
    for movie in plex.library.section("Movies").all():
        part = movie.reload().media[0].parts[0]
        if len(part.audioStreams()) == audio and len(part.subtitleStreams()) >= subtitles:
            return movie
    raise AssertionError("no such film")


def test_parts_list_streams_and_a_put_changes_the_selected_ones(setup):
    emu, plex = setup
    movie = _movie(plex, audio=2, subtitles=2)
    part = movie.media[0].parts[0]
    english, french = part.audioStreams()
    assert (english.languageCode, french.languageCode) == ("eng", "fra")
    assert english.selected and not french.selected and english.streamType == 2
    subs = part.subtitleStreams()
    assert [s.languageCode for s in subs] == ["eng", "fra", "eng"]
    assert [s.forced for s in subs] == [False, False, True] and not any(s.selected for s in subs)
    part.setSelectedAudioStream(french)
    part.setSelectedSubtitleStream(subs[1])
    part = movie.reload().media[0].parts[0]
    assert [a.selected for a in part.audioStreams()] == [False, True]
    assert [s.selected for s in part.subtitleStreams()] == [False, True, False]
    part.resetSelectedSubtitleStream()
    assert not any(s.selected for s in movie.reload().media[0].parts[0].subtitleStreams())


def test_a_put_naming_a_stream_of_another_part_is_refused(setup):
    emu, plex = setup
    movie = _movie(plex, audio=1, subtitles=0)
    part = movie.media[0].parts[0]
    with pytest.raises(BadRequest):
        plex.query(
            f"/library/parts/{part.id}", method=plex._session.put, params={"audioStreamID": 1}
        )


def test_a_sidecar_subtitle_is_served_in_its_language(setup):
    emu, plex = setup
    movie = _movie(plex, audio=2, subtitles=2)
    forced = movie.media[0].parts[0].subtitleStreams()[2]
    text = requests.get(plex.url(forced.key, includeToken=True), timeout=10).text
    assert "English forced subtitles" in text


def test_some_films_have_two_versions_each_with_its_own_part(setup):
    emu, plex = setup
    films = [m.reload() for m in plex.library.section("Movies").all()]
    several = [m for m in films if len(m.media) == 2]
    cut = next(m for m in several if m.media[1].title == "Director's Cut")
    k4 = next(m for m in several if not m.media[1].title)
    assert {k4.media[0].videoResolution, k4.media[1].videoResolution} >= {"4k"}
    assert "hevc" in {k4.media[0].videoCodec, k4.media[1].videoCodec}
    parts = [m.parts[0] for m in cut.media]
    assert parts[0].id != parts[1].id and len({s.id for p in parts for s in p.streams}) == sum(
        len(p.streams) for p in parts
    )
    response = requests.get(plex.url(parts[1].key, includeToken=True), timeout=10)
    assert response.status_code == 200 and response.content[:4] == b"\x1a\x45\xdf\xa3"


def test_a_player_starts_on_the_part_default_and_takes_set_streams(setup):
    emu, plex = setup
    movie = _movie(plex, audio=2, subtitles=2)
    part = movie.media[0].parts[0]
    french, sub = part.audioStreams()[1], part.subtitleStreams()[0]
    part.setSelectedAudioStream(french)
    tv = emu.player("Living Room TV")
    client = PlexClient(server=plex, baseurl=tv.url, token=emu.token)
    client.playMedia(movie)
    (video,) = [t for t in client.timelines() if t.type == "video"]
    assert {"audioStream", "subtitleStream"} <= set(video.controllable.split(","))
    assert video._data.attrib["audioStreamID"] == str(french.id)
    assert "subtitleStreamID" not in video._data.attrib
    client.setStreams(audioStreamID=part.audioStreams()[0].id, subtitleStreamID=sub.id)
    assert (tv.audio_stream, tv.subtitle_stream) == (part.audioStreams()[0].id, sub.id)


def test_play_media_with_a_media_index_plays_that_version(setup):
    emu, plex = setup
    movie = next(m for m in plex.library.section("Movies").all() if len(m.reload().media) == 2)
    tv = emu.player("Living Room TV")
    client = PlexClient(server=plex, baseurl=tv.url, token=emu.token)
    client.sendCommand(
        "playback/playMedia",
        key=movie.key,
        mediaIndex=1,
        machineIdentifier=plex.machineIdentifier,
        address="127.0.0.1",
        port=emu.url.rsplit(":", 1)[-1],
        type="video",
    )
    assert tv.timeline()["mediaIndex"] == 1
    (session,) = plex.sessions()  # the server's session lists the version that plays
    assert [m.id for m in session.media] == [movie.media[1].id]
    assert session.media[0].parts[0].id == movie.media[1].parts[0].id
