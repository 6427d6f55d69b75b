"""One bounded look at a Plex server without plexapi, for `plextui doctor`.

plexapi's PlexServer() asks `/` with the token and raises on anything unexpected; the
doctor must tell apart "nothing answers", "something that is not Plex answers" and "Plex
refused the token", so it asks `/identity` and `/` itself, through the same bounded
transport as the app (so the debug log has these requests too).
"""

from __future__ import annotations

from xml.etree import ElementTree

from plextui import __version__
from plextui.plex.transport import bounded_session

MAX_ANSWER = 4 * 2**20  # an identity or root answer is a few kB


def ask(
    url: str, timeout: float, deadline: float, token: str = "", client_id: str = ""
) -> tuple[int, dict[str, str]]:
    """GET `url`: the HTTP status and the root element's attributes ({} when not XML).
    Network faults raise as requests raises them (the caller translates them)."""
    headers = {"Accept": "application/xml", "X-Plex-Product": "plextui"}
    headers |= {"X-Plex-Version": __version__, "X-Plex-Client-Identifier": client_id or "plextui"}
    if token:
        headers["X-Plex-Token"] = token
    with bounded_session(MAX_ANSWER, deadline) as session:
        answer = session.get(url, headers=headers, timeout=timeout)
    try:
        return answer.status_code, dict(ElementTree.fromstring(answer.content).attrib)
    except ElementTree.ParseError:
        return answer.status_code, {}
