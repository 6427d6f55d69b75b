"""A Plex server and its players over the standard library's HTTP, for `ctl`.

A shell command is timed from Enter to exit, and importing plexapi, requests and asyncio
takes longer than the rest of a one-request command (more than the plain plexapi script a
user would otherwise write, which pays for plexapi alone). So the verbs `ctl` answers in
one or two requests (control/quick.py) read the server here: one `http.client`
connection per host, the XML read by ElementTree and turned into models by
plex/convert.py as every other answer is, the same bounds as plex/transport.py (each
answer's size, each request's deadline) and the same sentences for failures
(plex/failures.py, the players' as plex/route.py says them).
"""

from __future__ import annotations

import http.client
import itertools
import re
import socket
import threading
import time
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from plextui import __version__
from plextui.config import debuglog
from plextui.core.models import MediaItem, SessionInfo
from plextui.plex import convert, failures

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def client_headers(client_id: str) -> dict[str, str]:
    """Who plextui is to Plex, on every request whichever way it goes (plexapi's too:
    plex/opening.py)."""
    return {
        "X-Plex-Product": "plextui",
        "X-Plex-Version": __version__,
        "X-Plex-Client-Identifier": client_id,
        "X-Plex-Device-Name": "plextui",
    }


def searchable(query: str) -> str:
    """Lone surrogates (from JSON escapes, or a shell word that was not UTF-8) cannot
    travel as UTF-8: each is searched for as U+FFFD."""
    return _SURROGATE.sub("\ufffd", query)


def search_path(query: str, limit: int, section_id: int | None = None) -> str:
    """Hub search as plexapi's `search()` asks it: one request, `limit` hits per hub."""
    params: dict[str, object] = {
        "query": searchable(query),
        "includeCollections": 1,
        "includeExternalMedia": 1,
        "limit": limit,
    }
    if section_id is not None:
        params["sectionId"] = section_id
    return f"/hubs/search?{urlencode(params)}"


def search_hits(answer: Element) -> list[MediaItem]:
    """The hits of every hub, as rows. Read from the XML: the Hub and media objects plexapi
    builds for ~150 hits cost more than the parsing."""
    return convert.hub_items([hit for hub in answer.iter("Hub") for hit in hub])


class NotSent(Exception):
    """The connection to a player could not be opened: nothing reached it."""


def refusal(answer: Element | None) -> str | None:
    """The status of a `<Response code="…">` that is not 200, anywhere in a player's answer
    (plex-mpv-shim answers HTTP 200 with `<Response code="500" status="…">`)."""
    if answer is None:
        return None
    for response in answer.iter("Response"):
        code = response.attrib.get("code", "200")
        if code not in ("200", ""):
            return response.attrib.get("status") or f"code {code}"
    return None


class _Cut(Exception):
    """The deadline shut the socket while a request was under way."""


class _TooLarge(Exception):
    """The answer is (or announces itself) larger than the cap."""


_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class _Http:
    """One keep-alive connection to one host, each request bounded in size and time.

    `reads` (the server's GETs): a request on a kept connection the host has closed since
    (it restarted, or dropped idle connections) goes again once on a new connection, as
    urllib3 does; a player's command never goes twice."""

    def __init__(
        self, url: str, timeout: float, deadline: float, max_bytes: int, reads: bool = False
    ) -> None:
        parts = urlsplit(url)
        self.url, self.reads = url, reads
        self.prefix = parts.path.rstrip("/")
        self.timeout, self.deadline, self.max_bytes = timeout, deadline, max_bytes
        kind = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        self.conn: http.client.HTTPConnection = kind(
            parts.hostname or "", parts.port, timeout=timeout
        )

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        """(status, body); raises OSError (connect, read), TimeoutError, _Cut, or
        _TooLarge when the answer is larger than `max_bytes`."""
        kept = self.conn.sock is not None
        try:
            return self._get(path, headers)
        except _STALE:
            if not (kept and self.reads):
                raise
            return self._get(path, headers)

    def _get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        cut = threading.Event()

        def expire() -> None:
            cut.set()
            sock = self.conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(self.deadline, expire)
        timer.daemon = True
        timer.start()
        began = time.monotonic()
        status: int | str = "failed"
        try:
            self.conn.request("GET", self.prefix + path, headers=headers)
            answer = self.conn.getresponse()
            status = answer.status
            announced = answer.getheader("Content-Length")
            if announced and announced.isdigit() and int(announced) > self.max_bytes:
                raise _TooLarge
            body = answer.read(self.max_bytes + 1)
            if cut.is_set():  # the shut socket ended the read early: what came is partial
                raise _Cut
            if len(body) > self.max_bytes:
                raise _TooLarge
            if answer.will_close:
                self.conn.close()
            return answer.status, body
        except BaseException:
            self.conn.close()
            if cut.is_set():
                raise _Cut from None
            raise
        finally:
            timer.cancel()
            debuglog.request("GET", self.url + path, status, time.monotonic() - began)

    def close(self) -> None:
        self.conn.close()


class DirectServer:
    """The server at `url`, read without plexapi; each method is one request."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        client_id: str,
        timeout: float = 10.0,
        deadline: float = 60.0,
        max_bytes: int = 512 * 2**20,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout, self.deadline, self.max_bytes = timeout, deadline, max_bytes
        self.headers = client_headers(client_id) | {
            "X-Plex-Token": token,
            "Accept": "application/xml",
        }
        self._http = _Http(self.url, timeout, deadline, max_bytes, reads=True)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Element:
        """The XML answer to GET `path`; any failure as the sentence the user reads."""
        try:
            status, body = self._http.get(path, self.headers | headers if headers else self.headers)
        except _Cut:
            raise failures.past_deadline(self.url, self.deadline) from None
        except _TooLarge:
            raise failures.too_large(self.url, self.max_bytes) from None
        except TimeoutError:
            raise failures.no_answer(self.url, self.timeout) from None
        except (OSError, http.client.HTTPException):
            raise failures.cannot_reach(self.url) from None
        if status == 401:
            raise failures.refused_token(self.url)
        if status == 404:
            raise failures.not_found()
        if status >= 400:
            raise failures.answered(str(status))
        try:
            return ElementTree.fromstring(body)
        except ElementTree.ParseError:
            raise failures.malformed(self.url) from None

    def sessions(self) -> list[tuple[SessionInfo, str]]:
        """What streams now, each with its player's machine identifier."""
        out = []
        for element in self.get("/status/sessions"):
            player = element.find("Player")
            machine_id = player.attrib.get("machineIdentifier", "") if player is not None else ""
            out.append((self._read(convert.session, element), machine_id))
        return out

    def search(self, query: str, limit: int = 10) -> list[MediaItem]:
        """Hub search across libraries, in one request."""
        answer = self.get(search_path(query, limit))
        return self._read(search_hits, answer)

    def player_url(self, machine_id: str) -> str | None:
        """The address the server lists a player at (`/clients`, as plexapi builds it)."""
        for row in self.get("/clients"):
            if row.attrib.get("machineIdentifier") == machine_id and row.attrib.get("port"):
                host = row.attrib.get("host") or row.attrib.get("address")
                return f"http://{host}:{row.attrib['port']}" if host else None
        return None

    def _read(self, convert_fn, value):  # noqa: ANN001, ANN202
        try:
            return convert_fn(value)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, AssertionError):
            raise failures.unreadable(self.url) from None

    def close(self) -> None:
        self._http.close()


class DirectPlayer:
    """A player at its own address: a timeline poll and playback commands, never repeated."""

    def __init__(self, server: DirectServer, url: str, machine_id: str, name: str) -> None:
        self.name = name
        self.headers = server.headers | {"X-Plex-Target-Client-Identifier": machine_id}
        self.timeout = server.timeout
        self._http = _Http(url, server.timeout, server.deadline, server.max_bytes)
        self._ids = itertools.count(1)

    def send(self, command: str, action: str, **params: object) -> Element | None:
        """`/player/{command}`; NotSent when the connection could not be opened (the
        caller may go another way), a plextui error naming the player for the rest."""
        query = urlencode({**params, "commandID": next(self._ids)})
        if self._http.conn.sock is None:
            try:
                self._http.conn.connect()
            except OSError:
                raise NotSent from None
        try:
            status, body = self._http.get(f"/player/{command}?{query}", self.headers)
        except (_Cut, TimeoutError):
            raise failures.player_late(self.name, action, "", self.timeout) from None
        except (_TooLarge, OSError, http.client.HTTPException):
            raise failures.player_dropped(self.name, action, "") from None
        if status >= 400:
            reason = http.client.responses.get(status, "an error").lower()
            raise failures.player_refused(self.name, action, "", f"HTTP {status} ({reason})")
        try:
            answer: Element | None = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            answer = None  # Plexamp and Plex for Android answer a bare `OK`: an ack
        refused = refusal(answer)
        if refused is not None:
            raise failures.player_refused(self.name, action, "", refused)
        return answer

    def close(self) -> None:
        self._http.close()
