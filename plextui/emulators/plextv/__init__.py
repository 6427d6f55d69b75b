"""A loopback plex.tv: PIN sign-in, the account, its servers (resources) and Plex Home users."""

from .harness import PlexTvEmulator

__all__ = ["PlexTvEmulator"]
