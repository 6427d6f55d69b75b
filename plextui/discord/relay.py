"""`plextui relay`: the Discord mirror without a TUI, for a machine that runs Discord or only
posts to channels. Events come from the PMS websocket through the shared runtime; status
changes are printed as lines (never a secret: statuses redact webhook URLs)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from plextui import runtime
from plextui.config import Settings
from plextui.discord.mirror import Mirror, mirror_from_settings
from plextui.plex.events import ConnectionChanged


async def token_account(rt: runtime.Runtime) -> str | None:
    """The Plex account the token belongs to (the server owner's name), None if unknown."""
    service = rt.service
    name = await service.run(lambda: getattr(service.plex, "myPlexUsername", "") or "")
    return name or None


async def run_relay(settings: Settings, *, out: Callable[[str], None] = print) -> None:
    """Connect, watch sessions and mirror them to Discord until cancelled."""
    rt = runtime.build(settings)
    try:
        info = await rt.service.connect()
        out(f"connected to Plex server {info.name} ({info.version})")
        account = await token_account(rt)
        titles = {lib.key: lib.title for lib in await rt.service.libraries()}
        mirror = mirror_from_settings(settings.discord, account, library_titles=titles)
        mirror.attach(rt.bus)
        rt.bus.subscribe(
            lambda event: (
                out(f"plex: {event.message}") if isinstance(event, ConnectionChanged) else None
            )
        )
        users = [u for u in (account, *settings.discord.presence.users) if u]
        out(f"mirroring sessions of {', '.join(users)}" if users else "mirroring every user")
        try:
            await asyncio.gather(rt.watcher.run(), mirror.run(), _report(mirror, out))
        finally:
            await mirror.stop()
            out("relay stopped; Discord presence cleared")
    finally:
        rt.close()


async def _report(mirror: Mirror, out: Callable[[str], None], every: float = 1.0) -> None:
    """Print each part's status when it changes."""
    shown: dict[str, str] = {}
    while True:
        for part, status in mirror.status.items():
            if shown.get(part) != status:
                shown[part] = status
                out(f"{part}: {status}")
        await asyncio.sleep(every)
