"""plex.tv: sign in with a PIN, find the account's servers, and switch Plex Home users.

plexapi hard-codes https://plex.tv in class attributes, so this speaks the few plex.tv
endpoints with plain requests against `PLEXTUI_PLEXTV_URL` (an emulator in tests).
Nothing here prints or logs a token.
"""

from __future__ import annotations

import os
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from plextui import __version__
from plextui.errors import AuthError, PlexError, UnreachableError

DEFAULT_URL = "https://plex.tv"
LINK_URL = "plex.tv/link"
PRODUCT = "plextui"
SKEW_LIMIT = 300.0  # seconds of clock difference before we warn


class PinExpired(PlexError):
    """The sign-in code timed out before it was entered."""


class LoginCancelled(PlexError):
    """The user gave up on signing in."""


def base_url() -> str:
    return os.environ.get("PLEXTUI_PLEXTV_URL", DEFAULT_URL).rstrip("/")


def _headers(client_id: str, token: str | None = None, accept: str = "json") -> dict[str, str]:
    headers = {
        "Accept": f"application/{accept}",
        "X-Plex-Product": PRODUCT,
        "X-Plex-Version": __version__,
        "X-Plex-Client-Identifier": client_id,
        "X-Plex-Device-Name": "plextui",
    }
    if token:
        headers["X-Plex-Token"] = token
    return headers


def skew_notice(response: requests.Response) -> str | None:
    """A warning when the other side's clock (Date header) is far from ours."""
    try:
        remote = parsedate_to_datetime(response.headers["Date"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return None
    skew = remote - time.time()
    if abs(skew) < SKEW_LIMIT:
        return None
    ahead = "behind" if skew > 0 else "ahead of"
    return (
        f"this computer's clock is {abs(skew) / 60:.0f} minutes {ahead} {response.url.split('/')[2]};"
        " sign-in and secure connections may fail until it is corrected"
    )


def _call(method: str, url: str, client_id: str, token: str | None = None, **kw: Any):
    """One plex.tv request; network failures become UnreachableError, 401 AuthError."""
    headers = _headers(client_id, token, kw.pop("accept", "json"))
    try:
        response = requests.request(
            method, url, headers=headers, timeout=kw.pop("timeout", 10), **kw
        )
    except requests.RequestException:
        raise UnreachableError(
            f"cannot reach {url.split('/')[2]}; check the internet connection"
        ) from None
    if response.status_code == 401:
        raise AuthError(f"plex.tv refused: {_message(response) or 'not signed in'}")
    if response.status_code >= 400 and response.status_code != 404:
        raise PlexError(f"plex.tv answered {response.status_code}: {_message(response)}")
    return response


def _message(response: requests.Response) -> str:
    """The first error message of a plex.tv error body (JSON or XML)."""
    try:
        return response.json()["errors"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    try:
        error = ET.fromstring(response.text).find(".//error")
        return error.get("message", "") if error is not None else ""
    except ET.ParseError:
        return ""


# --- sign in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pin:
    id: int
    code: str
    expires_at: float
    link: str = LINK_URL


class PinLogin:
    """The PIN flow: `create()` a code to show, then `wait()` until it is linked at plex.tv/link.

    A 4-character (not `strong`) code is used because people type it at plex.tv/link.
    """

    def __init__(self, client_id: str, url: str | None = None, interval: float = 1.0) -> None:
        self.client_id = client_id
        self.url = url or base_url()
        self.interval = interval
        self.pin: Pin | None = None
        self.notice: str | None = None
        self._cancel = threading.Event()

    def create(self) -> Pin:
        response = _call(
            "POST", f"{self.url}/api/v2/pins", self.client_id, params={"strong": "false"}
        )
        data = response.json()
        self.notice = skew_notice(response)
        expires = time.time() + float(data.get("expiresIn") or 900)
        self.pin = Pin(int(data["id"]), data["code"], expires)
        return self.pin

    def check(self) -> str | None:
        """The account token once the code is linked, else None; PinExpired when it timed out."""
        if self.pin is None:
            raise PlexError("no sign-in code yet; create one first")
        response = _call("GET", f"{self.url}/api/v2/pins/{self.pin.id}", self.client_id)
        if response.status_code == 404:
            raise PinExpired("the code expired; start again")
        return response.json().get("authToken") or None

    def wait(self, timeout: float | None = None) -> str:
        """Poll until linked; raises PinExpired, LoginCancelled or UnreachableError."""
        pin = self.pin or self.create()
        deadline = min(pin.expires_at, time.time() + timeout) if timeout else pin.expires_at
        while not self._cancel.is_set():
            token = self.check()
            if token:
                return token
            if time.time() >= deadline:
                raise PinExpired("the code expired; start again")
            self._cancel.wait(self.interval)
        raise LoginCancelled("sign-in cancelled")

    def cancel(self) -> None:
        self._cancel.set()


# --- servers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    uri: str
    protocol: str
    local: bool
    relay: bool

    @property
    def kind(self) -> str:
        return "relay" if self.relay else "local" if self.local else "remote"


@dataclass(frozen=True)
class Resource:
    """A server on the account; `access_token` is what that server accepts for this user."""

    name: str
    client_identifier: str
    access_token: str
    owned: bool
    connections: tuple[Connection, ...]


@dataclass(frozen=True)
class Choice:
    """The connection `pick_connection` settled on and how long /identity took."""

    connection: Connection
    seconds: float
    notice: str | None = None


def _rank(c: Connection) -> tuple[bool, bool, bool]:
    return (c.protocol != "https", c.relay, not c.local)


def servers(token: str, client_id: str, url: str | None = None) -> list[Resource]:
    """The account's servers with their connections (https first, relay last)."""
    found = _resources("server", token, client_id, url)
    if not found:
        raise PlexError("no servers on this account; set one up at plex.tv, or add it by URL")
    return found


def players(
    token: str, client_id: str, url: str | None = None, timeout: float = 10
) -> list[Resource]:
    """The account's players (resources that provide `player`) with their connections."""
    return _resources("player", token, client_id, url, timeout=timeout)


def _resources(
    provides: str, token: str, client_id: str, url: str | None, timeout: float = 10
) -> list[Resource]:
    url = url or base_url()
    response = _call(
        "GET",
        f"{url}/api/v2/resources",
        client_id,
        token,
        params={"includeHttps": "1", "includeRelay": "1"},
        timeout=timeout,
    )
    found = []
    for item in response.json():
        if provides not in (item.get("provides") or "").split(","):
            continue
        conns = tuple(
            Connection(
                c["uri"], c.get("protocol", "http"), bool(c.get("local")), bool(c.get("relay"))
            )
            for c in item.get("connections") or []
        )
        found.append(
            Resource(
                item.get("name") or item["clientIdentifier"],
                item["clientIdentifier"],
                item.get("accessToken") or "",
                bool(item.get("owned")),
                tuple(sorted(conns, key=_rank)),
            )
        )
    return found


def _probe(conn: Connection, resource: Resource, client_id: str, timeout: float):
    started = time.monotonic()
    response = requests.get(
        conn.uri.rstrip("/") + "/identity",
        headers=_headers(client_id, resource.access_token),
        timeout=timeout,
    )
    response.raise_for_status()
    return time.monotonic() - started, skew_notice(response)


def _why(error: BaseException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        text = str(error).lower()
        return "refused" if "refused" in text else "unreachable"
    if isinstance(error, requests.HTTPError):
        return f"HTTP {error.response.status_code}"
    return type(error).__name__


def pick_connection(resource: Resource, client_id: str, timeout: float = 3.0) -> Choice:
    """Try every connection at once (GET /identity) and keep the best that answered:
    https over http, direct over relay, then the fastest."""
    if not resource.connections:
        raise UnreachableError(f"{resource.name} has no connections listed at plex.tv")
    answered: list[Choice] = []
    failed: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=len(resource.connections)) as pool:
        futures = {
            pool.submit(_probe, c, resource, client_id, timeout): c for c in resource.connections
        }
        for future in as_completed(futures):
            conn = futures[future]
            try:
                seconds, notice = future.result()
            except Exception as error:  # noqa: BLE001 - every failure is listed for the user
                failed[conn.uri] = _why(error)
                continue
            answered.append(Choice(conn, seconds, notice))
    if not answered:
        tried = ", ".join(f"{c.uri} ({failed[c.uri]})" for c in resource.connections)
        raise UnreachableError(f"{resource.name}: no connection answered: {tried}")
    return min(answered, key=lambda c: (_rank(c.connection)[:2], c.seconds))


# --- Plex Home --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeUser:
    id: int
    title: str
    admin: bool
    protected: bool  # switching to this user needs their PIN
    restricted: bool


def home_users(token: str, client_id: str, url: str | None = None) -> list[HomeUser]:
    url = url or base_url()
    response = _call("GET", f"{url}/api/home/users", client_id, token, accept="xml")
    root = _xml(response)
    return [
        HomeUser(
            int(u.get("id", 0)),
            u.get("title") or u.get("username") or "",
            u.get("admin") == "1",
            u.get("protected") == "1",
            u.get("restricted") == "1",
        )
        for u in root.iter("User")
    ]


def switch_user(
    token: str, user_id: int, client_id: str, pin: str | None = None, url: str | None = None
) -> str:
    """The plex.tv token of Home user `user_id`; AuthError("wrong PIN …") when refused."""
    url = url or base_url()
    params = {"pin": pin} if pin else {}
    try:
        response = _call(
            "POST",
            f"{url}/api/home/users/{user_id}/switch",
            client_id,
            token,
            params=params,
            accept="xml",
        )
    except AuthError:
        raise AuthError(
            "wrong PIN for that Plex Home user" if pin else "that Plex Home user needs a PIN"
        ) from None
    if response.status_code == 404:
        raise PlexError("no such Plex Home user")
    user = _xml(response)
    new = user.get("authenticationToken") or user.get("authToken")
    if not new:
        raise PlexError("plex.tv did not hand out a token for that user")
    return new


def _xml(response: requests.Response) -> ET.Element:
    try:
        return ET.fromstring(response.content)
    except ET.ParseError:
        raise PlexError("plex.tv sent a malformed answer") from None
