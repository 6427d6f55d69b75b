"""What a failed request to Plex means to a user: one mapping, one line each.

plexapi raises its own exceptions, requests and urllib3 theirs, our transport its bounds;
`translate` turns each into a plextui error whose message names the server and, where a
setting decides, the setting (never a URL with a token, never a traceback).
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

import requests
from plexapi.exceptions import BadRequest, NotFound, Unauthorized

from plextui.errors import AuthError, MediaError, PlexError, UnreachableError
from plextui.plex.transport import AnswerTooLarge, DeadlineExceeded

_TOKEN = re.compile(r"(X-Plex-Token=)[^&\s]+", re.IGNORECASE)


def scrub(text: str) -> str:
    """Drop tokens from a message that may quote a URL."""
    return _TOKEN.sub(r"\1••••", text)


def translate(error: BaseException, url: str, timeout: float) -> Exception:
    """One mapping from what plexapi/requests raise to what a user reads."""
    if isinstance(error, AnswerTooLarge):
        return UnreachableError(
            f"the Plex server at {url} sent an answer over {error.limit / 2**20:g} MB"
            " (plex.max_answer_mb); stopped reading it"
        )
    if isinstance(error, DeadlineExceeded):
        return UnreachableError(
            f"the Plex server at {url} did not finish answering within {error.seconds:g} s"
            " (plex.deadline)"
        )
    if isinstance(error, Unauthorized):
        return AuthError(
            f"the Plex server at {url} refused the token (check plex.token or PLEX_API_TOKEN)"
        )
    if isinstance(error, NotFound):
        return MediaError("not found on the server (it may have been removed)")
    if isinstance(error, BadRequest):
        code = re.match(r"\((\d+)\)", str(error))
        return PlexError(f"the Plex server answered {code.group(1) if code else 'an error'}")
    if isinstance(error, requests.Timeout):
        return UnreachableError(f"the Plex server at {url} did not answer within {timeout:g} s")
    if isinstance(error, requests.ConnectionError):
        return UnreachableError(f"cannot reach the Plex server at {url}")
    if isinstance(error, ParseError):
        return PlexError(f"the Plex server at {url} sent a malformed answer")
    if isinstance(error, ValueError | KeyError | IndexError | AttributeError | TypeError):
        return PlexError(f"the Plex server at {url} sent an answer plextui could not read")
    if isinstance(error, PlexError):
        return error
    return PlexError(f"unexpected error talking to Plex: {scrub(str(error))[:200]}")
