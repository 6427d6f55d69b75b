"""A command without a player goes where the user means: the named one, else the one
that is playing or paused, else the default, else a question listing them."""

from __future__ import annotations

import json

from plextui.control.controller import Controller
from tests.playerkit import PLEXAMP, TV, a_movie, a_track, ctl, play_on, players_put_back, run  # noqa: F401


async def test_the_one_busy_player_is_paused_without_naming_it(controller, service, emu):
    movie = await a_movie(controller)
    assert (await play_on(controller, movie, TV)).ok
    fresh = Controller(service, start_timeout=5)  # no active player, no default
    result = await run(fresh, "pause")
    assert result.ok, result.message
    assert result.message == f"Paused on {TV}"
    assert emu.player(TV).timeline()["state"] == "paused"


async def test_the_busy_player_beats_the_default(controller, service, emu):
    movie = await a_movie(controller)
    assert (await play_on(controller, movie, TV)).ok
    fresh = Controller(service, start_timeout=5, default_player=PLEXAMP)
    assert (await run(fresh, "pause")).message == f"Paused on {TV}"
    assert emu.player(TV).timeline()["state"] == "paused"
    assert emu.player(PLEXAMP).commands.count("playback/pause") == 0


async def test_two_busy_players_ask_unless_there_is_a_default(controller, service, emu):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    assert (await play_on(controller, await a_track(controller), PLEXAMP)).ok
    fresh = Controller(service, start_timeout=5)
    asked = await run(fresh, "pause")
    assert not asked.ok and asked.exit_code == 1  # failed, like a title that matches several
    assert asked.message == (
        f"which player? {TV} and {PLEXAMP} are playing; name one with 'on <player>'"
    )
    assert emu.player(TV).timeline()["state"] == "playing"
    fresh.default_player = PLEXAMP
    assert (await run(fresh, "pause")).message == f"Paused on {PLEXAMP}"
    assert emu.player(PLEXAMP).timeline()["state"] == "paused"
    assert emu.player(TV).timeline()["state"] == "playing"


async def test_ctl_pause_finds_the_playing_player_with_no_default(controller, emu, tmp_path):
    movie = await a_movie(controller, start=9)
    assert (await play_on(controller, movie, TV)).ok
    empty = str(tmp_path / "empty.toml")  # no plex.default_player in it
    out = ctl(emu, "pause", "--json", config=empty)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["ok"] is True and answer["message"] == f"Paused on {TV}"
    assert emu.player(TV).timeline()["state"] == "paused"
