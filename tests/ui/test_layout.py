"""Every main screen at 160x48, 120x36, 80x24 and 60x20: snapshots, and what must hold at
each size (the list wins, dialogs fit, the footer keeps `q Quit`).

One app per screen is resized through the sizes (as a person drags a window), so four
pictures cost one start-up; each size is its own snapshot file (`test_x[80x24].svg`).
Update after an intended change with `make snapshot-update`, then look at the diff.
"""

from __future__ import annotations

import pytest
from pytest_textual_snapshot import SVGImageExtension
from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from plextui.config import Settings
from plextui.ui.app import make_app
from plextui.ui.screens.connect import FirstRunScreen
from plextui.ui.screens.help import HelpScreen
from plextui.ui.screens.nowplaying import NowPlayingScreen
from plextui.ui.widgets.poster import Poster
from tests.ui.conftest import main_screen, wait_for
from tests.ui.drive import (
    no_blink,
    settled,
    to_discord,
    to_help,
    to_now_playing,
    to_search,
    to_sessions,
)

SIZES = [(160, 48), (120, 36), (80, 24), (60, 20)]


@pytest.fixture
def svg(snapshot):
    return snapshot.use_extension(SVGImageExtension)


def footer_keeps_quit(app) -> None:
    """`q Quit` is on screen, whole, at the current size (under a dialog: the screen's
    below it)."""
    width = app.size.width
    screen = next(s for s in reversed(app.screen_stack) if s.query(FooterKey))
    quits = [k for k in screen.query(FooterKey) if k.action == "quit"]
    assert quits, "no Quit key in the footer"
    region = quits[0].region
    assert quits[0].display and region.width >= len("q Quit")
    assert region.x >= 0 and region.right <= width, f"Quit cut off at {width} columns"


def fits(widget, app) -> None:
    region = widget.region
    assert region.x >= 0 and region.y >= 0
    assert region.right <= app.size.width and region.bottom <= app.size.height, (
        f"{widget} runs off a {app.size.width}x{app.size.height} screen: {region}"
    )


async def at_each_size(pilot, svg, check=None, settle=None) -> None:
    """Resize through SIZES; at each, let the layout settle, check it, and compare it."""
    pictures = []
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await pilot.pause(0.3)
        if settle is not None:
            await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.1)
        footer_keeps_quit(pilot.app)
        if check is not None:
            check(pilot.app, width)
        pictures.append(pilot.app.export_screenshot())
    # compared after the run, so one mismatch still shows every size in --snapshot-update
    for (width, height), picture in zip(SIZES, pictures, strict=True):
        assert picture == svg(name=f"{width}x{height}")


async def test_library_list_wins(app, svg):
    def check(app, width: int) -> None:
        main = main_screen(app)
        sidebar, detail = main.query_one("#sidebar"), main.query_one("#detail")
        assert main.items.size.width >= 50, f"the list has {main.items.size.width} columns"
        assert detail.display == (width >= 100) and sidebar.display == (width >= 72)
        art = main.query_one(".detail-art")
        assert art.display == (width >= 116)  # the poster goes first
        if width == 60:
            assert main.items.size.width >= 58  # the whole screen, less the padding

    async with app.run_test(size=SIZES[0]) as pilot:
        await settled(pilot)
        await at_each_size(pilot, svg, check)


async def test_panes_that_gave_way_come_back_with_a_key(app):
    async with app.run_test(size=(60, 20)) as pilot:
        await settled(pilot)
        main = main_screen(app)
        sidebar, detail = main.query_one("#sidebar"), main.query_one("#detail")
        assert not sidebar.display and not detail.display
        await pilot.press("v")
        await pilot.pause(0.1)
        assert detail.display and main.items.size.width >= 26
        await pilot.press("v", "b")
        await pilot.pause(0.1)
        assert sidebar.display and app.focused is sidebar and not detail.display
        await pilot.press("down", "enter")  # TV Shows: the sidebar goes again
        await wait_for(pilot, lambda: main.source.title == "TV Shows")
        await pilot.pause(0.1)
        assert not sidebar.display and app.focused is main.items


async def test_now_playing_at_every_size(app, emu, svg):
    async def poster_drawn(pilot) -> None:
        screen = pilot.app.screen
        poster = screen.query_one(Poster)
        await wait_for(pilot, lambda: poster.shown or not screen.query_one("#np-art").display)

    def check(app, width: int) -> None:
        screen = app.screen
        assert isinstance(screen, NowPlayingScreen)
        for button in screen.query("#np-controls Button"):
            fits(button, app)
            assert button.region.width >= len(str(button.label)), f"{button.label} is cut"
        assert screen.query_one("#up-next").option_count >= 2

    async with app.run_test(size=SIZES[0]) as pilot:
        await settled(pilot)
        await to_now_playing(pilot, emu)
        await at_each_size(pilot, svg, check, poster_drawn)


async def test_search_at_every_size(app, svg):
    def check(app, width: int) -> None:
        fits(app.screen.query_one(".dialog"), app)

    async with app.run_test(size=SIZES[0]) as pilot:
        await settled(pilot)
        await to_search(pilot)
        await at_each_size(pilot, svg, check)


async def test_sessions_at_every_size(app, emu, svg):
    emu.add_session(user="alice", player_name="Bedroom Roku")
    emu.add_session(user="bob", player_name="Office PC", transcode=False, lan=True)

    def check(app, width: int) -> None:
        assert app.screen.query_one("#sessions").size.height >= 3  # the table keeps rows

    async with app.run_test(size=SIZES[0]) as pilot:
        await settled(pilot)
        await to_sessions(pilot, rows=2)
        await at_each_size(pilot, svg, check)


async def test_help_at_every_size(app, svg):
    def check(app, width: int) -> None:
        assert isinstance(app.screen, HelpScreen)
        fits(app.screen.query_one(".dialog"), app)

    async with app.run_test(size=SIZES[0]) as pilot:
        await settled(pilot)
        await to_help(pilot)
        await at_each_size(pilot, svg, check)


async def test_discord_at_every_size(discord_app, svg):
    def check(app, width: int) -> None:
        for heading in app.screen.query("#discord-body Label"):  # wrapped, never cut
            text = str(heading.render())
            room = heading.parent.content_region
            shown = heading.region.intersection(room)
            assert cell_len(text) <= shown.width * shown.height, f"{text!r} is cut"

    async with discord_app.run_test(size=SIZES[0]) as pilot:
        await settled(pilot)
        await to_discord(pilot, None)
        await at_each_size(pilot, svg, check)


async def test_first_run_at_every_size(svg):
    """A newcomer's ways forward (sign in, connect, the demo) are on screen and take a
    click at every size: at 80x24 they used to be cut off below the token field."""

    def check(app, width: int) -> None:
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        fits(screen.query_one(".dialog"), app)
        for button in screen.query(".dialog-buttons Button"):
            fits(button, app)
            assert button.region.width >= len(str(button.label)), f"{button.label} is cut"
            middle = button.region.center
            assert screen.get_widget_at(*middle)[0] is button, f"{button.label} is covered"

    async with make_app(Settings()).run_test(size=SIZES[0]) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FirstRunScreen))
        no_blink(pilot)
        await at_each_size(pilot, svg, check)
