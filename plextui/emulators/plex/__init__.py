"""A loopback Plex Media Server and Plex players that unmodified plexapi talks to over real sockets."""

from .clock import ManualClock
from .harness import PlexEmulator

__all__ = ["ManualClock", "PlexEmulator"]
