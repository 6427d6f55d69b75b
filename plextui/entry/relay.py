"""`plextui relay`: Discord without a TUI, for a machine that runs Discord or only posts to
channels. This entry point wires the parts: the runtime (events from the PMS websocket),
the mirror subscribers (discord.mirror: presence, webhook card) and, when remote commands
are on, the remote-command front end (discord.remote: channel poller, interactions
endpoint). Status changes are printed as lines (never a secret: statuses redact webhook
URLs). Each part is supervised: one that dies is restarted with a capped backoff and the
process lives on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from plextui.config import RemoteSettings, Settings
from plextui.control import runtime
from plextui.core.models import NowPlaying
from plextui.core.supervise import supervise
from plextui.discord.mirror.nowplaying import Mirror, mirror_from_settings
from plextui.discord.remote import inbox
from plextui.errors import ConfigError, PlextuiError
from plextui.plex.events import ConnectionChanged


async def run_relay(
    settings: Settings, *, out: Callable[[str], None] = print, listen_on: str | None = None
) -> None:
    """Connect, watch sessions and mirror them to Discord until cancelled; with remote
    commands enabled, also take `/plex` commands from the channel (and, with `listen_on`,
    from signed interactions)."""
    remote = settings.discord.remote
    if remote.enabled:
        for line in remote_gaps(remote, listen_on):
            out(line)
        if listen_on and not remote.public_key:
            raise ConfigError(f"relay: --listen needs the public key; {HOW['public_key']}")
    rt = runtime.build(settings, on_cache_fault=lambda message: out(f"cache: {message}"))
    try:
        await runtime.connect(rt)
        info = rt.service.info
        out(f"connected to Plex server {info.name} ({info.version})")
        account = await rt.service.account_name()
        titles = {lib.key: lib.title for lib in await rt.service.libraries()}

        async def poster(card: NowPlaying) -> bytes | None:
            return await rt.service.poster(card.thumb) if card.thumb else None

        mirror = mirror_from_settings(
            settings.discord, account, library_titles=titles, poster=poster
        )
        mirror.attach(rt.bus)
        rt.bus.subscribe(
            lambda event: (
                out(f"plex: {event.message}") if isinstance(event, ConnectionChanged) else None
            )
        )
        users = [u for u in (account, *settings.discord.presence.users) if u]
        out(f"mirroring sessions of {', '.join(users)}" if users else "mirroring every user")
        parts: dict[str, Callable[[], Awaitable[None]]] = {
            "Plex event watcher": rt.watcher.run,
            "player watcher": rt.player_watcher.run,
            "Discord mirror": mirror.run,
            "status report": lambda: _report(mirror, out),
        }
        channel = remote.channel_id if remote.bot_token else ""
        if remote.enabled and (channel or listen_on):
            listen = listen_on or None
            parts["remote commands"] = lambda: inbox.serve(settings, rt.controller, listen)
            intakes = [f"channel {channel}"] if channel else []
            intakes += [f"interactions on http://{listen}/interactions"] if listen else []
            out(f"remote commands: {'; '.join(intakes)}")
        elif remote.enabled:
            out("remote commands: off until the settings above are set")
        try:
            await run_together(parts, say=out)
        finally:
            await mirror.stop()
            out("relay stopped; Discord presence cleared")
    finally:
        await rt.aclose()


HOW = {
    "bot_token": "plextui config set discord.remote.bot_token TOKEN (or $DISCORD_BOT_TOKEN)",
    "channel_id": "plextui config set discord.remote.channel_id ID (or $DISCORD_CHANNEL_ID)",
    "public_key": "plextui config set discord.remote.public_key HEX (or $DISCORD_PUBLIC_KEY)",
}


def remote_gaps(remote: RemoteSettings, listen: str | None) -> list[str]:
    """What the channel still needs, one line each with how to set it: the bot token and
    the channel id (not asked for when --listen is the only intake meant). The endpoint's
    public key is not a gap but a refusal (run_relay)."""
    gaps = []
    if not listen or remote.bot_token or remote.channel_id:
        if not remote.bot_token:
            gaps.append(f"remote commands: no bot token to read the channel; {HOW['bot_token']}")
        if not remote.channel_id:
            gaps.append(f"remote commands: no companion channel; {HOW['channel_id']}")
    return gaps


async def run_together(
    parts: dict[str, Callable[[], Awaitable[None]]], say: Callable[[str], None] = print
) -> None:
    """Run every part until cancelled; a part that dies is restarted (`supervisor`), and
    only a usage or configuration error stops the others and is raised (a plextui error,
    so the CLI prints one line)."""
    try:
        async with asyncio.TaskGroup() as group:
            for name, start in parts.items():
                group.create_task(supervise(name, start, say=say))
    except* PlextuiError as failed:
        raise failed.exceptions[0] from None


async def _report(mirror: Mirror, out: Callable[[str], None], every: float = 1.0) -> None:
    """Print each part's status when it changes."""
    shown: dict[str, str] = {}
    while True:
        for part, status in mirror.status.items():
            if shown.get(part) != status:
                shown[part] = status
                out(f"{part}: {status}")
        await asyncio.sleep(every)
