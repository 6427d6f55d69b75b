"""`plextui ctl` as a user runs it, counted on the emulated server: a server seen before is
asked only what the command needs: one request for `sessions` and `search`, at most three
and one command to the player for `pause`, what plays and the players for `now` (the
account's name and the item come from the cache after the first run), so ctl keeps pace with a plain plexapi script
(bench/process.py times the two; this holds the count).
"""

from __future__ import annotations

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


def test_a_server_seen_before_is_asked_one_request_per_read(pms):
    assert counted(pms, "sessions")[0] == "/"  # the first run learns who the server is
    assert counted(pms, "sessions") == ["/status/sessions"]
    assert counted(pms, "search", "night") == ["/hubs/search"]
    assert counted(pms, "search", "star") == ["/hubs/search"]


async def test_pause_asks_for_the_players_and_what_plays_then_sends_one_command(pms, make_service):
    service = await make_service(pms)
    controller = Controller(service, max_sessions=10, start_timeout=10)
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    played = await play_on(controller, (await service.browse(movies, 5, 1)).items[0])
    assert played.ok, played.message
    tv = pms.player(TV)
    counted(pms, "sessions")  # the server is known from here on
    seen = len(tv.commands)
    paths = counted(pms, "pause")  # the players, what plays, and the item the TV names
    assert paths[:2] == ["/clients", "/status/sessions"] and len(paths) <= 3, paths
    assert [c for c in tv.commands[seen:] if c.startswith("playback/")] == ["playback/pause"]
    counted(pms, "now")  # the first `now` asks whose token this is and what the item is
    assert counted(pms, "now") == ["/clients", "/status/sessions"]
    assert (await run(controller, "stop")).ok
