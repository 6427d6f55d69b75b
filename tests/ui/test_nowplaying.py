"""The now-playing screen: the mouse controls run the keys' Commands, "Up next" comes from
the player's play queue and plays what is chosen, and labels keep apart from values."""

from __future__ import annotations

from plextui.core.models import MediaItem, PlaybackState
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.nowplaying import NowPlayingScreen, art_size
from plextui.ui.widgets.nowcard import facts
from tests.ui.conftest import SIZE, wait_for
from tests.ui.drive import TV, playing_on_tv, settled, to_episodes


async def test_controls_click_like_keys_and_up_next_plays(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await to_episodes(pilot)
        await playing_on_tv(pilot, emu)
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, NowPlayingScreen)
        queue = screen.query_one("#up-next")
        await wait_for(pilot, lambda: queue.option_count >= 2 and screen._queued)
        first = app.playback.item
        following = screen._queued[0]
        assert following.index == first.index + 1  # the season's next episode

        await pilot.click("#np-toggle")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "paused")
        await wait_for(pilot, lambda: "Paused on" in str(screen.query_one("#card").render()))
        assert str(screen.query_one("#np-toggle").label) == "▶ Play"
        await pilot.click("#np-quieter")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["volume"] == 95)
        await pilot.click("#np-toggle")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "playing")

        await pilot.click("#np-next")
        await wait_for(
            pilot, lambda: emu.player(TV).timeline().get("ratingKey") == following.rating_key
        )
        await wait_for(pilot, lambda: screen._queued and screen._queued[0] != following)

        chosen = screen._queued[1]  # two ahead: chosen in the list, played on the TV
        queue.focus()
        queue.highlighted = 1
        await pilot.press("enter")
        await pilot.pause(0.3)
        if isinstance(app.screen, ChoiceDialog):  # it was started before: resume it
            await pilot.press("enter")
        await wait_for(
            pilot, lambda: emu.player(TV).timeline().get("ratingKey") == chosen.rating_key
        )


def test_labels_keep_apart_from_values():
    item = MediaItem("1", "movie", "Spirited Away", year=2001)
    state = PlaybackState(
        "TV", item, "playing", volume=40, shuffle=True, repeat="all", quality="720p 4 Mbps"
    )
    text = facts(state, "Transcode 4 Mbps 1.2x")
    assert "Quality  720p 4 Mbps" in text.replace("[dim]", "").replace("[/dim]", "")
    assert "Stream   Transcode 4 Mbps 1.2x" in text.replace("[dim]", "").replace("[/dim]", "")
    assert "⤮ on" in text and "↻ all" in text and " 40" in text


def test_art_grows_with_the_terminal_and_gives_way_when_narrow():
    assert art_size(60, 20) is None
    small, large = art_size(80, 24), art_size(160, 48)
    assert small is not None and large is not None
    assert large[0] > small[0] >= 16
    assert small[1] <= 24 - 2  # never taller than the room under the status line
