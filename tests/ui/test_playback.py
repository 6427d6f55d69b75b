"""Playing on an emulated player and driving it with keys; quality; sessions."""

from __future__ import annotations

import asyncio

from textual.widgets import Label

from plextui.control.controller import Controller
from plextui.core.commands import Command
from plextui.plex.events import PlayerStateChanged
from plextui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from plextui.ui.screens.nowplaying import NowPlayingScreen
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


async def test_the_bar_follows_another_front_end_and_reads_once_per_round(app, emu):
    """`ctl pause` from elsewhere reaches the bar through the player watcher; the app reads
    the timeline once a round (0.2 s here), bar and now-playing screen together."""
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        mirrored: list = []  # another subscriber of the same bus (the Discord mirror, say)
        app.rt.bus.subscribe(mirrored.append)
        await pilot.press("i")  # the now-playing screen subscribes too
        await wait_for(pilot, lambda: isinstance(app.screen, NowPlayingScreen))
        other = Controller(app.rt.service, start_timeout=5)  # another front end: ctl
        assert (await other.execute(Command("pause", player=TV))).ok
        card = app.screen.query_one("#card")
        await wait_for(pilot, lambda: "Paused on" in str(card.render()), timeout=2)
        await pilot.press("escape")
        bar = main_screen(app).query_one("#nowbar")
        await wait_for(pilot, lambda: "paused" in str(bar.render()))
        before = emu.player(TV).commands.count("timeline/poll")
        await pilot.pause(2.0)
        assert emu.player(TV).commands.count("timeline/poll") - before <= 2.0 / 0.2 + 2
        told = [e.state.state for e in mirrored if isinstance(e, PlayerStateChanged)]
        assert told.count("paused") == 1 and told[-1] == "paused"


async def test_an_unreachable_player_is_said_once(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        emu.player(TV).reachable = False
        try:
            await wait_for(pilot, lambda: f"player '{TV}'" in notes(app))
            await pilot.pause(2.0)  # ten rounds at 0.2 s
            said = [n for n in app._notifications if n.title == "Player"]
            assert len(said) == 1
            bar = main_screen(app).query_one("#nowbar")
            assert f"Nothing playing on {TV}" in str(bar.render())
        finally:
            emu.player(TV).reachable = True
        await wait_for(
            pilot, lambda: "playing" in str(main_screen(app).query_one("#nowbar").render())
        )


async def test_the_player_list_opens_before_the_full_search_ends(app, emu):
    """`c` lists the players already known at once; the full search (GDM waits up to a
    second, plex.tv) adds what it finds to the open list. Waiting for it first left the
    screen unchanged, and keys typed meanwhile went to the list below."""
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        discovery = app.rt.controller.discovery
        real = discovery.players
        release = asyncio.Event()

        async def slow_search(full: bool = False):
            if full:
                await release.wait()
            return await real(full=full)

        discovery.players = slow_search
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        listed = [key for key, _ in dialog.choices]
        assert TV in listed and "Looking for more" in dialog.note
        release.set()
        await wait_for(pilot, lambda: "Looking for more" not in dialog.note)
        shown = dialog.query_one(".dialog-note", Label).render()
        assert "Looking for more" not in str(shown)
        await pilot.press("enter")  # the highlighted first player
        await wait_for(pilot, lambda: app.rt.controller.default_player == listed[0])


async def test_late_choices_reach_a_list_not_yet_drawn_or_already_closed(app):
    """The full search can end before the list is composed, or after it closed: the
    first is listed when it is drawn, the second changes nothing, neither raises."""
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        dialog = ChoiceDialog("Play on", [("a", "A")], "Looking…")
        app.push_screen(dialog)
        dialog.add_choices([("b", "B")], "Done.")  # before compose
        await wait_for(pilot, lambda: app.screen is dialog and dialog.query("#choices"))
        listing = dialog.query_one("#choices")
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [
            "a",
            "b",
        ]
        assert "Done." in str(dialog.query_one(".dialog-note").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not dialog)
        dialog.add_choices([("c", "C")], "Later.")  # closed: nothing to draw
        await pilot.pause(0.1)
