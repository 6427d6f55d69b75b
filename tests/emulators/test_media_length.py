"""Parts last as long as their metadata says: the real mpv (headless, over its JSON IPC)
plays a 2 h film from the emulator, seeks to 1:00:00 and agrees on the duration."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from plexapi.server import PlexServer

from plextui.emulators.plex.media import MediaFiles


class Mpv:
    """Just enough of mpv's JSON IPC for these tests (the product's client is not under test)."""

    def __init__(self, directory: Path) -> None:
        path = directory / "mpv.sock"
        self.process = subprocess.Popen(
            ["mpv", "--idle=yes", "--no-config", "--vo=null", "--ao=null", "--really-quiet",
             f"--input-ipc-server={path}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not path.exists():
            assert time.monotonic() < deadline, "mpv did not open its IPC socket"
            time.sleep(0.02)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(str(path))
        self.sock.settimeout(10)
        self.stream = self.sock.makefile("rb")
        self.request = 0

    def command(self, *args):
        self.request += 1
        message = {"command": list(args), "request_id": self.request}
        self.sock.sendall(json.dumps(message).encode() + b"\n")
        while True:
            reply = json.loads(self.stream.readline())
            if reply.get("request_id") == self.request:
                return reply.get("data")

    def wait_for(self, name: str, predicate, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while True:
            value = self.command("get_property", name)
            if value is not None and predicate(value):
                return value
            assert time.monotonic() < deadline, f"mpv's {name} stayed at {value}"
            time.sleep(0.05)

    def close(self) -> None:
        self.sock.close()
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def mpv(tmp_path):
    player = Mpv(tmp_path)
    yield player
    player.close()


@pytest.fixture(scope="module")
def plex(emu) -> PlexServer:
    return PlexServer(emu.url, emu.token, timeout=10)


def part_url(emu, item) -> str:
    return f"{emu.url}{item.media[0].parts[0].key}?X-Plex-Token={emu.token}"


def test_mpv_plays_a_two_hour_film_for_two_hours_and_seeks_to_one_hour(emu, plex, mpv):
    film = min(plex.library.section("Movies").all(), key=lambda m: abs(m.duration - 7_200_000))
    assert 100 * 60_000 < film.duration < 140 * 60_000
    mpv.command("loadfile", part_url(emu, film))
    duration = mpv.wait_for("duration", lambda d: d > 0)
    assert duration == pytest.approx(film.duration / 1000, abs=0.5)
    mpv.wait_for("time-pos", lambda t: t >= 0)
    mpv.command("seek", 3600, "absolute")
    position = mpv.wait_for("time-pos", lambda t: t >= 3600)
    assert position < 3603
    mpv.wait_for("time-pos", lambda t: t >= position + 0.3)  # and it plays on from there


def test_a_track_lasts_as_long_as_its_metadata(emu, plex, mpv):
    track = plex.library.section("Music").searchTracks()[0]
    mpv.command("loadfile", part_url(emu, track))
    duration = mpv.wait_for("duration", lambda d: d > 0)
    assert duration == pytest.approx(track.duration / 1000, abs=0.5)
    tracks = mpv.wait_for("track-list", lambda t: len(t) > 0)  # duration can come first
    assert [t["type"] for t in tracks] == ["audio"]  # audio only


def test_parts_are_small_and_made_once_per_duration(emu, plex, tmp_path):
    film = max(plex.library.section("Movies").all(), key=lambda m: m.duration)
    reply = requests.get(part_url(emu, film), timeout=10)
    assert reply.status_code == 200 and reply.headers["Content-Type"] == "video/x-matroska"
    assert len(reply.content) < 1_000_000  # a 3 h film in well under a megabyte
    files = MediaFiles(tmp_path)
    first = files.part("video", 5_400_000)
    made = first.stat().st_mtime_ns
    assert files.part("video", 5_400_000) == first and first.stat().st_mtime_ns == made
    assert files.part("audio", 5_400_000) != first
