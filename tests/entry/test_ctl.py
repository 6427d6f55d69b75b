"""`plextui serve-demo` in one process and `plextui ctl …` in others, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from xml.etree import ElementTree

import pytest


def plextui(
    *args: str, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plextui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def demo_server():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plextui",
            "serve-demo",
            "--port",
            "0",
            "--token",
            "ctl-token",
            "--size",
            "200",
            "--seed",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = proc.stdout.readline().strip()
    url = first.split()[0]
    assert url.startswith("http://127.0.0.1:"), first
    assert "ctl-token" in first
    yield url
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0


def env_for(url: str, token: str = "ctl-token") -> dict:
    return {"PLEX_SERVER_URL": url, "PLEX_API_TOKEN": token}


def a_title(url: str) -> str:
    request = urllib.request.Request(
        f"{url}/library/sections/1/all?type=1&X-Plex-Container-Start=10&X-Plex-Container-Size=1",
        headers={"X-Plex-Token": "ctl-token"},
    )
    body = urllib.request.urlopen(request, timeout=10).read().decode()
    item = ElementTree.fromstring(body)[0].attrib
    return f"{item['title']} ({item['year']})"


def test_play_pause_seek_now(demo_server):
    env = env_for(demo_server)
    title = a_title(demo_server)
    out = plextui("ctl", "play", title, "on", "Living Room TV", env=env)
    assert out.returncode == 0, out.stderr
    assert "Playing" in out.stdout and "Living Room TV" in out.stdout
    assert plextui("ctl", "pause", env=env).returncode == 0
    seek = plextui("ctl", "seek", "10:00", env=env)
    assert seek.returncode == 0 and "00:10:00" in seek.stdout
    now = plextui("ctl", "now", "--json", env=env)
    assert now.returncode == 0, now.stderr
    card = json.loads(now.stdout)
    assert card["ok"] is True and card["command"] == "now"
    assert card["data"]["now"]["state"] == "paused"
    assert card["data"]["now"]["player"] == "Living Room TV"
    assert abs(card["data"]["now"]["position_ms"] - 600_000) < 2000
    assert plextui("ctl", "stop", env=env).returncode == 0


def test_usage_error_exits_2(demo_server):
    out = plextui("ctl", "paly", "x", env=env_for(demo_server))
    assert out.returncode == 2
    assert "unknown command 'paly'; did you mean 'play'?" in out.stderr
    assert "Traceback" not in out.stderr


def test_failed_command_exits_1(demo_server):
    out = plextui("ctl", "play", "Zzzz Nothing", "on", "Living Room TV", env=env_for(demo_server))
    assert out.returncode == 1
    assert "nothing called 'Zzzz Nothing'" in out.stderr


def test_bad_token_exits_2_without_leaking(demo_server):
    out = plextui("ctl", "libraries", env=env_for(demo_server, "wrong-secret"))
    assert out.returncode == 2
    assert "refused the token" in out.stderr and "wrong-secret" not in out.stderr


def test_unreachable_exits_3():
    out = plextui("ctl", "libraries", "--server", "http://127.0.0.1:9", "--token", "t")
    assert out.returncode == 3
    assert "cannot reach the Plex server at http://127.0.0.1:9" in out.stderr


def test_no_server_configured_exits_2():
    out = plextui("ctl", "now")
    assert out.returncode == 2
    assert "no Plex server configured" in out.stderr


def test_json_listing(demo_server):
    out = plextui("ctl", "players", "--json", env=env_for(demo_server))
    data = json.loads(out.stdout)
    assert {p["name"] for p in data["data"]["players"]} >= {"Living Room TV", "Kitchen Plexamp"}


def test_play_on_local_with_quality_then_ctrl_c(demo_server):
    """`ctl play … on local` plays in this process's mpv until it ends or Ctrl-C."""
    request = urllib.request.Request(
        f"{demo_server}/library/sections/1/all?type=1&X-Plex-Container-Start=3&X-Plex-Container-Size=1",
        headers={"X-Plex-Token": "ctl-token"},
    )
    item = ElementTree.fromstring(urllib.request.urlopen(request, timeout=10).read())[0].attrib
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plextui",
            "ctl",
            "play",
            f"{item['title']} ({item['year']})",
            "on",
            "local",
            "--quality",
            "720p",
            "--from-start",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            **env_for(demo_server),
            "PLEXTUI_MPV_HEADLESS": "1",
            "PYTHONFAULTHANDLER": "1",  # SIGABRT then dumps every thread's stack
        },
    )
    line = proc.stdout.readline()
    assert "Playing" in line and "This computer" in line, line or proc.stderr.read()
    sessions = plextui("ctl", "sessions", "--json", env=env_for(demo_server))
    mine = [
        s
        for s in json.loads(sessions.stdout)["data"]["sessions"]
        if s["item"]["title"] == item["title"]
    ]
    assert mine and mine[0]["decision"] == "transcode"
    proc.send_signal(signal.SIGINT)
    try:
        assert proc.wait(timeout=20) == 130
    except subprocess.TimeoutExpired:  # say where it hangs: Python's own stack dump
        proc.send_signal(signal.SIGABRT)
        stacks = proc.communicate(timeout=10)[1]
        raise AssertionError(f"ctl ignored Ctrl-C for 20 s: {stacks}") from None
    after = plextui("ctl", "sessions", "--json", env=env_for(demo_server))
    assert not [
        s
        for s in json.loads(after.stdout)["data"]["sessions"]
        if s["item"]["title"] == item["title"]
    ]


def test_quality_flag_needs_play(demo_server):
    out = plextui("ctl", "pause", "--quality", "720p", env=env_for(demo_server))
    assert out.returncode == 2 and "--quality go with play" in out.stderr


def test_a_2160p_cap_is_accepted(demo_server, isolated_user_dirs):
    """max_quality above the ladder's top rung means no cap; every front end still starts."""
    cfg = os.environ["PLEXTUI_CONFIG"]
    os.makedirs(os.path.dirname(cfg), exist_ok=True)
    with open(cfg, "w") as handle:
        handle.write('[quality]\nmax_quality = "2160p"\n')
    out = plextui("ctl", "libraries", env=env_for(demo_server))
    assert out.returncode == 0, out.stderr


def test_stats_and_cache_clear_for_the_configured_server(demo_server):
    env = env_for(demo_server)
    assert plextui("ctl", "libraries", env=env).returncode == 0  # fills the cache
    stats = json.loads(plextui("ctl", "stats", "--json", env=env).stdout)
    cache = stats["data"]["cache"]
    assert cache["entries"] >= 1 and "libraries" in cache["kinds"]
    cleared = plextui("cache", "clear", env=env)
    assert cleared.returncode == 0 and "Cache cleared." in cleared.stdout
    after = json.loads(plextui("ctl", "stats", "--json", env=env).stdout)
    assert after["data"]["cache"]["entries"] == 0
