"""Playing on an emulated player and driving it with keys; quality; sessions."""

from __future__ import annotations

from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from plextui.ui.screens.sessions import SessionsScreen
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for

TV = "Living Room TV"


async def play_first(pilot, emu) -> None:
    await ready(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
    await pilot.press("enter")  # Living Room TV is first
    await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "playing")


async def test_play_pause_seek(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        title = main_screen(app).items.current.title
        assert emu.player(TV).timeline()["ratingKey"] == emu.find(title)
        await pilot.press("space")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "paused")
        before = emu.player(TV).timeline()["time"]
        await pilot.press("right")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["time"] >= before + 10_000)
        await pilot.press("shift+left")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["time"] == 0)
        await wait_for(
            pilot, lambda: "paused" in str(main_screen(app).query_one("#nowbar").render())
        )


async def test_quality_change_on_remote_player_explains(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("down", "down", "down", "enter")
        await wait_for(pilot, lambda: "picks its own quality" in notes(app))


async def test_terminate_session(app, emu):
    emu.add_session(user="alice", player_name="Bedroom Roku")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen))
        table = app.screen.query_one("#sessions")
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not emu.sessions())
        await wait_for(pilot, lambda: table.row_count == 0)
