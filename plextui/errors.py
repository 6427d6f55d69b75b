"""Every error a user can see, each carrying a message fit to print as is.

The CLI maps them to exit codes in one place (`exit_code`), so `ctl`, `config` and the
relay agree: 0 ok, 1 the command failed, 2 usage or configuration, 3 server unreachable.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3


class PlextuiError(Exception):
    """Base of all plextui errors; `str(error)` is the user-facing message."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlexError(PlextuiError):
    """Something went wrong talking to Plex."""


class StreamError(PlexError):
    """A stream cannot be started or changed (quality, transcoding, player)."""


class SessionError(PlexError):
    """A session rule refused the action (device limit, unknown session)."""


class MediaError(PlexError):
    """The media item is missing, ambiguous or unplayable."""


class AuthError(PlexError):
    """The server refused the token."""

    exit_code = EXIT_USAGE


class UnreachableError(PlexError):
    """The server (or a player) did not answer."""

    exit_code = EXIT_UNREACHABLE


class ConfigError(PlextuiError):
    """The configuration file or environment is invalid."""

    exit_code = EXIT_USAGE


class CommandError(PlextuiError):
    """A command could not be parsed or is not allowed."""

    exit_code = EXIT_USAGE


class DiscordError(PlextuiError):
    """Discord (presence, webhook or remote) failed; never fatal to the app."""


class CacheError(PlextuiError):
    """The cache is unusable; the app goes on uncached."""


def exit_code(error: BaseException) -> int:
    """The process exit code for an error that reached the CLI."""
    if isinstance(error, PlextuiError):
        return error.exit_code
    return EXIT_FAILED
