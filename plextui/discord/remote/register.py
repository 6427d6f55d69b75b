"""`plextui discord register`: install the `/plex` slash command on the application.

A bulk overwrite (PUT) is idempotent: running it again after an upgrade replaces the
definition instead of piling up copies, and Discord keeps the command id for a name
that stays. Subcommand names are the grammar's verbs (and `playlist` a group of its
forms), and option names its fields, so the interactions endpoint builds the same
`Command` that `ctl` and the channel poller parse from text (`slash.command_of`).
"""

from __future__ import annotations

import asyncio
import sys

from plextui.config import Settings
from plextui.core.commands import HELP
from plextui.core.playlist_grammar import OPS
from plextui.core.quality import QUALITY_NAMES
from plextui.discord.rest import DiscordRest, RestError
from plextui.errors import ConfigError

SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER = 1, 2, 3, 4
GUILD, BOT_DM = 0, 1


def _string(name: str, description: str, *, required: bool = True, **extra) -> dict:
    option = {"type": STRING, "name": name, "description": description, "required": required}
    return option | extra


def _sub(verb: str, *options: dict, description: str = "") -> dict:
    option = {"type": SUB_COMMAND, "name": verb, "description": description or HELP[verb][1]}
    if options:
        option["options"] = list(options)
    return option


def _playlist_forms() -> dict:
    """`/plex playlist show|create|add|remove|move|rename|delete`, fields as the grammar's."""
    playlist = _string("playlist", "Playlist", autocomplete=True, max_length=100)
    title = _string("title", "Title", autocomplete=True, max_length=200)
    item = _string("item", "Title, or its number in the playlist", max_length=200)
    position = {"type": INTEGER, "name": "position", "description": "New position (1 is first)"}
    forms = {
        "show": (playlist,),
        "create": (_string("name", "Name of the new playlist", max_length=100), title),
        "add": (playlist, title),
        "remove": (playlist, item),
        "move": (playlist, item, position | {"required": True, "min_value": 1}),
        "rename": (playlist, _string("name", "New name", max_length=100)),
        "delete": (playlist,),
    }
    return {
        "type": SUB_COMMAND_GROUP,
        "name": "playlist",
        "description": "Show or edit playlists",
        "options": [_sub(op, *options, description=OPS[op][1]) for op, options in forms.items()],
    }


PLEX_COMMAND = {
    "type": 1,
    "name": "plex",
    "description": "Control Plex playback",
    "contexts": [GUILD],
    "integration_types": [0],
    "options": [
        _sub(
            "play",
            _string("title", "Title to play", autocomplete=True, max_length=200),
            _string("player", "Player to play on", required=False, autocomplete=True),
            _string("version", "Which file: 4k, 1080p, an edition or its number", required=False),
        ),
        _sub("pause"),
        _sub("resume"),
        _sub("stop"),
        _sub("seek", _string("time", "1:15:30, 75:30, 90, +30s or -1m", max_length=20)),
        _sub("next"),
        _sub("prev"),
        _sub("volume", _string("level", "0-100, or +N / -N to change it", max_length=4)),
        _sub(
            "quality",
            _string(
                "quality",
                "Stream quality",
                choices=[{"name": name, "value": name} for name in QUALITY_NAMES],
            ),
        ),
        _sub("audio", _string("track", "Language (french, fr) or number", max_length=40)),
        _sub("subtitles", _string("track", "Language, number, or off", max_length=40)),
        _sub("search", _string("query", "What to look for", max_length=100)),
        _sub("now"),
        _sub("continue"),
        _sub("recent", _string("library", "Library; every one when left out", required=False)),
        _playlist_forms(),
    ],
}
SUBCOMMANDS = frozenset(option["name"] for option in PLEX_COMMAND["options"])
GROUPS = {  # subcommand groups → their subcommands
    option["name"]: frozenset(sub["name"] for sub in option["options"])
    for option in PLEX_COMMAND["options"]
    if option["type"] == SUB_COMMAND_GROUP
}


def definition() -> list[dict]:
    return [PLEX_COMMAND]


async def register_async(settings: Settings, rest: DiscordRest | None = None) -> list:
    remote = settings.discord.remote
    if not remote.application_id or not remote.bot_token:
        raise ConfigError(
            "set discord.remote.application_id and discord.remote.bot_token (or "
            "DISCORD_BOT_TOKEN) first: both are in the Discord Developer Portal"
        )
    client = rest or DiscordRest(settings.discord.api_url, remote.bot_token)
    try:
        return await client.overwrite_commands(remote.application_id, definition())
    finally:
        if rest is None:
            await client.close()


def register_commands(settings: Settings) -> list:
    """Bulk-overwrite the application's global commands with `/plex`; the registered list."""
    return asyncio.run(register_async(settings))


def main(settings: Settings) -> int:
    """CLI entry: 0 registered, 2 not configured, 1 Discord refused."""
    try:
        registered = register_commands(settings)
    except ConfigError as error:
        print(f"plextui: {error}", file=sys.stderr)
        return 2
    except RestError as error:
        print(f"plextui: could not register the /plex command: {error}", file=sys.stderr)
        return 1
    names = ", ".join(f"/{c.get('name')}" for c in registered)
    print(f"Registered {names} (subcommands: {', '.join(sorted(SUBCOMMANDS))}).")
    print("Global commands can take a few minutes to show up in Discord.")
    return 0
