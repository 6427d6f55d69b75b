"""Round trips on the way to the first rows, counted on the emulated server's request log:
one read asked twice at once goes to the server once, the libraries take no detour through
`/library`, and a server taken as known is asked nothing until the first read."""

from __future__ import annotations

import asyncio

import pytest

from plextui.errors import AuthError
from plextui.plex.server import PlexService


def paths(emu, since: int) -> list[str]:
    return [path.partition("?")[0] for _, path, _ in emu.requests[since:]]


async def test_libraries_ask_the_sections_and_one_count_each(emu, make_service):
    service = await make_service(emu)
    before = len(emu.requests)
    libraries = await service.libraries()
    asked = paths(emu, before)
    assert "/library" not in asked  # plexapi's `library` would ask it first
    assert asked.count("/library/sections") == 1
    counts = [p for p in asked if p.endswith("/all")]
    assert sorted(counts) == sorted(f"/library/sections/{lib.key}/all" for lib in libraries)
    assert all(lib.count > 0 for lib in libraries)


async def test_the_same_read_asked_twice_at_once_goes_to_the_server_once(emu, make_service):
    service = await make_service(emu)
    before = len(emu.requests)
    first, second = await asyncio.gather(service.libraries(), service.libraries())
    assert first == second
    assert paths(emu, before).count("/library/sections") == 1
    movies = next(lib for lib in first if lib.type == "movie")
    before = len(emu.requests)
    pages = await asyncio.gather(*(service.browse(movies, 0, 50) for _ in range(3)))
    assert pages[0] == pages[1] == pages[2] and len(pages[0].items) == 50
    assert len(paths(emu, before)) == 1


async def test_reads_asked_one_after_the_other_each_go_to_the_server(emu, make_service):
    """Joining is for reads under way only: without a cache, a later read asks again."""
    service = await make_service(emu)
    before = len(emu.requests)
    await service.libraries()
    await service.libraries()
    assert paths(emu, before).count("/library/sections") == 2


async def test_a_known_server_is_asked_nothing_until_the_first_read(emu):
    service = PlexService(emu.url, emu.token, client_id="plextui-test-known")
    try:
        before = len(emu.requests)
        info = service.assume(emu.machine_identifier)
        assert info.machine_identifier == emu.machine_identifier
        assert paths(emu, before) == []
        await service.sessions()
        assert paths(emu, before) == ["/status/sessions"]
    finally:
        service.close()


async def test_a_known_server_that_refuses_the_token_says_so_on_the_first_read(emu):
    service = PlexService(emu.url, "not-the-token", client_id="plextui-test-known")
    try:
        service.assume(emu.machine_identifier)
        with pytest.raises(AuthError, match="refused the token"):
            await service.sessions()
    finally:
        service.close()
