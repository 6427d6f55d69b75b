"""plextui drives a real third-party Plex player (plex-mpv-shim) end to end.

Each step runs `plextui ctl` in its own process, as a user would, with no player
configured: the shim is found by GDM. Each step is then checked against the shim's own
timeline, not against what plextui says it did.
"""

from __future__ import annotations

import json

import pytest
from plexapi.server import PlexServer

from tests.playerkit import ctl as _ctl

pytestmark = pytest.mark.serial  # the shim holds UDP 32412 (see conftest)


def ctl(pms, *words: str):
    return _ctl(pms, *words, gdm=True)  # the defaults, as a user has them: GDM on


def a_film(pms) -> str:
    films = PlexServer(pms.url, pms.token).library.section("Movies").all()
    return max(films, key=lambda m: m.duration or 0).title  # long enough to seek in


def test_ctl_players_lists_the_shim_found_by_gdm_with_no_configuration(pms, shim):
    done = ctl(pms, "players", "--json")
    assert done.returncode == 0, done.stderr
    players = json.loads(done.stdout)["data"]["players"]
    found = [p for p in players if p["machine_identifier"] == shim.machine_identifier]
    assert len(found) == 1, players
    assert found[0]["name"] == shim.name
    assert "gdm" in found[0]["found_by"]
    assert found[0]["reachable"] is True
    assert found[0]["address"] == shim.url  # commanded at its own address

    text = ctl(pms, "players")
    assert f"{shim.name} (Plex MPV Shim) · " in text.stdout and "gdm" in text.stdout


def test_play_pause_pause_seek_volume_stop_on_the_shim(pms, shim):
    title = a_film(pms)
    done = ctl(pms, "play", title, "on", shim.name)
    assert done.returncode == 0, done.stderr
    line = shim.wait_for(lambda t: t.get("state") == "playing")
    assert line.get("state") == "playing", line

    done = ctl(pms, "pause")
    assert done.returncode == 0, done.stderr
    assert shim.wait_for(lambda t: t.get("state") == "paused").get("state") == "paused"

    done = ctl(pms, "pause")  # again: a toggling player must not be flipped back
    assert done.returncode == 0, done.stderr
    assert shim.timeline().get("state") == "paused"

    done = ctl(pms, "seek", "0:30")
    assert done.returncode == 0, done.stderr
    line = shim.wait_for(lambda t: abs(int(t.get("time", 0)) - 30_000) < 3_000)
    assert abs(int(line.get("time", 0)) - 30_000) < 3_000, line

    done = ctl(pms, "volume", "40")
    assert done.returncode == 0, done.stderr
    line = shim.wait_for(lambda t: float(t.get("volume", -1)) == 40)  # the shim says "40.0"
    assert float(line.get("volume", -1)) == 40, line

    done = ctl(pms, "stop")
    assert done.returncode == 0, done.stderr
    assert shim.wait_for(lambda t: t.get("state") == "stopped").get("state") == "stopped"


def test_audio_and_subtitles_switch_on_the_shim(pms, shim):
    """The shim lists audioStream and subtitleStream as controllable; `setStreams` reaches
    it and its own timeline reports the chosen stream ids."""
    plex = PlexServer(pms.url, pms.token)
    film = next(
        m
        for m in plex.library.section("Movies").all()
        if len(m.media[0].parts[0].audioStreams()) == 2 and m.media[0].parts[0].subtitleStreams()
    )
    part = film.media[0].parts[0]
    done = ctl(pms, "play", f"{film.title} ({film.year})", "on", shim.name)
    assert done.returncode == 0, done.stderr
    shim.wait_for(lambda t: t.get("state") == "playing")

    done = ctl(pms, "audio", "2")
    assert done.returncode == 0, done.stderr
    french = str(part.audioStreams()[1].id)
    assert shim.wait_for(lambda t: t.get("audioStreamID") == french).get("audioStreamID") == french

    done = ctl(pms, "subtitles", "1")
    assert done.returncode == 0, done.stderr
    first = str(part.subtitleStreams()[0].id)
    line = shim.wait_for(lambda t: t.get("subtitleStreamID") == first)
    assert line.get("subtitleStreamID") == first, line
    assert ctl(pms, "stop").returncode == 0
