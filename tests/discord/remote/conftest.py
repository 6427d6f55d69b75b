"""Real loopback servers for the remote: one emulated PMS (tests/fixtures.py) and one emulated
Discord per module.

Each test gets its own channel id and its own controller, so tests do not see each
other's messages; security tests stop the TV first and then check it stays stopped.
"""

from __future__ import annotations

import itertools
import time

import pytest

from plextui.config import DiscordSettings, PlexSettings, RemoteSettings, Settings
from plextui.discord.rest import DiscordRest
from plextui.emulators.discord import DiscordRestEmulator

BOT_TOKEN = "MTIz.bot-SECRET-token.XyZ"
PLEX_TOKEN = "plex-SECRET-token"
TV = "Living Room TV"
ALICE, BOB, MALLORY, ADMIN = "1001", "1002", "1666", "1009"
DJ_ROLE, ADMIN_ROLE = "5001", "5009"
_channels = itertools.count(1)


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": PLEX_TOKEN, "size": 200, "seed": 11, "players": 2}


@pytest.fixture(scope="module")
def plex(emu):
    """The module's emulated PMS (tests/fixtures.py `emu`), named for what the remote reaches."""
    return emu


@pytest.fixture(scope="module")
def discord():
    server = DiscordRestEmulator(bot_token=BOT_TOKEN)
    server.start()
    server.rate_limits = False
    yield server
    server.stop()


@pytest.fixture
def channel(discord) -> str:
    channel_id = str(900_000_000_000_000_000 + next(_channels) * 1000 + int(time.time()) % 1000)
    discord.create_channel(channel_id)
    return channel_id


def make_settings(discord, channel_id: str, **remote) -> Settings:
    values = {
        "enabled": True,
        "bot_token": BOT_TOKEN,
        "channel_id": channel_id,
        "application_id": discord.application_id,
        "public_key": discord.public_key_hex,
        "view_users": [BOB],
        "control_users": [ALICE],
        "admin_users": [ADMIN],
        "control_roles": [DJ_ROLE],
        "admin_roles": [ADMIN_ROLE],
        "rate_per_minute": 60,
    } | remote
    return Settings(
        plex=PlexSettings(url="http://unused", token=PLEX_TOKEN),
        discord=DiscordSettings(api_url=discord.api_url, remote=RemoteSettings(**values)),
    )


@pytest.fixture
def settings(discord, channel) -> Settings:
    return make_settings(discord, channel)


@pytest.fixture
def service_options() -> dict:
    return {"client_id": "plextui-remote-test", "timeout": 5}


@pytest.fixture
async def rest(discord):
    client = DiscordRest(discord.api_url, BOT_TOKEN)
    yield client
    await client.close()


@pytest.fixture
async def movie(controller) -> str:
    """A title `play` resolves to exactly one movie."""
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    item = (await controller.service.browse(movies, size=1, start=3)).items[0]
    return f"{item.title} ({item.year})"


@pytest.fixture
async def stopped_tv(plex, controller):
    """The TV stopped, so any command that slipped through would show in its timeline."""
    tv = plex.player(TV)
    if tv.timeline()["state"] != "stopped":
        await (await controller.find_player(TV)).stop()
    assert tv.timeline()["state"] == "stopped"
    return tv


def snapshot(plex, tv) -> tuple:
    """The TV's timeline, every command it was sent, and every play queue the server made."""
    timeline = tv.timeline()
    queues = sum(1 for _method, path, _headers in plex.requests if path.startswith("/playQueues"))
    return {k: timeline.get(k) for k in ("state", "ratingKey", "volume")}, len(tv.commands), queues


def unchanged(plex, tv, before: tuple) -> None:
    """Nothing happened: no player command, no play queue, the same timeline."""
    assert snapshot(plex, tv) == before
