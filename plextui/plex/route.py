"""How a command reaches a remote player, and which side a failure belongs to.

A command goes to the player's own address first. Only when that connection could not be
opened (refused, no route, connect timeout) was nothing sent, so only then does the same
command go through the server's proxy; the player keeps that route from then on. A read
timeout or a connection dropped mid-answer may come after the player acted, so it is
reported and never repeated: a real server would otherwise deliver `playMedia` twice, and a
player that toggles would flip back. A player that answers an HTTP error, or HTTP 200 with
`<Response code="500" status="…">` (plex-mpv-shim's way), refused the command.
"""

from __future__ import annotations

import itertools
import re
from typing import Any
from xml.etree import ElementTree

import requests
from plexapi import utils
from plexapi.client import PlexClient
from plexapi.exceptions import PlexApiException
from plexapi.server import PlexServer
from urllib3.exceptions import ConnectTimeoutError

from plextui.errors import PlexError, UnreachableError
from plextui.plex.direct import refusal
from plextui.plex.failures import player_dropped, player_late, player_refused

_CODE = re.compile(r"^\((\d{3})\) (\w+)")
_STATUS = re.compile(r'status="([^"]*)"')


def never_sent(error: BaseException) -> bool:
    """True when the connection failed before any byte of the request left."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    if isinstance(error, requests.ConnectionError) and error.args:
        return isinstance(getattr(error.args[0], "reason", None), ConnectTimeoutError)
    return False


def _http_detail(error: PlexApiException) -> tuple[int | None, str]:
    """`(404, 'not found')` from plexapi's `(404) not_found; URL body` message (no URL kept)."""
    text = str(error)
    code = _CODE.match(text)
    status = _STATUS.search(text)
    reason = code.group(2).replace("_", " ") if code else "an error"
    if status:
        reason = status.group(1)
    return (int(code.group(1)) if code else None), reason


class Route:
    """One player's way in: its own address, or the server's proxy after that failed.

    `send` blocks (run it in the service's pool) and raises only plextui errors, each
    naming the player and the side that failed.
    """

    def __init__(self, client: PlexClient, server: PlexServer, name: str, timeout: float):
        self.client, self.server, self.name, self.timeout = client, server, name, timeout
        self.proxied_because = ""  # why the direct route failed; empty while it works
        self._ids = itertools.count(1)

    def send(self, command: str, action: str, **params: Any) -> ElementTree.Element | None:
        """Send `/player/{command}`; `action` names it in messages ("pause", "play")."""
        path = f"/player/{command}{utils.joinArgs({**params, 'commandID': next(self._ids)})}"
        headers = {"X-Plex-Target-Client-Identifier": self.client.machineIdentifier}
        if not self.proxied_because:
            try:
                return self._checked(self._query(self.client, path, headers), action)
            except (requests.RequestException, PlexApiException) as error:
                if not never_sent(error):
                    raise self._failure(error, action, "") from None
                self.proxied_because = _connect_failure(error)
        try:
            return self._checked(self._query(self.server, path, headers), action)
        except (requests.RequestException, PlexApiException) as error:
            raise self._proxy_failure(error, action, self.proxied_because) from None

    def _query(self, via: Any, path: str, headers: dict) -> ElementTree.Element | None:
        try:
            return via.query(path, headers=headers, timeout=self.timeout)
        except ElementTree.ParseError:
            return None  # Plexamp and Plex for Android answer a bare `OK`: an ack

    def _checked(self, answer: ElementTree.Element | None, action: str) -> Any:
        refused = refusal(answer)
        if refused is not None:
            raise player_refused(self.name, action, "", refused)
        return answer

    def _failure(self, error: BaseException, action: str, via: str) -> PlexError:
        """A direct (or, with `via`, proxied) request that reached its peer and then failed."""
        if isinstance(error, requests.Timeout):
            return player_late(self.name, action, via, self.timeout)
        if isinstance(error, requests.RequestException):
            return player_dropped(self.name, action, via)
        code, reason = _http_detail(error)  # type: ignore[arg-type]
        return player_refused(self.name, action, via, f"HTTP {code} ({reason})" if code else reason)

    def _proxy_failure(self, error: BaseException, action: str, why: str) -> PlexError:
        if never_sent(error):
            return UnreachableError(
                f"player '{self.name}' {why}, and the Plex server is not answering either"
            )
        if isinstance(error, PlexApiException):
            code, reason = _http_detail(error)
            if code in (404, 500) and (code == 404 or "Unable to find player" in reason):
                return UnreachableError(
                    f"player '{self.name}' {why}, and the server cannot reach it either"
                )
        return self._failure(error, action, " through the server")


def _connect_failure(error: BaseException) -> str:
    if isinstance(error, requests.ConnectTimeout) or "timed out" in str(error):
        return "did not accept a connection"
    if "Name or service not known" in str(error) or "resolution" in str(error).lower():
        return "has an address that does not resolve"
    return "refused the connection"
