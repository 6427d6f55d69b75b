"""Players driven through plexapi's PlexClient, directly and proxied, and what the server sees."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from plexapi.client import PlexClient
from plexapi.exceptions import BadRequest
from plexapi.server import PlexServer


@pytest.fixture
def setup(fresh):
    emu = fresh(size=200)
    plex = PlexServer(emu.url, emu.token, timeout=10)
    return emu, plex


def poll(player_url: str, wait: int = 0, **params) -> str:
    return requests.get(
        f"{player_url}/player/timeline/poll",
        params={"wait": wait, "commandID": 7, **params},
        timeout=10,
    ).text


def test_direct_client_play_pause_seek_changes_timeline_and_sessions(setup):
    emu, plex = setup
    tv = emu.player("Living Room TV")
    client = PlexClient(server=plex, baseurl=tv.url, token=emu.token)
    assert client.machineIdentifier == tv.machine_identifier and client.product == "Plex HTPC"
    movie = plex.library.section("Movies").all()[3]
    client.playMedia(movie, offset=1000)
    assert tv.timeline()["state"] == "playing" and tv.timeline()["ratingKey"] == str(
        movie.ratingKey
    )
    emu.advance(30)
    assert tv.timeline()["time"] == 31_000
    session = plex.sessions()[0]
    assert session.ratingKey == movie.ratingKey and session.players[0].title == "Living Room TV"
    assert session.usernames == ["demo"] and session.viewOffset == 31_000
    client.pause()
    assert plex.sessions()[0].players[0].state == "paused"
    client.seekTo(120_000)
    client.setVolume(40)
    assert tv.timeline()["time"] == 120_000 and tv.timeline()["volume"] == 40
    client.stop()
    assert plex.sessions() == [] and movie.reload().viewOffset == 120_000


def test_proxied_client_commands_reach_player(setup):
    emu, plex = setup
    amp = emu.player("Kitchen Plexamp")
    client = plex.client("Kitchen Plexamp")
    client.proxyThroughServer()
    album = next(a for a in plex.library.section("Music").searchAlbums() if len(a.tracks()) > 2)
    client.playMedia(album)
    tracks = album.tracks()
    assert amp.timeline()["ratingKey"] == str(tracks[0].ratingKey)
    client.skipNext()
    assert amp.timeline()["ratingKey"] == str(tracks[1].ratingKey)
    client.setShuffle(1)
    client.setRepeat(2)
    assert amp.timeline()["shuffle"] == 1 and amp.timeline()["repeat"] == 2
    assert plex.sessions()[0].type == "track"
    assert any(p.startswith("/player/playback/skipNext") for m, p, h in emu.requests)


def test_plexapi_timeline_parses_poll(setup):
    emu, plex = setup
    client = plex.client("Living Room TV")
    client.playMedia(plex.library.section("Movies").all()[0])
    timeline = client.timeline
    assert timeline.state == "playing" and timeline.type == "video" and timeline.shuffle is False
    assert timeline.ratingKey == int(emu.player("Living Room TV").timeline()["ratingKey"])
    xml = poll(emu.player("Living Room TV").url)
    assert 'commandID="7"' in xml and xml.count("<Timeline") == 3


def test_long_poll_returns_on_change(setup):
    emu, plex = setup
    tv = emu.player("Living Room TV")
    result: dict = {}

    def waiter() -> None:
        start = time.monotonic()
        result["xml"] = poll(tv.url, wait=1)
        result["took"] = time.monotonic() - start

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.3)
    plex.client("Living Room TV").playMedia(plex.library.section("Movies").all()[0])
    thread.join(10)
    assert 'state="playing"' in result["xml"] and result["took"] < 5


def test_end_of_item_moves_to_next_then_stops_and_records_history(setup):
    emu, plex = setup
    client = plex.client("Living Room TV")
    show = plex.library.section("TV Shows").all()[0]
    episodes = show.episodes()[:2]
    queue = plex.createPlayQueue(episodes)
    client.playMedia(queue)
    before = len(emu.history())
    emu.advance(episodes[0].duration / 1000 + 1)
    assert emu.player("Living Room TV").timeline()["ratingKey"] == str(episodes[1].ratingKey)
    emu.advance(episodes[1].duration / 1000 + 1)
    assert emu.player("Living Room TV").timeline()["state"] == "stopped"
    history = emu.history()
    assert len(history) == before + 2 and history[0]["ratingKey"] == str(episodes[1].ratingKey)
    assert episodes[0].reload().isPlayed and plex.sessions() == []


def test_alert_listener_receives_playing_notifications(setup):
    emu, plex = setup
    got: list[dict] = []
    seen = threading.Event()

    def callback(data: dict) -> None:
        got.append(data)
        if data.get("type") == "playing":
            seen.set()

    listener = plex.startAlertListener(callback)
    try:
        time.sleep(0.5)
        movie = plex.library.section("Movies").all()[0]
        plex.client("Living Room TV").playMedia(movie)
        assert seen.wait(5)
        note = next(d for d in got if d["type"] == "playing")["PlaySessionStateNotification"][0]
        assert note["ratingKey"] == str(movie.ratingKey) and note["state"] == "playing"
        assert note["clientIdentifier"] == emu.player("Living Room TV").machine_identifier
        emu.touch_section(1)
        deadline = time.time() + 5
        while time.time() < deadline and not {"activity", "timeline"} <= {d["type"] for d in got}:
            time.sleep(0.05)
        assert {"activity", "timeline"} <= {d["type"] for d in got}
    finally:
        listener.stop()


def test_transcoding_player_session_has_transcode_session(setup):
    emu, plex = setup
    movie = next(
        m for m in plex.library.section("Movies").all() if m.media[0].videoResolution == "4k"
    )
    plex.client("Living Room TV").playMedia(movie)
    emu.advance(5)
    session = plex.sessions()[0]
    assert session.transcodeSession.videoDecision == "transcode"
    assert session.media[0].parts[0].decision == "transcode"
    emu.advance(30)
    assert plex.transcodeSessions()[0].throttled is True


def test_unreachable_player_refuses_and_proxy_errors(setup):
    emu, plex = setup
    tv = emu.player("Living Room TV")
    client = plex.client("Living Room TV")
    tv.reachable = False
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{tv.url}/resources", timeout=2)
    client.proxyThroughServer()
    with pytest.raises(BadRequest):
        client.play()
    tv.reachable = True
    client.play()
    assert requests.get(f"{tv.url}/resources", timeout=2).status_code == 200


def test_target_header_ignored_outside_player_paths(setup):
    emu, plex = setup
    headers = {"X-Plex-Token": emu.token, "X-Plex-Target-Client-Identifier": "some-player"}
    assert (
        requests.get(f"{emu.url}/library/sections", headers=headers, timeout=5).status_code == 200
    )
    assert (
        requests.get(f"{emu.url}/player/playback/play", headers=headers, timeout=5).status_code
        == 404
    )


def test_mpv_style_timeline_reports_show_as_sessions(setup):
    emu, plex = setup
    movie = plex.library.section("Movies").all()[2]
    headers = {
        "X-Plex-Token": emu.token,
        "X-Plex-Client-Identifier": "plextui-mpv-1",
        "X-Plex-Product": "plextui",
        "X-Plex-Device-Name": "plextui (mpv)",
    }
    params = {
        "ratingKey": movie.ratingKey,
        "key": movie.key,
        "state": "playing",
        "time": 5000,
        "duration": movie.duration,
    }
    assert (
        requests.get(f"{emu.url}/:/timeline", params=params, headers=headers, timeout=5).status_code
        == 200
    )
    session = plex.sessions()[0]
    assert session.players[0].title == "plextui (mpv)" and session.players[0].product == "plextui"
    assert session.viewOffset == 5000
    session.stop(reason="bedtime")
    reply = requests.get(f"{emu.url}/:/timeline", params=params, headers=headers, timeout=5)
    assert 'terminationCode="2006"' in reply.text and "bedtime" in reply.text


def test_timeline_reports_read_plex_values_from_the_query_string(setup):
    """Players such as plex-mpv-shim put X-Plex-* in the query string, not in headers."""
    emu, plex = setup
    movie = plex.library.section("Movies").all()[4]
    params = {
        "ratingKey": movie.ratingKey,
        "state": "paused",
        "time": 9000,
        "X-Plex-Token": emu.token,
        "X-Plex-Client-Identifier": "den-mpv-1",
        "X-Plex-Device-Name": "Den mpv",
        "X-Plex-Product": "Plex MPV Shim",
        "X-Plex-Platform": "Debian",
        "X-Plex-Version": "1.11.0",
    }
    assert requests.get(f"{emu.url}/:/timeline", params=params, timeout=5).status_code == 200
    (player,) = plex.sessions()[0].players
    assert (player.title, player.product, player.platform) == (
        "Den mpv",
        "Plex MPV Shim",
        "Debian",
    )
    assert player.machineIdentifier == "den-mpv-1" and player.state == "paused"
