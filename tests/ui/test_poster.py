"""The detail pane's poster: drawn from the emulator's PNGs, latest item wins, quiet when
there is none."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

from plextui.ui.widgets import poster as poster_mod
from plextui.ui.widgets.detail import DetailPane
from tests.ui.conftest import SIZE, main_screen, notes, ready, wait_for


def pane(app) -> DetailPane:
    return main_screen(app).query_one(DetailPane)


def note_text(app) -> str:
    return str(pane(app).poster.query_one(".poster-note").render())


async def expected_pixels(app, thumb: str) -> bytes:
    return poster_mod._decode(await app.rt.service.poster(thumb)).tobytes()


async def test_movie_shows_its_poster_as_half_blocks(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main, poster = main_screen(app), pane(app).poster
        item = main.source.item(main.items.current)
        assert item.kind == "movie" and item.thumb
        await wait_for(pilot, lambda: poster.shown)
        await pilot.pause(0.1)
        assert poster.renderer == "halfcell"  # headless: never Sixel/TGP in tests
        assert poster.thumb == item.thumb
        image = poster.image.image
        # asked for 300x450; the emulator's transcoder caps a side at 400
        assert (image.width, image.height) == (300, 400)
        assert image.tobytes() == await expected_pixels(app, item.thumb)
        # drawn 20 cells wide and 13 rows of two pixels each: 20x26, the poster's 3:4
        assert poster.image.region.width == poster_mod.WIDTH
        assert poster.image.region.height == 13
        lines = [poster.image.render_line(y) for y in range(13)]
        assert all(line.text == "▀" * poster_mod.WIDTH for line in lines)
        top, bottom = lines[0]._segments[0].style, lines[-1]._segments[0].style
        assert top.color != bottom.color  # a gradient, not a blank block
        assert not poster.query_one(".poster-note").display


async def test_moving_quickly_ends_with_the_last_items_poster(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main, poster = main_screen(app), pane(app).poster
        await wait_for(pilot, lambda: poster.shown)
        first = poster.thumb
        emu.faults.delay = 0.3  # earlier fetches are still in flight when the cursor moves on
        try:
            for _ in range(7):
                await pilot.press("down")
                current = main.source.item(main.items.current)
                assert not poster.shown or poster.thumb == current.thumb  # never a stale poster
            last = main.source.item(main.items.current)
            assert main.items.cursor == 7 and last.thumb != first  # keys were not held up
            await wait_for(pilot, lambda: poster.thumb == last.thumb and poster.shown)
        finally:
            emu.faults.delay = 0.0
        await pilot.pause(0.5)  # nothing stale arrives afterwards
        assert poster.thumb == last.thumb
        assert poster.image.image.tobytes() == await expected_pixels(app, last.thumb)


async def test_failed_poster_is_one_quiet_line_and_comes_back(app, emu):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main, poster = main_screen(app), pane(app).poster
        await wait_for(pilot, lambda: poster.shown)
        emu.faults.status = 500
        try:
            await pilot.press("down")
            await wait_for(pilot, lambda: "no poster" in note_text(app))
        finally:
            emu.faults.status = None
        assert not poster.image.display
        assert poster.region.height == 1  # one dim line, the text moves up under it
        assert "poster" not in notes(app)  # no notification about art
        await pilot.press("down", "up")  # back on the same item: asked again, now drawn
        item = main.source.item(main.items.current)
        await wait_for(pilot, lambda: poster.thumb == item.thumb and poster.shown)
        assert app.is_running


async def test_item_without_thumb_and_playlists(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main, detail = main_screen(app), pane(app)
        # the app's own loading is done: the poster drawn and the full details in (they redraw)
        await wait_for(pilot, lambda: detail.poster.shown)
        await wait_for(pilot, lambda: main.items.current.rating_key in main._details)
        await pilot.pause(0.2)
        item = main.source.item(main.items.current)
        detail.show_item(dataclasses.replace(item, thumb=None))
        await pilot.pause(0.1)
        assert "no poster" in note_text(app) and not detail.poster.shown
        assert detail.poster.display
        detail.show_item(None)
        await pilot.pause(0.1)
        assert not detail.poster.display  # "Nothing selected" has no poster line


async def test_without_textual_image_the_pane_says_so_once(app, monkeypatch):
    monkeypatch.setattr(poster_mod, "RENDERER", "none")
    monkeypatch.setattr(poster_mod, "_BEST", None)
    monkeypatch.setattr(poster_mod, "_HALFCELL", None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        poster = pane(app).poster
        await wait_for(pilot, lambda: "no artwork in this terminal" in note_text(app))
        assert poster.image is None and poster.region.height == 1
        await pilot.press("down")
        await pilot.pause(0.3)
        assert "no artwork in this terminal" in note_text(app)
        assert not notes(app)


def test_import_never_asks_a_non_terminal_and_honours_the_switch():
    """Piped stdout (and PLEXTUI_POSTERS=off anywhere) → half blocks, nothing written."""
    code = "import plextui.ui.widgets.poster as p; print(p.renderers()[0])"
    for env in ({}, {"PLEXTUI_POSTERS": "off"}):
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "halfcell\n"  # no escape sequences went to stdout
