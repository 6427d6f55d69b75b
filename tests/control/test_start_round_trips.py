"""What connecting asks the server, counted on the emulated server's request log: no
account lookup at connect, ctl's one request to a server seen before, and a warm start
whose reads the first screen joins instead of repeating."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from plextui import config
from plextui.control import runtime
from plextui.core.commands import parse_command
from plextui.errors import AuthError

TV = "Living Room TV"


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": "trip-token", "size": 300, "seed": 5, "players": 2}


def settings_for(emu, tmp_path, page_size: int = 40) -> config.Settings:
    settings = config.load(environ={})
    return dataclasses.replace(
        settings,
        plex=dataclasses.replace(settings.plex, url=emu.url, token=emu.token),
        cache=dataclasses.replace(settings.cache, url=f"sqlite:///{tmp_path}/trips.db"),
        ui=dataclasses.replace(settings.ui, page_size=page_size),
    )


def paths(emu, since: int) -> list[str]:
    return [path.partition("?")[0] for _, path, _ in emu.requests[since:]]


async def test_connecting_asks_who_the_server_is_and_nothing_else(emu, tmp_path):
    rt = runtime.build(settings_for(emu, tmp_path))
    try:
        before = len(emu.requests)
        await runtime.connect(rt)
        assert paths(emu, before) == ["/"]  # the account is asked when an answer names it
    finally:
        rt.close()


async def test_now_still_names_the_account_asking_once(make_plex, tmp_path):
    emu = make_plex(token="trip-token", size=200, seed=5, players=2)
    rt = runtime.build(settings_for(emu, tmp_path))
    try:
        await runtime.connect(rt)
        movies = next(lib for lib in await rt.service.libraries() if lib.type == "movie")
        movie = (await rt.service.browse(movies, 5, 1)).items[0]
        played = await rt.controller.play_item(movie, await rt.controller.find_player(TV))
        assert played.ok, played.message
        before = len(emu.requests)
        now = await rt.controller.execute(parse_command("now"))
        again = await rt.controller.execute(parse_command("now"))
        assert now.data["now"].user and now.data["now"].user == played.data["now"].user
        assert again.data["now"].user == now.data["now"].user
        assert paths(emu, before).count("/accounts") <= 1
        await rt.controller.execute(parse_command("stop"))
    finally:
        await rt.aclose()


async def test_ctl_asks_a_server_seen_before_only_what_the_command_needs(emu, tmp_path):
    settings = settings_for(emu, tmp_path)
    first = runtime.build(settings)
    await runtime.connect(first)  # remembers the server's identity, as any first run does
    first.close()

    rt = runtime.build(settings)
    try:
        before = len(emu.requests)
        await runtime.connect(rt, trust_known=True)
        result = await rt.controller.execute(parse_command("sessions"))
        assert result.ok, result.message
        assert paths(emu, before) == ["/status/sessions"]
    finally:
        rt.close()


async def test_ctl_to_a_server_never_seen_asks_who_it_is_first(emu, tmp_path):
    rt = runtime.build(settings_for(emu, tmp_path))
    try:
        before = len(emu.requests)
        await runtime.connect(rt, trust_known=True)
        assert paths(emu, before) == ["/"]
        assert rt.service.info is not None and rt.service.info.name == emu.friendly_name
    finally:
        rt.close()


async def test_a_warm_start_reads_the_first_screen_once(emu, tmp_path):
    settings = settings_for(emu, tmp_path, page_size=40)
    before = len(emu.requests)
    rt = runtime.warm_start(settings, settings.ui.page_size)
    try:
        # what the TUI does once built: connect, the libraries, the first page
        await runtime.connect(rt)
        libraries = await rt.service.libraries()
        page = await rt.service.browse(libraries[0], 0, settings.ui.page_size)
        assert len(page.items) == 40
        for _ in range(100):  # the warm-up may still be storing what it read
            if rt.service.cache.get(f"page:{libraries[0].key}:title:{{}}:0:40") is not None:
                break
            await asyncio.sleep(0.02)
        asked = paths(emu, before)
        assert asked.count("/") == 1
        assert asked.count("/library/sections") == 1
        assert asked.count(f"/library/sections/{libraries[0].key}/all") == 2  # count, page
    finally:
        rt.close()


async def test_a_warm_start_that_cannot_connect_is_what_connect_says(make_plex, tmp_path):
    emu = make_plex(token="trip-token", size=50, seed=5, players=0)
    settings = settings_for(emu, tmp_path)
    settings = dataclasses.replace(
        settings, plex=dataclasses.replace(settings.plex, token="wrong", timeout=2)
    )
    before = len(emu.requests)
    rt = runtime.warm_start(settings, 20)
    try:
        with pytest.raises(AuthError, match="refused the token"):
            await runtime.connect(rt)
        assert paths(emu, before) == ["/"]  # the warm-up's answer, not asked twice
        with pytest.raises(AuthError):
            await runtime.connect(rt)  # a retry asks afresh
        assert paths(emu, before) == ["/", "/"]
    finally:
        rt.close()


def test_notices_of_a_warm_start_wait_for_the_front_end():
    later = runtime.Later()
    later("the cache is read-only")
    seen: list[str] = []
    later.to(seen.append)
    later("and again")
    assert seen == ["the cache is read-only", "and again"]
