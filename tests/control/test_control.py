"""Every command of the grammar end to end, verified through the emulator's own view."""

from __future__ import annotations

import asyncio

from plextui.core.commands import Command, VolumeChange, parse_command
from plextui.core.timecode import SeekTarget
from plextui.errors import MediaError, SessionError, StreamError
from tests.playerkit import play_on


async def run(controller, text):
    return await controller.execute(parse_command(text))


async def a_movie(controller):
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    return (await controller.service.browse(movies, size=1, start=5)).items[0]


async def test_play_pause_resume_seek_stop(controller, emu):
    movie = await a_movie(controller)
    result = await run(controller, f'play "{movie.title} ({movie.year})" on "Living Room TV"')
    assert result.ok, result.message
    tv = emu.player("Living Room TV")
    assert tv.timeline()["ratingKey"] == movie.rating_key
    assert tv.timeline()["state"] == "playing"
    assert result.data["now"].player == "Living Room TV"
    assert any(
        s["player"] == "Living Room TV" and s["ratingKey"] == movie.rating_key
        for s in emu.sessions()
    )

    assert (await run(controller, "pause")).ok
    assert tv.timeline()["state"] == "paused"
    assert (await run(controller, "resume")).ok
    assert tv.timeline()["state"] == "playing"
    assert (await run(controller, "toggle")).ok
    assert tv.timeline()["state"] == "paused"

    seek = await run(controller, "seek 10:00")
    assert seek.ok and seek.data["position_ms"] == 600_000
    assert abs(int(tv.timeline()["time"]) - 600_000) < 2000

    now = await run(controller, "now")
    assert now.data["now"].title.startswith(movie.title)
    assert (await run(controller, "stop")).ok
    assert tv.timeline()["state"] == "stopped"


async def test_play_shows_up_in_server_sessions(controller, emu, service):
    movie = await a_movie(controller)
    await play_on(controller, movie, "Living Room TV")
    sessions = await service.sessions()
    assert any(
        s.player == "Living Room TV" and s.item.rating_key == movie.rating_key for s in sessions
    )
    await run(controller, "stop")


async def test_volume_set_and_relative(controller, emu):
    await play_on(controller, await a_movie(controller), "Living Room TV")
    assert (await run(controller, "volume 40")).data["volume"] == 40
    assert int(emu.player("Living Room TV").timeline()["volume"]) == 40
    assert (await run(controller, "volume +15")).data["volume"] == 55
    await run(controller, "stop")


async def test_rapid_volume_and_seek_presses_coalesce(controller, emu):
    await play_on(controller, await a_movie(controller), "Living Room TV")
    await run(controller, "volume 20")
    await run(controller, "seek 1:00")
    player = await controller.find_player("Living Room TV")
    received = emu.player("Living Room TV").commands
    before = received.count("playback/setParameters")
    levels = await asyncio.gather(
        *(player.volume(VolumeChange(5, relative=True)) for _ in range(10))
    )
    assert set(levels) == {70}
    assert received.count("playback/setParameters") - before == 1
    assert int(emu.player("Living Room TV").timeline()["volume"]) == 70
    seeks_before = received.count("playback/seekTo")
    positions = await asyncio.gather(
        *(player.seek(SeekTarget(10_000, relative=True)) for _ in range(5))
    )
    assert len(set(positions)) == 1 and 105_000 <= positions[0] <= 115_000
    assert received.count("playback/seekTo") - seeks_before == 1
    await run(controller, "stop")


async def test_next_and_prev_on_a_season(controller, emu):
    shows = next(lib for lib in await controller.service.libraries() if lib.type == "show")
    show = (await controller.service.browse(shows, size=1)).items[0]
    season = (await controller.service.children(show)).items[0]
    episodes = (await controller.service.children(season)).items
    await play_on(controller, episodes[0], "Living Room TV")
    tv = emu.player("Living Room TV")
    assert (await run(controller, "next")).ok
    assert tv.timeline()["ratingKey"] != episodes[0].rating_key
    assert (await run(controller, "prev")).ok
    await run(controller, "stop")


async def test_ambiguous_title_lists_choices(controller, emu):
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    items = (await controller.service.browse(movies, size=500)).items
    seen: dict[str, list] = {}
    for item in items:
        seen.setdefault(item.title, []).append(item)
    title, twins = next((t, v) for t, v in seen.items() if len({i.year for i in v}) > 1)
    result = await run(controller, f'play "{title}" on "Living Room TV"')
    assert not result.ok and isinstance(result.error, MediaError)
    assert f"'{title}' matches several items" in result.message
    for twin in twins:
        assert f"({twin.year})" in result.message
    assert emu.player("Living Room TV").timeline()["state"] == "stopped"
    pinned = await run(controller, f'play "{title} ({twins[1].year})" on "Living Room TV"')
    assert pinned.ok
    assert emu.player("Living Room TV").timeline()["ratingKey"] == twins[1].rating_key
    await run(controller, "stop")


async def test_unknown_title_and_player(controller):
    result = await run(controller, "play Zzyzx Qwerty Nonexistent on Living Room TV")
    assert not result.ok and "nothing called 'Zzyzx Qwerty Nonexistent'" in result.message
    result = await run(controller, "play anything on Toaster")
    assert not result.ok and "no player named 'Toaster'" in result.message
    assert "Living Room TV" in result.message


async def test_device_limit(service, emu):
    from plextui.control.controller import Controller

    strict = Controller(service, max_sessions=1, start_timeout=2)
    emu.add_session(user="bob", player_name="Bob's Phone")
    try:
        movie_title = (await a_movie(strict)).title
        result = await strict.execute(parse_command(f'play "{movie_title}" on "Living Room TV"'))
        assert not result.ok
        assert isinstance(result.error, SessionError)
        assert "device limit reached (1 of 1 sessions)" in result.message
        assert emu.player("Living Room TV").timeline()["state"] == "stopped"
    finally:
        for s in await service.sessions():
            if s.user == "bob":
                await service.terminate(s.session_key)


async def test_player_that_disappears_mid_command(controller, emu):
    await play_on(controller, await a_movie(controller), "Living Room TV")
    emu.player("Living Room TV").reachable = False
    result = await run(controller, "pause")
    assert not result.ok
    assert "Living Room TV" in result.message
    assert result.exit_code in (1, 3)
    emu.player("Living Room TV").reachable = True


async def test_quality_on_remote_player_is_a_plain_refusal(controller):
    await play_on(controller, await a_movie(controller), "Living Room TV")
    result = await run(controller, "quality 720p")
    assert not result.ok and isinstance(result.error, StreamError)
    assert "picks its own quality" in result.message
    await run(controller, "stop")


async def test_listings(controller, emu):
    players = await run(controller, "players")
    assert {"Living Room TV", "Kitchen Plexamp"} <= {p.name for p in players.data["players"]}
    assert (await run(controller, "libraries")).data["libraries"]
    assert "playlists" in (await run(controller, "playlists")).data
    assert (await run(controller, "history")).data["history"]
    search = await run(controller, "search the")
    assert search.ok
    assert "play <title> [on <player>]" in (await run(controller, "help")).message
    assert (await run(controller, "sessions")).ok


async def test_use_remembers_player(controller, emu):
    remembered = []
    controller.remember_player = remembered.append
    result = await run(controller, "use kitchen")
    assert result.ok and controller.default_player == "Kitchen Plexamp"
    assert remembered == ["Kitchen Plexamp"]


async def test_no_player_named_without_default(controller):
    controller.active = None
    controller.default_player = ""
    result = await controller.execute(Command("pause"))
    assert not result.ok and result.exit_code == 1
    assert result.message.startswith("nothing is playing on any player (")
    assert "Living Room TV" in result.message and "Kitchen Plexamp" in result.message
    movie = await a_movie(controller)
    play = await run(controller, f'play "{movie.title} ({movie.year})"')
    assert not play.ok and play.message.startswith("which player? name one with 'on <player>'")


async def test_shuffle_and_repeat(controller, emu):
    shows = next(lib for lib in await controller.service.libraries() if lib.type == "show")
    show = (await controller.service.browse(shows, size=1)).items[0]
    season = (await controller.service.children(show)).items[0]
    await controller.play_item(
        (await controller.service.children(season)).items[0],
        await controller.find_player("Living Room TV"),
    )
    tv = emu.player("Living Room TV")
    assert (await run(controller, "shuffle")).data["shuffle"] is True
    assert str(tv.timeline()["shuffle"]) == "1"
    assert (await run(controller, "shuffle off")).data["shuffle"] is False
    assert str(tv.timeline()["shuffle"]) == "0"
    assert (await run(controller, "repeat")).data["repeat"] == "all"
    assert str(tv.timeline()["repeat"]) == "2"
    assert (await run(controller, "repeat one")).data["repeat"] == "one"
    assert str(tv.timeline()["repeat"]) == "1"
    await run(controller, "stop")


async def test_play_a_whole_playlist(controller, emu):
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    a, b = (await controller.service.browse(movies, size=2, start=30)).items
    playlist = await controller.service.create_playlist("Double bill", [a, b])
    try:
        result = await run(controller, 'play "Double bill" on "Living Room TV"')
        assert result.ok, result.message
        tv = emu.player("Living Room TV")
        assert tv.timeline()["ratingKey"] == a.rating_key
        await run(controller, "next")
        assert tv.timeline()["ratingKey"] == b.rating_key
        await run(controller, "stop")
    finally:
        await controller.service.delete_playlist(playlist)


async def test_play_a_show_starts_its_first_unwatched_episode(controller, emu):
    shows = next(lib for lib in await controller.service.libraries() if lib.type == "show")
    show = (await controller.service.browse(shows, size=1, start=1)).items[0]
    leaves = (await controller.service.leaves(show)).items
    expected = next((e for e in leaves if not e.watched), leaves[0])
    result = await play_on(controller, show, "Living Room TV")
    assert result.ok, result.message
    assert emu.player("Living Room TV").timeline()["ratingKey"] == expected.rating_key
    await run(controller, "stop")


async def test_every_verb_of_the_grammar_has_one_handler(controller):
    from plextui.core.commands import VERBS

    assert sorted(controller._handlers) == sorted(VERBS)  # the table, read top to bottom
    unknown = await controller.execute(Command("dance"))
    assert not unknown.ok and unknown.message == "unknown command 'dance'"
