"""Start-up from cache (library before the server answers, offline badge), the Stats screen,
resume-or-start-over, shuffle and repeat."""

from __future__ import annotations

from plextui.ui.app import make_app
from plextui.ui.screens.connect import ConnectScreen
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.stats import StatsScreen, metric_cells
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for
from tests.ui.test_playback import TV, play_first


async def test_second_start_shows_cached_library_then_offline(settings, emu):
    first = make_app(settings, watch_events=False, poll_interval=0.2)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = [main_screen(first).items.row(i).title for i in range(5)]
    emu.stop()

    again = make_app(settings, watch_events=False, poll_interval=0.2)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: main_screen(again) is not None, 2)
        assert not isinstance(again.screen, ConnectScreen)
        main = main_screen(again)
        await wait_for(pilot, lambda: main.items.total > 0, 3)
        assert [main.items.row(i).title for i in range(5)] == titles
        assert again.status[1] in ("cached", "stale", "offline")
        await wait_for(pilot, lambda: "showing the cached library" in notes(again), 15)
        assert again.status[1] == "stale"
        await pilot.press("space")  # needs the server: says so, no crash
        await wait_for(pilot, lambda: "Toggle" in str([n.title for n in again._notifications]))


async def test_stats_after_browsing_twice(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        for _ in range(2):
            main.open_place("lib:2")
            await wait_for(pilot, lambda: main.source.title == "TV Shows" and main.items.total)
            main.open_place("lib:1")
            await wait_for(pilot, lambda: main.source.title == "Movies" and main.items.total)
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        stats = app.rt.service.cache.stats()
        assert stats.kinds["page"].hits >= 2
        table = app.screen.query_one("#cache")
        assert table.row_count == len(stats.kinds) + 1
        settings_line = app.screen.query_one("#server-settings")
        await wait_for(pilot, lambda: "Server" in str(settings_line.render()))
        shown = str(settings_line.render())
        assert "max 1080p · 20 Mbps · h264" in shown
        assert "FriendlyName" in shown or "unavailable" not in shown
        await pilot.press("escape")


def test_speed_metric_is_a_factor():
    assert metric_cells("transcode.speed", 3, 1500.0, 2000.0, 1200.0)[2] == "1.50×"
    assert metric_cells("command.pause", 1, 12.4, 20.0, 12.4)[2] == "12 ms"


async def test_resume_or_start_over(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        main.open_place("ondeck")
        await wait_for(pilot, lambda: main.source.title == "Continue Watching" and main.items.total)
        item = main.items.current
        assert item.view_offset_ms > 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")  # Living Room TV
        await wait_for(
            pilot, lambda: "Resume from" in str(app.screen.query_one("#choices")._options)
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "playing")
        assert emu.player(TV).timeline()["time"] >= item.view_offset_ms - 1000


async def test_shuffle_and_repeat_keys(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        await pilot.press("z")
        await wait_for(pilot, lambda: app.playback is not None and app.playback.shuffle)
        await pilot.press("R")
        await wait_for(pilot, lambda: app.playback.repeat != "off")
        bar = str(main_screen(app).query_one("#nowbar").render())
        assert "shuffle" in bar and "repeat" in bar
