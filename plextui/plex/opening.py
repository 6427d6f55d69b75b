"""How PlexService opens plexapi's PlexServer: under our client identity, over a bounded
session (plex/transport.py), from the identity its connect read (no request).

Apart from server.py so that plexapi and requests load when a command first needs them,
not with the service: the first screen's reads go over plex/direct.py, and importing the
two is a tenth of a second of the start.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import plexapi
import requests
from plexapi.server import PlexServer

from plextui.plex.direct import client_headers
from plextui.plex.transport import bounded_session


def identify_as(client_id: str) -> None:
    """Present plextui to Plex with a stable client identifier (plexapi's documented globals)."""
    plexapi.X_PLEX_PRODUCT = "plextui"
    plexapi.X_PLEX_IDENTIFIER = client_id
    plexapi.BASE_HEADERS.update(client_headers(client_id))


class _KnownServer(PlexServer):
    """plexapi's PlexServer built from a remembered identity: its own first request (`/`)
    is answered from what the last connect saw."""

    def __init__(
        self, url: str, token: str, *, machine_id: str, session: requests.Session, timeout: float
    ) -> None:
        self._remembered = ElementTree.Element("MediaContainer", machineIdentifier=machine_id)
        super().__init__(url, token, session=session, timeout=timeout)

    def query(self, key: str, *args: Any, **kwargs: Any) -> Any:
        remembered = self.__dict__.pop("_remembered", None)
        if key == "/" and remembered is not None:
            return remembered
        return super().query(key, *args, **kwargs)


def open_server(
    url: str,
    token: str,
    *,
    client_id: str,
    timeout: float,
    deadline: float,
    max_bytes: int,
    machine_id: str,
) -> tuple[PlexServer, requests.Session]:
    """The server and the session its every request goes through."""
    identify_as(client_id)
    session = bounded_session(max_bytes, deadline)
    server = _KnownServer(url, token, machine_id=machine_id, session=session, timeout=timeout)
    return server, session
