"""ctl's quick answers say what the Controller says, from fewer requests, and step aside
(None, nothing sent) whenever the Controller's whole rule is needed: checked against the
Controller on the same emulated server and player, the player's own timeline the judge."""

from __future__ import annotations

import dataclasses
import json
import socket
import time

import pytest

from plextui.config import Settings, paths
from plextui.control import quick
from plextui.core.commands import parse_command
from plextui.errors import AuthError, StreamError, UnreachableError
from plextui.plex import remembered
from tests.playerkit import TV, a_movie, play_on, players_put_back, run, sent  # noqa: F401


def settings(emu, **plex) -> Settings:
    base = Settings()
    options = {"url": emu.url, "token": emu.token, "client_id": "plextui-quick"} | plex
    return dataclasses.replace(base, plex=dataclasses.replace(base.plex, **options))


def answer(emu, text: str, player: str | None = None, **plex):
    return quick.answer(settings(emu, **plex), parse_command(text), player)


def same(a, b) -> bool:
    """The same answer, but for a playing position read a moment apart."""
    plain = [r.to_json() for r in (a, b)]
    for data in plain:
        for session in data["data"].get("sessions") or []:
            session["progress_ms"] = session["item"]["view_offset_ms"] = 0
    return plain[0] == plain[1]


@pytest.mark.parametrize("text", ["search night", "search zzzq", "search \udcff\udcfe", "sessions"])
async def test_reads_answer_as_the_controller_does(emu, controller, text):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    ours = answer(emu, text)
    assert ours is not None and ours.ok
    assert same(ours, await run(controller, text))


async def test_now_is_the_one_stream_as_its_session_tells(emu, controller):
    movie = await a_movie(controller)
    assert answer(emu, "now") is None  # nothing streams: a player may play elsewhere
    assert (await play_on(controller, movie, TV)).ok
    ours = answer(emu, "now")
    card = ours.data["now"]
    assert (card.title, card.player, card.state) == (movie.display_title, TV, "playing")
    assert ours.message.startswith(f"Playing: {movie.display_title} on {TV} (")
    assert answer(emu, "now", player=TV) is None  # a player named: the Controller's rule


async def test_pause_and_resume_reach_the_player_once(emu, controller):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    pauses = sent(tv, "pause")
    ours = answer(emu, "pause")
    assert (ours.ok, ours.message, ours.data) == (
        True,
        f"Paused on {TV}",
        {"player": TV, "sent": True},
    )
    assert tv.timeline()["state"] == "paused" and sent(tv, "pause") == pauses + 1
    again = answer(emu, "pause")
    assert again.message == f"Already paused on {TV}" and sent(tv, "pause") == pauses + 1
    assert answer(emu, "resume").message == f"Resumed on {TV}"
    assert tv.timeline()["state"] == "playing"


async def test_a_player_refusing_is_said_as_the_controller_says_it(emu, controller):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    tv.refuse = "Busy showing a menu"
    ours = answer(emu, "pause")
    assert isinstance(ours.error, StreamError)
    assert ours.message == (await run(controller, "pause")).message
    tv.refuse, tv.http_error = "", 404
    ours = answer(emu, "pause")
    assert ours.message == f"player '{TV}' refused pause: HTTP 404 (not found)"
    assert tv.timeline()["state"] == "playing"


async def test_a_player_out_of_reach_is_left_to_the_controller(emu, controller):
    """Its connection is refused, so nothing reached it: the Controller goes through the
    server's proxy and says which side failed."""
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    pauses = sent(tv, "pause")
    tv.reachable = False
    assert answer(emu, "pause") is None
    tv.reachable = True
    assert sent(tv, "pause") == pauses and tv.timeline()["state"] == "playing"


async def test_a_slow_player_is_reported_and_not_asked_again(emu, controller):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    tv.answer_delay = 1.6
    pauses = sent(tv, "pause")
    ours = answer(emu, "pause", timeout=1)
    assert isinstance(ours.error, UnreachableError)
    assert ours.message == (
        f"player '{TV}' did not answer pause within 1 s;"
        " it may still act on it, so it was not sent again"
    )
    assert sent(tv, "pause") == pauses + 1


def test_server_failures_are_the_controllers_sentences(emu):
    refused = answer(emu, "sessions", token="wrong")
    assert isinstance(refused.error, AuthError) and refused.exit_code == 2
    assert refused.message == (
        f"the Plex server at {emu.url} refused the token (check plex.token or PLEX_API_TOKEN)"
    )
    gone = answer(emu, "search night", url="http://127.0.0.1:9")
    assert isinstance(gone.error, UnreachableError) and gone.exit_code == 3
    assert gone.message == "cannot reach the Plex server at http://127.0.0.1:9"


def test_other_verbs_go_to_the_controller(emu):
    for text in ("libraries", "play night", "stop", "seek 1:00", "players"):
        assert answer(emu, text) is None


async def test_an_address_remembered_too_long_ago_is_not_used(emu, controller):
    """The players memory holds an address for a week, for the quick answer as for
    discovery (plex/remembered.py): an older one is asked of the server again."""
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    week_and_a_day = time.time() - remembered.REMEMBER_SECONDS - 24 * 3600
    paths.known_players_path().parent.mkdir(parents=True, exist_ok=True)
    paths.known_players_path().write_text(
        json.dumps(
            {
                tv.machine_identifier: {
                    "url": dead,
                    "name": TV,
                    "found_by": ["gdm"],
                    "seen": week_and_a_day,
                }
            }
        )
    )
    ours = answer(emu, "pause")
    assert ours is not None and ours.message == f"Paused on {TV}"
    assert tv.timeline()["state"] == "paused"
