"""Honest, idempotent transport: the player's state is read first, so a command that would
change nothing is not sent, and a player that toggles on pause and play (plex-mpv-shim
does) is never flipped back. Nothing playing is a failure; the end of an item is not a
place to seek to."""

from __future__ import annotations

import json

from plextui.core.timecode import format_compact
from tests.playerkit import TV, a_movie, ctl, movie_title, play_on, players_put_back, run, sent  # noqa: F401


async def test_a_second_pause_leaves_a_toggling_player_paused(controller, emu):
    tv = emu.player(TV)
    tv.toggles = True
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    pauses, plays = sent(tv, "pause"), sent(tv, "play")
    first = await run(controller, "pause")
    assert first.message == f"Paused on {TV}" and first.data["sent"] is True
    assert tv.timeline()["state"] == "paused"
    second = await run(controller, "pause")
    assert second.ok and second.message == f"Already paused on {TV}"
    assert second.data["sent"] is False
    assert tv.timeline()["state"] == "paused"
    assert sent(tv, "pause") == pauses + 1
    assert (await run(controller, "resume")).message == f"Resumed on {TV}"
    again = await run(controller, "resume")
    assert again.message == f"Already playing on {TV}"
    assert tv.timeline()["state"] == "playing"
    assert sent(tv, "play") == plays + 1


async def test_pause_reads_the_player_after_another_remote_paused_it(controller, service, emu):
    from plextui.control.controller import Controller

    tv = emu.player(TV)
    tv.toggles = True
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    await run(Controller(service), "pause")  # another remote, a moment earlier
    result = await run(controller, "pause")
    assert result.message == f"Already paused on {TV}"
    assert tv.timeline()["state"] == "paused"


async def test_nothing_playing_fails_and_sends_nothing(controller, emu):
    controller.default_player = TV
    tv = emu.player(TV)
    before = list(tv.commands)
    for text in ("pause", "resume", "next", "prev", "seek 10", "volume 40", "toggle"):
        result = await run(controller, text)
        assert not result.ok, text
        assert result.message == f"nothing is playing on {TV}", text
        assert result.exit_code == 1
    assert [c for c in tv.commands[len(before) :] if c.startswith("playback/")] == []
    stop = await run(controller, "stop")
    assert stop.ok and stop.message == f"Nothing is playing on {TV}"
    assert stop.data["sent"] is False


async def test_seek_past_the_end_is_refused_and_nothing_is_scrobbled(controller, emu):
    movie = await a_movie(controller, start=12)
    assert (await play_on(controller, movie, TV)).ok
    tv = emu.player(TV)
    duration = int(tv.timeline()["duration"])
    views = (await controller.service.item(movie.rating_key)).view_count
    seeks = sent(tv, "seekTo")
    beyond = format_compact(duration + 13 * 60_000)
    result = await run(controller, f"seek {beyond}")
    assert not result.ok and result.exit_code == 1
    assert result.message == (
        f"cannot seek to {beyond}: {movie.display_title} is {format_compact(duration)} long"
    )
    assert sent(tv, "seekTo") == seeks
    at_end = await run(controller, f"seek {format_compact(duration)}")
    assert not at_end.ok and "long" in at_end.message
    assert tv.timeline()["state"] == "playing"
    assert tv.timeline()["ratingKey"] == movie.rating_key
    assert (await controller.service.item(movie.rating_key)).view_count == views
    near = await run(controller, f"seek {format_compact(duration - 60_000)}")
    assert near.ok
    assert not (await run(controller, "seek +5m")).ok
    assert abs(int(tv.timeline()["time"]) - (duration - 60_000)) < 2000


def test_ctl_pause_pause_on_a_toggling_player(controller, emu):
    """Two `plextui ctl pause` processes: the second finds it paused and leaves it so."""
    tv = emu.player(TV)
    tv.toggles = True
    pauses = sent(tv, "pause")
    out = ctl(emu, "play", movie_title(emu), "on", TV)
    assert out.returncode == 0, out.stderr
    assert tv.timeline()["state"] == "playing"
    first = ctl(emu, "pause")
    assert first.returncode == 0 and first.stdout.strip() == f"Paused on {TV}"
    second = ctl(emu, "pause", "--json")
    assert second.returncode == 0
    assert json.loads(second.stdout)["message"] == f"Already paused on {TV}"
    assert tv.timeline()["state"] == "paused" and sent(tv, "pause") == pauses + 1


def test_ctl_nothing_playing_exits_1_with_ok_false(controller, emu):
    out = ctl(emu, "next", "--json", "--player", TV)
    assert out.returncode == 1
    answer = json.loads(out.stdout)
    assert answer["ok"] is False and answer["message"] == f"nothing is playing on {TV}"
