"""The audio/subtitle picker (L) and the version question before playing, driven by keys
and checked on the emulated player's own timeline."""

from __future__ import annotations

from plextui.emulators.plex import versions
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.nowplaying import NowPlayingScreen
from tests.playerkit import film, two_languages
from tests.ui.conftest import SIZE, ready, wait_for

TV = "Living Room TV"


def labels(app) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one("#choices")._options]


async def test_the_tracks_picker_switches_audio_and_subtitles(app, emu):
    movie = film(emu, two_languages)
    version = versions.versions("movie", movie.rk, movie.resolution)[0]
    french, subs = versions.audio_tracks(version)[1], versions.subtitle_tracks(version)
    tv = emu.player(TV)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        controller = app.rt.controller
        item = await app.rt.service.item(str(movie.rk))
        assert (await controller.play_item(item, await controller.find_player(TV))).ok
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        shown = labels(app)
        assert shown[0].startswith("● Audio") and "English" in shown[0]
        assert shown[-1] == "● Subtitles  off" and len(shown) == 6  # one mark for both kinds
        assert [label[0] for label in shown] == ["●", " ", " ", " ", " ", "●"]
        await pilot.press("down", "enter")  # Audio: Français
        await wait_for(pilot, lambda: tv.audio_stream == french.id)
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert labels(app)[1].startswith("● Audio")  # Français plays now
        await pilot.press("down", "down", "enter")  # from Français to Subtitles 2
        await wait_for(pilot, lambda: tv.subtitle_stream == subs[1].id)
        await pilot.press("i")  # the now-playing screen has the same picker
        await wait_for(pilot, lambda: isinstance(app.screen, NowPlayingScreen))
        await pilot.click("#np-tracks")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("end", "enter")  # Subtitles off
        await wait_for(pilot, lambda: tv.subtitle_stream == 0)


async def test_playing_a_film_with_two_versions_asks_which(app, emu):
    movie = film(emu, lambda found: len(found) == 2 and found[1].title == "Director's Cut")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.play(await app.rt.service.item(str(movie.rk)))
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        shown = labels(app)
        assert len(shown) == 2 and "Director's Cut" in shown[1]
        await pilot.press("down", "enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ChoiceDialog) and "Play on" in app.screen.title_text,
        )
        await pilot.press("enter")  # Living Room TV
        await wait_for(pilot, lambda: emu.player(TV).timeline().get("mediaIndex") == 1)
        assert emu.player(TV).timeline()["ratingKey"] == str(movie.rk)
