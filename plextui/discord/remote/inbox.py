"""Where remote commands come in: the companion channel and the interactions endpoint,
sharing one command queue, allowlist and audit log (`plextui relay`, and the demo's panel)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from aiohttp import web

from plextui.config import Settings
from plextui.control.controller import Controller
from plextui.core.supervise import supervise
from plextui.discord.remote import interactions
from plextui.discord.remote.auth import AuditLog, Authorizer, CommandQueue
from plextui.discord.remote.channel import ChannelRelay
from plextui.discord.rest import DiscordRest
from plextui.errors import EXIT_USAGE, DiscordError

log = logging.getLogger(__name__)


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
    """The channel relay (when a channel is set) and, with `listen` ("HOST:PORT"), the
    interactions endpoint, sharing one queue, allowlist and audit log, until cancelled.
    `idle` is the channel poll interval range (the TUI's panel wants quick answers). The
    poller is supervised (restarted after a failure); the endpoint needs no supervisor,
    since aiohttp answers 500 for a request whose handler raises and keeps serving."""
    remote = settings.discord.remote
    queue = CommandQueue(controller)
    authorizer = Authorizer(remote)
    audit = AuditLog(secrets=(remote.bot_token, settings.plex.token))
    rest = DiscordRest(settings.discord.api_url, remote.bot_token)
    runner: web.AppRunner | None = None
    await queue.start()
    try:
        if listen:
            host, _, port = listen.rpartition(":")
            parts = {"queue": queue, "authorizer": authorizer, "audit": audit, "rest": rest}
            app = interactions.make_interactions_app(settings, controller, **parts)
            runner = web.AppRunner(app)
            await runner.setup()
            try:
                await web.TCPSite(runner, host or "127.0.0.1", int(port)).start()
            except OSError as error:
                raise ListenError(f"cannot listen on {listen}: {error.strerror}") from None
            log.info("Discord interactions endpoint on http://%s%s", listen, interactions.PATH)
        if remote.channel_id and remote.bot_token:

            def poller() -> Awaitable[None]:  # a fresh one after a failure, from the journal
                return ChannelRelay(
                    settings,
                    controller,
                    rest,
                    queue=queue,
                    authorizer=authorizer,
                    audit=audit,
                    idle=idle,
                ).run()

            await supervise("Discord channel poller", poller)
        else:
            await asyncio.Event().wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await queue.stop()
        await rest.close()
