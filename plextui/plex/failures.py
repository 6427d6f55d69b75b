"""What a failed request to Plex means to a user: one line each.

Each sentence is a plextui error whose message names the server and, where a setting
decides, the setting (never a URL with a token, never a traceback). Two ways to Plex say
them: plex/transport.py's `translate` for what plexapi, requests and the transport's bounds
raise, and plex/direct.py (no plexapi, no requests) for http.client's failures.
"""

from __future__ import annotations

import re

from plextui.errors import AuthError, MediaError, PlexError, StreamError, UnreachableError

_TOKEN = re.compile(r"(X-Plex-Token=)[^&\s]+", re.IGNORECASE)


def scrub(text: str) -> str:
    """Drop tokens from a message that may quote a URL."""
    return _TOKEN.sub(r"\1••••", text)


def too_large(url: str, limit: int) -> UnreachableError:
    return UnreachableError(
        f"the Plex server at {url} sent an answer over {limit / 2**20:g} MB"
        " (plex.max_answer_mb); stopped reading it"
    )


def past_deadline(url: str, seconds: float) -> UnreachableError:
    return UnreachableError(
        f"the Plex server at {url} did not finish answering within {seconds:g} s (plex.deadline)"
    )


def refused_token(url: str) -> AuthError:
    return AuthError(
        f"the Plex server at {url} refused the token (check plex.token or PLEX_API_TOKEN)"
    )


def not_found() -> MediaError:
    return MediaError("not found on the server (it may have been removed)")


def answered(code: str) -> PlexError:
    return PlexError(f"the Plex server answered {code}")


def no_answer(url: str, timeout: float) -> UnreachableError:
    return UnreachableError(f"the Plex server at {url} did not answer within {timeout:g} s")


def cannot_reach(url: str) -> UnreachableError:
    return UnreachableError(f"cannot reach the Plex server at {url}")


def malformed(url: str) -> PlexError:
    return PlexError(f"the Plex server at {url} sent a malformed answer")


def unreadable(url: str) -> PlexError:
    return PlexError(f"the Plex server at {url} sent an answer plextui could not read")


# --- players: said alike whether the command went over plexapi (route.py) or direct.py


def player_late(name: str, action: str, via: str, timeout: float) -> UnreachableError:
    return UnreachableError(
        f"player '{name}' did not answer {action}{via} within {timeout:g} s;"
        " it may still act on it, so it was not sent again"
    )


def player_dropped(name: str, action: str, via: str) -> UnreachableError:
    return UnreachableError(
        f"player '{name}' dropped the connection during {action}{via};"
        " it may have acted on it, so it was not sent again"
    )


def player_refused(name: str, action: str, via: str, why: str) -> StreamError:
    return StreamError(f"player '{name}' refused {action}{via}: {why}")
