"""PlexService over answers with random attributes missing, garbled or added: it returns models
or raises plextui errors, never an AttributeError/KeyError/ValueError from deep inside."""

from __future__ import annotations

import asyncio
import random
import threading
import xml.etree.ElementTree as ET

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plextui.control.controller import Controller
from plextui.errors import PlextuiError
from plextui.plex.server import PlexService

# plexapi pages /status/sessions by the root's totalSize: a garbled one loops for ever
# (reported; PlexService.sessions should read one page), so these stay intact
PAGING = ("size", "totalSize", "offset")
MUTATED = ("/library/sections/", "/library/metadata/", "/status/sessions")
GARBAGE = ["", "abc", "-1", "0", "99999999999999999999", "nan", "1.5", "None", "<", "2024-13-45"]
KNOWN = [
    "ratingKey",
    "key",
    "type",
    "title",
    "year",
    "duration",
    "index",
    "size",
    "totalSize",
    "viewOffset",
    "addedAt",
    "bitrate",
    "height",
    "width",
    "sessionKey",
    "state",
    "id",
]


def mutate(text: str, seed: int, rate: float) -> str:
    """Drop, garble and add attributes (and drop children) of every element, reproducibly."""
    rng = random.Random(seed)
    root = ET.fromstring(text)
    for elem in root.iter():
        for name in list(elem.attrib):
            if elem is root and name in PAGING:
                continue
            roll = rng.random()
            if roll < rate:
                del elem.attrib[name]
            elif roll < 2 * rate:
                elem.attrib[name] = rng.choice(GARBAGE)
        extra = rng.choice(KNOWN + ["extra"])
        if rng.random() < rate and not (elem is root and extra in PAGING):
            elem.attrib[extra] = rng.choice(GARBAGE)
        for child in list(elem):
            if rng.random() < rate / 3:
                elem.remove(child)
    return ET.tostring(root, encoding="unicode")


class Mutator:
    """A loopback proxy in front of the emulator that mutates its XML answers."""

    def __init__(self, upstream: str) -> None:
        self.upstream, self.seed, self.rate, self.url = upstream, 0, 0.0, ""
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    async def _start(self) -> None:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def _forward(self, request: web.Request) -> web.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        async with self._session.request(
            request.method,
            self.upstream + request.path_qs,
            headers=headers,
            data=await request.read(),
        ) as up:
            body = await up.read()
            kind = up.headers.get("Content-Type", "")
        if "xml" in kind and request.path.startswith(MUTATED) and self.rate:
            try:
                body = mutate(body.decode(), self.seed, self.rate).encode()
            except ET.ParseError:
                pass
        return web.Response(body=body, status=up.status, content_type="text/xml")

    def close(self) -> None:
        async def stop() -> None:
            await self._runner.cleanup()
            await self._session.close()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)


@pytest.fixture(scope="module")
def world(make_module_plex):
    emu = make_module_plex(token="hostile-token", size=200, seed=5, players=2)
    proxy = Mutator(emu.url)

    async def setup() -> tuple[PlexService, list]:
        real = PlexService(emu.url, emu.token, client_id="plextui-hostile", timeout=5)
        await real.connect()
        movies = next(lib for lib in await real.libraries() if lib.type == "movie")
        item = (await real.browse(movies, 3, 1)).items[0]
        controller = Controller(real, max_sessions=5, start_timeout=5)
        await controller.play_item(item, await controller.find_player("Living Room TV"))
        shows = next(lib for lib in await real.libraries() if lib.type == "show")
        show = (await real.browse(shows, 0, 1)).items[0]
        real.close()
        service = PlexService(proxy.url, emu.token, client_id="plextui-hostile", timeout=5)
        await service.connect()
        return service, [movies, shows, item, show]

    service, things = asyncio.run(setup())
    yield service, proxy, things
    service.close()
    proxy.close()


async def calls(service: PlexService, movies, shows, item, show) -> list:
    return await asyncio.gather(
        service.browse(movies, 0, 30),
        service.browse(shows, 0, 30, sort="added", filters={"unwatched": True}),
        service.item(item.rating_key),
        service.children(show),
        service.sessions(),
        return_exceptions=True,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), rate=st.sampled_from([0.05, 0.2, 0.5, 1.0]))
def test_mutated_answers_give_models_or_plextui_errors(world, seed, rate):
    service, proxy, things = world
    proxy.seed, proxy.rate = seed, rate
    try:
        for outcome in asyncio.run(calls(service, *things)):
            if isinstance(outcome, BaseException):
                assert isinstance(outcome, PlextuiError), repr(outcome)
    finally:
        proxy.rate = 0.0
