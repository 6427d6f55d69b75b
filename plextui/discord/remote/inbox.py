"""Where remote commands come in: the companion channel and the interactions endpoint,
behind one gate (one allowlist, audit log and queue), for `plextui relay` and the demo."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from aiohttp import web

from plextui.config import Settings
from plextui.core.supervise import supervise
from plextui.discord.remote import interactions
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.gate import Gate
from plextui.discord.rest import DiscordRest
from plextui.errors import EXIT_USAGE, DiscordError

if TYPE_CHECKING:
    from plextui.control.controller import Controller

log = logging.getLogger(__name__)

PANEL_IDLE = (0.5, 2.0)  # poll range when a person types in the TUI's panel and watches


class ListenError(DiscordError):
    """The interactions endpoint cannot listen where it was told: a setting to change,
    so the relay stops with this one line instead of retrying."""

    exit_code = EXIT_USAGE


async def serve(
    settings: Settings,
    controller: Controller,
    listen: str | None = None,
    idle: tuple[float, float] = (1.0, 10.0),
) -> None:
    """The channel poller (when a channel is set) and, with `listen` ("HOST:PORT"), the
    interactions endpoint, sharing one gate, until cancelled. `idle` is the channel poll
    interval range. The poller is supervised (restarted after a failure); the endpoint
    needs no supervisor, since aiohttp answers 500 for a request whose handler raises and
    keeps serving."""
    remote = settings.discord.remote
    gate = Gate.build(settings, controller)
    rest = DiscordRest(settings.discord.api_url, remote.bot_token)
    runner: web.AppRunner | None = None
    await gate.start()
    try:
        if listen:
            host, _, port = listen.rpartition(":")
            app = interactions.make_interactions_app(settings, controller, gate=gate, rest=rest)
            runner = web.AppRunner(app)
            await runner.setup()
            try:
                await web.TCPSite(runner, host or "127.0.0.1", int(port)).start()
            except OSError as error:
                raise ListenError(f"cannot listen on {listen}: {error.strerror}") from None
            log.info("Discord interactions endpoint on http://%s%s", listen, interactions.PATH)
        if remote.channel_id and remote.bot_token:

            def poller() -> Awaitable[None]:  # a fresh one after a failure, from the journal
                return ChannelPoller(settings, controller, rest, gate=gate, idle=idle).run()

            await supervise("Discord channel poller", poller)
        else:
            await asyncio.Event().wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await gate.stop()
        await rest.close()


def serve_panel(settings: Settings, controller: Controller) -> Awaitable[None]:
    """`serve` for the TUI's companion channel (the demo): no endpoint, quick polls."""
    return serve(settings, controller, idle=PANEL_IDLE)
