"""plextui: a keyboard-driven terminal remote for Plex, with Discord presence."""

__version__ = "0.1.0"
