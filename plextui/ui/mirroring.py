"""The app's Discord side: the mirror of what plays, and the companion channel's commands.

The TUI runs the same Mirror as `plextui relay`, fed by the same bus, so the Discord
panel previews exactly what goes out. Commands typed in a companion channel are taken
only when the app is given one (the demo's emulated Discord): the entry point that makes
the channel also says how its commands are taken (`Companion.take_commands`), so the UI
never imports the remote-command front end. A real setup runs `plextui relay`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Protocol

from textual import work
from textual.app import App

from plextui.core.models import NowPlaying
from plextui.errors import PlextuiError

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime
    from plextui.discord.mirror.nowplaying import Mirror


class Companion(Protocol):
    """A channel the Discord panel can type into, as an allowed user, and what answers it."""

    channel_id: str
    channel_name: str

    def post(self, text: str) -> None: ...

    def messages(self) -> list[dict]: ...

    def take_commands(self, rt: Runtime) -> Awaitable[None]:
        """Take the channel's `/plex` commands through the runtime's Controller and answer
        them there, until cancelled."""
        ...


async def build_mirror(rt: Runtime) -> Mirror:
    """A mirror for the connected server's account, attached to the runtime's bus.
    Imported here, once connected: Discord's libraries are not on the way to the first rows."""
    from plextui.discord.mirror.nowplaying import mirror_from_settings

    try:
        account = await rt.service.account_name()
        titles = {lib.key: lib.title for lib in await rt.service.libraries()}
    except PlextuiError:
        account, titles = None, {}

    async def poster(card: NowPlaying) -> bytes | None:
        return await rt.service.poster(card.thumb) if card.thumb else None

    discord = rt.settings.discord
    if not rt.settings.ui.mirror_discord:  # a relay does it; the panel still previews
        discord = dataclasses.replace(
            discord,
            presence=dataclasses.replace(discord.presence, enabled=False),
            webhook=dataclasses.replace(discord.webhook, enabled=False),
        )
    mirror = mirror_from_settings(discord, account, library_titles=titles, poster=poster)
    mirror.attach(rt.bus)
    return mirror


class DiscordLink(App[int]):
    """The Discord half of PlexApp, which provides `rt` and `companion`."""

    rt: Runtime | None
    companion: Companion | None
    mirror: Mirror | None = None

    @work(group="discord", exclusive=True, exit_on_error=False)
    async def start_discord(self) -> None:
        assert self.rt is not None
        self.mirror = await build_mirror(self.rt)
        parts = [self.mirror.run()]
        remote = self.rt.settings.discord.remote
        if self.companion is not None and remote.enabled and remote.channel_id:
            parts.append(self.companion.take_commands(self.rt))
        await asyncio.gather(*parts)

    async def stop_discord(self) -> None:
        """Clear presence and flush the webhook queue, briefly: quitting must stay quick."""
        if self.mirror is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.mirror.stop(), 3)
