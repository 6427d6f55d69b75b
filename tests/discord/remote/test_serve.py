"""`plextui relay --listen`: relay and endpoint together, sharing one queue and allowlist."""

from __future__ import annotations

import asyncio
import contextlib
import socket

from plextui.config.paths import channel_state_path as state_path
from plextui.discord.remote.inbox import serve

from .conftest import ALICE, TV


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_relay_and_endpoint_run_together(discord, channel, settings, controller, plex, movie):
    port = free_port()
    task = asyncio.create_task(serve(settings, controller, f"127.0.0.1:{port}"))
    try:
        url = f"http://127.0.0.1:{port}/interactions"
        for _ in range(100):  # until the endpoint answers and the relay has set its cursor
            await asyncio.sleep(0.05)
            with contextlib.suppress(OSError):
                if (await discord.send_interaction_async(url, {"type": 1}))[0] == 200:
                    break
        while not state_path(channel).exists():
            await asyncio.sleep(0.05)
        discord.post_user_message(channel, f"/plex play {movie} on {TV}", ALICE, "alice")
        for _ in range(100):
            await asyncio.sleep(0.1)
            if len(discord.channel_messages(channel)) == 2:
                break
        assert plex.player(TV).timeline()["state"] == "playing"
        assert discord.channel_messages(channel)[-1]["content"].startswith("Playing")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await (await controller.find_player(TV)).stop()
