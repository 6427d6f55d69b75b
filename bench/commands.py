"""Command latency: the Controller and a signed `/plex` slash command, down to the player."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from pathlib import Path

import requests

from bench.common import Row, atimed, median, timed
from bench.rig import rig, until
from plextui.control.controller import Controller
from plextui.core.commands import parse_command
from plextui.emulators.plex import PlexEmulator
from plextui.plex.server import PlexService

TV = "Living Room TV"


async def _playing(controller: Controller) -> None:
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    item = (await controller.service.browse(movies, 5, 1)).items[0]
    result = await controller.play_item(item, await controller.find_player(TV))
    assert result.ok, result.message


async def controller_row(emu: PlexEmulator, runs: int) -> Row:
    """`pause`/`resume` through Controller.execute, against one plain HTTP request to the player."""
    service = PlexService(emu.url, emu.token, client_id="plextui-bench-ctl", timeout=10)
    await service.connect()
    controller = Controller(service, max_sessions=50, start_timeout=10)
    try:
        await _playing(controller)
        verbs = itertools.cycle(["pause", "resume"])
        for _ in range(4):  # warm: player discovery, HTTP keep-alive
            await controller.execute(parse_command(next(verbs)))

        async def command() -> None:
            result = await controller.execute(parse_command(next(verbs)))
            assert result.ok, result.message

        ours = median(await atimed(command, runs))
        await controller.execute(parse_command("stop"))
    finally:
        service.close()

    base = await plain_pause(emu.player(TV).url, runs)
    overhead = (ours - base) * 1000
    return Row(
        "command → player: plextui overhead above one plain HTTP request",
        overhead,
        "ms",
        "< 20 ms",
        overhead < 20,
        note=f"Controller {ours * 1000:.1f} ms, plain HTTP {base * 1000:.1f} ms",
    )


async def remote_row(emu: PlexEmulator, runs: int) -> Row:
    """A signed `/plex pause|resume` interaction until the TV has received the command."""
    with tempfile.TemporaryDirectory() as tmp:
        async with rig(emu, Path(tmp)) as r:
            await _playing(r.controller)
            tv = emu.player(TV)
            verbs = itertools.cycle(["pause", "resume"])

            async def slash() -> None:
                seen = len(tv.commands)
                status, _body = await r.slash(next(verbs))
                assert status == 200
                await until(lambda: any(c.startswith("playback/") for c in tv.commands[seen:]))

            await slash()
            value = median(await atimed(slash, runs))
            await r.controller.execute(parse_command("stop"))
    return Row("remote slash command → player action", value, "s", "< 0.25 s", value < 0.25)


async def plain_pause(player_url: str, runs: int, stop_after: bool = False) -> float:
    """The yardstick: median seconds of one plain HTTP `playback/pause` to the player."""
    http = requests.Session()
    ids = itertools.count(1)
    headers = {"X-Plex-Client-Identifier": "plextui-bench-plain"}

    def send(command: str) -> None:
        url = f"{player_url}/player/playback/{command}?commandID={next(ids)}&type=video"
        http.get(url, headers=headers, timeout=10).raise_for_status()

    send("pause")  # a first connection, not timed
    base = median(await asyncio.to_thread(timed, lambda: send("pause"), runs))
    if stop_after:
        send("stop")
    return base
