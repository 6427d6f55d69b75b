"""The remote's moving parts on loopback: emulated Discord, the interactions endpoint, the
channel relay and one Controller on an emulated Plex server (shared by bench and soak)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from plextui.config import DiscordSettings, PlexSettings, RemoteSettings, Settings
from plextui.control.controller import Controller
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.authorizer import Authorizer
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.interactions import HANDLER, make_interactions_app
from plextui.discord.remote.queue import CommandQueue
from plextui.discord.rest import DiscordRest
from plextui.emulators.discord import DiscordRestEmulator
from plextui.emulators.plex import PlexEmulator
from plextui.plex.server import PlexService

BOT_TOKEN = "MTIz.bench-bot-token.XyZ"
CHANNEL = "900000000000000777"
USERS = [str(1001 + n) for n in range(8)]
USER = USERS[0]


@dataclass
class Rig:
    plex: PlexEmulator
    discord: DiscordRestEmulator
    settings: Settings
    controller: Controller
    endpoint: str
    handler: object
    relay: ChannelPoller

    async def slash(self, name: str, **options: str) -> tuple[int, object]:
        """`/plex name options…` signed by the emulated Discord and posted to the endpoint."""
        opts = [{"name": k, "type": 3, "value": v} for k, v in options.items()]
        sub = [{"name": name, "type": 1, **({"options": opts} if opts else {})}]
        payload = self.discord.slash_command("plex", sub, channel_id=CHANNEL, user_id=USER)
        return await self.discord.send_interaction_async(self.endpoint, payload)


@contextlib.asynccontextmanager
async def rig(
    plex: PlexEmulator, state_dir: Path, rate_per_minute: int = 1000
) -> AsyncIterator[Rig]:
    discord = DiscordRestEmulator(bot_token=BOT_TOKEN)
    discord.start()
    discord.rate_limits = False
    discord.create_channel(CHANNEL)
    remote = RemoteSettings(
        enabled=True,
        bot_token=BOT_TOKEN,
        channel_id=CHANNEL,
        application_id=discord.application_id,
        public_key=discord.public_key_hex,
        control_users=USERS,
        admin_users=USERS,
        rate_per_minute=rate_per_minute,
    )
    settings = Settings(
        plex=PlexSettings(url=plex.url, token=plex.token),
        discord=DiscordSettings(api_url=discord.api_url, remote=remote),
    )
    service = PlexService(plex.url, plex.token, client_id="plextui-bench-remote", timeout=10)
    await service.connect()
    controller = Controller(service, max_sessions=50, start_timeout=10)
    queue = CommandQueue(controller, window=0.05, maxsize=4096)
    audit = AuditLog(state_dir / "audit.log", secrets=(BOT_TOKEN, plex.token))
    authorizer = Authorizer(remote)
    authorizer.limiter.rate = authorizer.limiter.burst = rate_per_minute  # a busy evening
    rest = DiscordRest(discord.api_url, BOT_TOKEN)
    app = make_interactions_app(
        settings, controller, queue=queue, audit=audit, rest=rest, authorizer=authorizer
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    await queue.start()
    relay = ChannelPoller(
        settings,
        controller,
        rest,
        state_dir / "cursor.json",
        queue=queue,
        audit=audit,
        authorizer=authorizer,
        idle=(0.05, 0.2),
    )
    endpoint = f"http://127.0.0.1:{runner.addresses[0][1]}/interactions"
    try:
        yield Rig(plex, discord, settings, controller, endpoint, app[HANDLER], relay)
    finally:
        await relay.drain()
        await queue.stop()
        await runner.cleanup()
        await rest.close()
        service.close()
        discord.stop()


async def until(predicate, timeout: float = 10.0, step: float = 0.001) -> float:
    """Seconds until `predicate()` holds (polled), or TimeoutError."""
    began = time.perf_counter()
    while not predicate():
        if time.perf_counter() - began > timeout:
            raise TimeoutError("condition not met")
        await asyncio.sleep(step)
    return time.perf_counter() - began
