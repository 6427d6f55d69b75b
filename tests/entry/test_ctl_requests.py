"""`plextui ctl` as a user runs it, counted on the emulated server and player: one request
for `sessions`, `search` and `now`; for `pause`, what plays and where its player is, then
the player's own timeline and one command (nothing when it is already paused); and none
of plexapi, requests or asyncio loaded on the way (control/quick.py), so ctl keeps pace
with a plain plexapi script (bench/process.py times the two; this holds the count).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from plextui.control.controller import Controller
from tests.playerkit import ctl, play_on, run

TV = "Living Room TV"


@pytest.fixture(scope="module")
def pms(make_module_plex):
    return make_module_plex(token="ctl-requests", size=200, seed=3, players=1)


def asked(emu, since: int) -> list[str]:
    return [path.partition("?")[0] for _, path, _ in emu.requests[since:]]


def counted(emu, *words: str) -> list[str]:
    """What the server was asked while `plextui ctl WORDS` ran (and it exited 0)."""
    before = len(emu.requests)
    done = ctl(emu, *words)
    assert done.returncode == 0, done.stderr
    return asked(emu, before)


def test_a_read_is_one_request(pms):
    assert counted(pms, "sessions") == ["/status/sessions"]
    assert counted(pms, "search", "night") == ["/hubs/search"]
    assert counted(pms, "search", "star") == ["/hubs/search"]


def heavy_loaded(emu, *words: str) -> list[str]:
    """The Controller's route modules loaded while `plextui ctl WORDS` ran (exit 0)."""
    heavy = ["plexapi", "requests", "asyncio", "plextui.control.controller"]
    probe = (
        "import sys\nfrom plextui.entry.cli import main\n"
        "code = main(sys.argv[1:])\n"
        f"print([m for m in {heavy!r} if m in sys.modules], code)"
    )
    env = {**os.environ, "PLEX_SERVER_URL": emu.url, "PLEX_API_TOKEN": emu.token}
    done = subprocess.run(
        [sys.executable, "-c", probe, "ctl", *words],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    loaded, _, code = done.stdout.splitlines()[-1].rpartition(" ")
    assert code == "0", done.stderr
    return ast.literal_eval(loaded)


def test_reads_load_neither_plexapi_nor_requests_nor_asyncio(pms):
    assert heavy_loaded(pms, "sessions") == []
    assert heavy_loaded(pms, "search", "night") == []
    assert "plextui.control.controller" in heavy_loaded(pms, "libraries")  # for contrast


async def test_pause_asks_for_the_players_and_what_plays_then_sends_one_command(pms, make_service):
    service = await make_service(pms)
    controller = Controller(service, max_sessions=10, start_timeout=10)
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    played = await play_on(controller, (await service.browse(movies, 5, 1)).items[0])
    assert played.ok, played.message
    tv = pms.player(TV)
    seen = len(tv.commands)
    assert counted(pms, "pause") == ["/status/sessions", "/clients"]
    assert tv.commands[seen:] == ["timeline/poll", "playback/pause"]
    assert tv.timeline()["state"] == "paused"
    seen = len(tv.commands)
    assert counted(pms, "pause") == ["/status/sessions", "/clients"]
    assert tv.commands[seen:] == ["timeline/poll"]  # already paused: nothing sent
    assert counted(pms, "resume") == ["/status/sessions", "/clients"]
    assert tv.timeline()["state"] == "playing"
    assert counted(pms, "now") == ["/status/sessions"]
    assert heavy_loaded(pms, "now") == heavy_loaded(pms, "pause") == []
    assert (await run(controller, "stop")).ok
