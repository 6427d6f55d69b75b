"""Which side failed, each produced by a real fault of the emulated player, and a command
that may have arrived is never sent again (not directly, not through the server)."""

from __future__ import annotations

from plexapi.client import PlexClient

from plextui.control.controller import Controller
from plextui.core.models import MediaItem
from plextui.errors import MediaError, StreamError, UnreachableError
from plextui.plex.players import RemotePlayer
from plextui.plex.server import PlexService
from tests.playerkit import TV, a_movie, ctl, movie_title, play_on, players_put_back, run, sent  # noqa: F401


async def test_a_player_that_is_off_is_unreachable_and_nothing_arrives(controller, emu):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    pauses = sent(tv, "pause")
    tv.reachable = False
    result = await run(controller, "pause")
    assert isinstance(result.error, UnreachableError) and result.exit_code == 3
    assert result.message == (
        f"player '{TV}' refused the connection, and the server cannot reach it either"
    )
    tv.reachable = True
    assert sent(tv, "pause") == pauses
    assert tv.timeline()["state"] == "playing"


async def test_a_dead_direct_route_falls_back_to_the_server_once(service, emu):
    """The player's advertised address is not routable from here (another subnet); the
    connection fails before anything is sent, so the server's proxy carries the command."""
    tv = emu.player(TV)
    listed = next(
        e
        for e in service.plex.query("/clients")
        if e.attrib["machineIdentifier"] == tv.machine_identifier
    )
    client = PlexClient(
        server=service.plex, data=listed, baseurl="http://127.0.0.1:9", connect=False
    )
    player = RemotePlayer(service, client)
    await player.play(await a_movie(Controller(service)), 0)
    pauses = sent(tv, "pause")
    await player.pause()  # the direct connection is refused: only the server carries it
    assert tv.timeline()["state"] == "paused"
    assert sent(tv, "pause") == pauses + 1
    await player.stop()


async def test_a_slow_answer_is_reported_and_not_sent_again(emu):
    """The player acts, then answers after our timeout: before, plextui resent the command
    through the server, so the player got it twice (and a toggling one flipped back)."""
    slow = PlexService(emu.url, emu.token, client_id="plextui-slow", timeout=1)
    await slow.connect()
    try:
        controller = Controller(slow, start_timeout=5)
        assert (await play_on(controller, await a_movie(controller), TV)).ok
        tv = emu.player(TV)
        tv.toggles, tv.answer_delay = True, 1.6
        pauses = sent(tv, "pause")
        result = await run(controller, "pause")
        assert isinstance(result.error, UnreachableError)
        assert result.message == (
            f"player '{TV}' did not answer pause within 1 s;"
            " it may still act on it, so it was not sent again"
        )
        assert sent(tv, "pause") == pauses + 1
        assert tv.timeline()["state"] == "paused"
    finally:
        slow.close()


async def test_a_player_answering_code_500_refused(controller, emu):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    tv.refuse = "Nope, not implemented, sorry!"
    result = await run(controller, "pause")
    assert isinstance(result.error, StreamError) and result.exit_code == 1
    assert result.message == f"player '{TV}' refused pause: Nope, not implemented, sorry!"
    assert tv.timeline()["state"] == "playing"


async def test_a_player_answering_http_404_is_not_blamed_on_the_server(controller, emu):
    assert (await play_on(controller, await a_movie(controller), TV)).ok
    tv = emu.player(TV)
    tv.http_error = 404
    result = await run(controller, "next")
    assert result.message == f"player '{TV}' refused next: HTTP 404 (not found)"
    assert "removed" not in result.message and result.exit_code == 1


async def test_a_player_that_cannot_fetch_from_the_server(service, emu):
    quick = Controller(service, start_timeout=1)
    movie = await a_movie(quick)
    tv = emu.player(TV)
    tv.cannot_fetch = True
    plays = sent(tv, "playMedia")
    result = await play_on(quick, movie, TV)
    assert not result.ok and isinstance(result.error, StreamError)
    assert result.message == (
        f"{TV} took the command but did not start {movie.display_title} within 1 s:"
        f" it could not load it from the server (can it reach {emu.url}?)"
    )
    assert sent(tv, "playMedia") == plays + 1
    assert tv.timeline()["state"] == "stopped"


async def test_an_item_gone_from_the_server(controller, emu):
    gone = MediaItem("987654321", "movie", "The Deleted Cut", year=1999)
    plays = sent(emu.player(TV), "playMedia")
    result = await play_on(controller, gone, TV)
    assert isinstance(result.error, MediaError)
    assert result.message == (
        "The Deleted Cut (1999) is gone from the server (removed since it was listed)"
    )
    assert sent(emu.player(TV), "playMedia") == plays


def test_ctl_says_the_player_refused(controller, emu):
    tv = emu.player(TV)
    assert ctl(emu, "play", movie_title(emu, 31), "on", TV).returncode == 0
    tv.refuse = "Busy showing a menu"
    out = ctl(emu, "pause")
    assert out.returncode == 1
    assert out.stderr.strip().endswith(f"player '{TV}' refused pause: Busy showing a menu")
    assert "Traceback" not in out.stderr
    assert tv.timeline()["state"] == "playing"
