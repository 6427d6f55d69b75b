"""Loopback Discord: the desktop client's RPC socket and the REST API (webhooks, channels,
application commands, interactions), faithful to ../shared/reference/discord-api.md."""

from .ipc import DiscordIPCEmulator
from .rest import DiscordRestEmulator

__all__ = ["DiscordIPCEmulator", "DiscordRestEmulator"]
