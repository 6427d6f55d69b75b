"""The item list holds a bounded window of pages: memory stays flat however far one scrolls."""

from __future__ import annotations

import dataclasses

import pytest

from plextui.emulators.plex import PlexEmulator
from plextui.emulators.plex.clock import ManualClock
from plextui.ui.app import make_app
from tests.ui.conftest import SIZE, main_screen, ready, wait_for

PAGE = 20


@pytest.fixture
def big_emu():
    """Over a thousand items: 500 movies, 25 pages of 20."""
    emulator = PlexEmulator(
        token="test-token", size=1250, seed=1, players=0, clock=ManualClock()
    ).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def small_pages_app(settings, big_emu):
    plex = dataclasses.replace(settings.plex, url=big_emu.url, token=big_emu.token)
    ui = dataclasses.replace(settings.ui, page_size=PAGE)
    return make_app(dataclasses.replace(settings, plex=plex, ui=ui), watch_events=False)


def first_page_requests(emu) -> int:
    return sum(
        "/all?" in path and "X-Plex-Container-Start=0&" in path for _m, path, _h in emu.requests
    )


async def test_paging_to_the_end_holds_a_window_and_back_refetches(small_pages_app, big_emu):
    app = small_pages_app
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        items = main_screen(app).items
        assert items.total == 500 and items.page_limit == 5
        asked = first_page_requests(big_emu)
        most = 0
        await pilot.press("pagedown")
        while items.cursor < items.total - 1:
            items.action_page(1)  # what pagedown does, without the pilot's wait for idle
            await wait_for(pilot, lambda: items.current is not None)
            most = max(most, len(items.held_pages))
        await pilot.pause(0.2)
        assert most <= items.page_limit
        assert 0 not in items.held_pages and (items.total - 1) // PAGE in items.held_pages
        await pilot.press("home")
        await wait_for(pilot, lambda: items.current is not None)
        assert items.cursor == 0 and 0 in items.held_pages
        assert len(items.held_pages) <= items.page_limit
        assert first_page_requests(big_emu) == asked  # refetched from the cache, not the server


async def test_a_letter_jump_far_away_keeps_the_window(small_pages_app):
    async with small_pages_app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        items = main_screen(small_pages_app).items
        await pilot.press("W")
        await wait_for(pilot, lambda: items.cursor > 0 and items.current is not None)
        assert items.source.key(items.current).startswith("w")
        assert len(items.held_pages) <= items.page_limit
