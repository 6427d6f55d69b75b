"""Fault switches, restart, websocket drops, scale and the serve-demo command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from xml.etree.ElementTree import ParseError

import pytest
import requests
from plexapi.exceptions import BadRequest, Unauthorized
from plexapi.server import PlexServer

from plextui.emulators.plex import PlexEmulator


def test_status_delay_and_broken_bodies(fresh):
    emu = fresh()
    plex = PlexServer(emu.url, emu.token, timeout=10)
    emu.faults.status = 500
    with pytest.raises(BadRequest):
        plex.library.sections()
    emu.faults.status = None
    emu.faults.delay = 0.3
    start = time.monotonic()
    plex.query("/identity")
    assert time.monotonic() - start >= 0.3
    emu.faults.delay = 0
    emu.faults.malformed = True
    with pytest.raises(ParseError):
        plex.query("/library/sections")
    emu.faults.malformed = False
    emu.faults.truncated = True
    with pytest.raises(ParseError):
        plex.query("/library/sections")
    emu.faults.truncated = False
    assert plex.library.sections()


def test_hang_times_out(fresh):
    emu = fresh()
    emu.faults.hang = True
    with pytest.raises(requests.Timeout):
        requests.get(f"{emu.url}/identity", timeout=0.5)


def test_revoke_and_restore_token(fresh):
    emu = fresh()
    plex = PlexServer(emu.url, emu.token, timeout=10)
    emu.faults.revoke_token()
    with pytest.raises(Unauthorized):
        plex.query("/library/sections")
    emu.faults.restore_token()
    assert plex.query("/library/sections") is not None


def test_restart_keeps_port_and_library(fresh):
    emu = fresh()
    url, first = emu.url, PlexServer(emu.url, emu.token).library.section("Movies").all()[0].title
    emu.restart()
    assert emu.url == url
    assert PlexServer(emu.url, emu.token).library.section("Movies").all()[0].title == first


def test_drop_websockets_closes_listener(fresh):
    emu = fresh()
    plex = PlexServer(emu.url, emu.token, timeout=10)
    listener = plex.startAlertListener(lambda _d: None)
    time.sleep(0.5)
    assert emu.core.notifier.sockets
    emu.drop_websockets()
    deadline = time.time() + 5
    while listener.is_alive() and time.time() < deadline:
        time.sleep(0.05)
    assert not listener.is_alive() and not emu.core.notifier.sockets


def test_requests_log_omits_token(fresh):
    emu = fresh()
    PlexServer(emu.url, emu.token).library.sections()
    assert emu.requests and all(
        emu.token not in p and "X-Plex-Token" not in h for _m, p, h in emu.requests
    )


def test_same_seed_same_library_and_pages_on_200k_items(make_plex):
    """Paging deep into 200 000 items answers the right page (speed is measured in bench/)."""
    big = make_plex(size=200_000, seed=5)
    plex = PlexServer(big.url, big.token, timeout=30)
    movies = plex.library.section("Movies")
    movies.search(container_start=70_000, container_size=50, maxresults=50)  # warm the sort index
    page = movies.search(container_start=40_000, container_size=50, maxresults=50)
    before = movies.search(container_start=39_999, container_size=2, maxresults=2)
    assert len(page) == 50 and page[0].ratingKey == before[1].ratingKey
    assert movies.totalViewSize() == 80_000
    again = PlexEmulator(size=300, seed=5)
    assert again.find(again.library.items[1].title) == "1"
    assert [i.title for i in again.library.items[1:20]] == [
        i.title for i in PlexEmulator(size=300, seed=5).library.items[1:20]
    ]


def test_serve_demo_prints_url_and_stops_on_sigterm():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plextui.emulators.plex",
            "--size",
            "50",
            "--token",
            "tok-1",
            "--verbose",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        first = proc.stdout.readline().strip()
        url, token = first.split()
        assert url.startswith("http://127.0.0.1:") and token == "token=tok-1"
        assert PlexServer(url, "tok-1").library.sections()
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "GET /library/sections" in err and "tok-1" not in err
