"""Media kind meets player kind: Plexamp plays music, so a film sent there is refused
before anything is sent; every player says which kinds it plays."""

from __future__ import annotations

import json

from plextui.errors import StreamError
from tests.playerkit import PLEXAMP, TV, a_movie, a_track, ctl, play_on, players_put_back, run, sent  # noqa: F401


async def test_a_film_on_plexamp_is_refused_with_the_reason(controller, emu):
    movie = await a_movie(controller)
    plexamp = emu.player(PLEXAMP)
    plays = sent(plexamp, "playMedia")
    result = await run(controller, f'play "{movie.title} ({movie.year})" on "{PLEXAMP}"')
    assert not result.ok and isinstance(result.error, StreamError)
    assert result.message == f"{PLEXAMP} plays music only; {movie.display_title} is video"
    assert sent(plexamp, "playMedia") == plays
    assert plexamp.timeline()["state"] == "stopped"


async def test_a_track_on_plexamp_plays(controller, emu):
    track = await a_track(controller)
    result = await play_on(controller, track, PLEXAMP)
    assert result.ok, result.message
    assert emu.player(PLEXAMP).timeline()["ratingKey"] == track.rating_key


async def test_a_show_on_plexamp_is_refused_before_its_episodes_are_looked_up(controller, emu):
    shows = next(lib for lib in await controller.service.libraries() if lib.type == "show")
    show = (await controller.service.browse(shows, size=1)).items[0]
    result = await play_on(controller, show, PLEXAMP)
    assert result.message == f"{PLEXAMP} plays music only; {show.display_title} is video"


async def test_a_video_playlist_on_plexamp_is_refused(controller, emu):
    a, b = (
        await controller.service.browse(
            next(lib for lib in await controller.service.libraries() if lib.type == "movie"),
            size=2,
            start=40,
        )
    ).items
    playlist = await controller.service.create_playlist("Film night", [a, b])
    try:
        result = await run(controller, f'play "Film night" on "{PLEXAMP}"')
        assert result.message == f"{PLEXAMP} plays music only; Film night is video"
    finally:
        await controller.service.delete_playlist(playlist)


def test_ctl_players_lists_the_kinds_each_plays(controller, emu):
    out = ctl(emu, "players", "--json")
    assert out.returncode == 0, out.stderr
    kinds = {p["name"]: sorted(p["kinds"]) for p in json.loads(out.stdout)["data"]["players"]}
    assert kinds[PLEXAMP] == ["music"]
    assert kinds[TV] == ["music", "photo", "video"]


async def test_the_picker_marks_players_that_cannot_play_the_highlighted_kind(controller, emu):
    from plextui.ui.playback import player_label

    players = {p.info.name: p.info for p in await controller.players(refresh=True)}
    assert player_label(players[PLEXAMP], "video") == f"{PLEXAMP}  (Plexamp)  · cannot play video"
    assert player_label(players[PLEXAMP], "music") == f"{PLEXAMP}  (Plexamp)"
    assert "cannot" not in player_label(players[TV], "video")
