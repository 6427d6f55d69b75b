"""plex.tv's state: one account with its Plex Home users, sign-in PINs and server resources.

Shapes follow what plex.tv answers and plexapi's myplex.py reads (MyPlexPinLogin,
MyPlexResource, ResourceConnection, MyPlexUser, switchHomeUser).
"""

from __future__ import annotations

import secrets
import string
import time
import uuid
from dataclasses import dataclass, field

LINK_CODE = string.ascii_uppercase + string.digits
PIN_LIFETIME = 900  # seconds a 4-character link code lives
STRONG_PIN_LIFETIME = 1800


@dataclass
class User:
    """A Plex Home member; `id` doubles as the PMS account id, so history lines up."""

    id: int
    title: str
    token: str
    pin: str | None = None
    admin: bool = False
    restricted: bool = False
    uuid: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    def home_xml_attrs(self) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "admin": int(self.admin),
            "guest": 0,
            "restricted": int(self.restricted),
            "protected": int(self.pin is not None),
            "title": self.title,
            "username": self.title if self.admin else "",
            "email": f"{self.title}@example.invalid" if self.admin else "",
            "thumb": f"https://plex.tv/users/{self.uuid}/avatar",
            "hasPassword": "true" if self.admin else "false",
            "home": 1,
        }

    def v2(self, home_size: int) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "username": self.title,
            "title": self.title,
            "email": f"{self.title}@example.invalid",
            "friendlyName": self.title,
            "locale": None,
            "confirmed": True,
            "joinedAt": 1600000000,
            "emailOnlyAuth": False,
            "hasPassword": self.admin,
            "protected": self.pin is not None,
            "thumb": f"https://plex.tv/users/{self.uuid}/avatar",
            "authToken": self.token,
            "home": True,
            "homeAdmin": self.admin,
            "homeSize": home_size,
            "restricted": self.restricted,
            "subscription": {"active": True, "status": "Active", "plan": "lifetime"},
        }


@dataclass
class Pin:
    id: int
    code: str
    client_id: str
    product: str
    strong: bool
    created_at: float
    expires_at: float
    auth_token: str | None = None

    def v2(self, now: float) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "product": self.product,
            "trusted": False,
            "qr": f"https://plex.tv/api/v2/pins/qr/{self.code}",
            "clientIdentifier": self.client_id,
            "location": {"code": "US", "country": "United States", "subdivisions": "Ohio"},
            "expiresIn": max(int(self.expires_at - now), 0),
            "createdAt": iso(self.created_at),
            "expiresAt": iso(self.expires_at),
            "authToken": self.auth_token,
            "newRegistration": None,
        }


@dataclass
class Server:
    """A PMS as plex.tv lists it; `tokens` is each Home user's accessToken for it."""

    name: str
    client_identifier: str
    connections: list[dict]
    tokens: dict[int, str]
    version: str = "1.41.3.9314-a0bfb8370"

    def v2(self, user: User) -> dict:
        return {
            "name": self.name,
            "product": "Plex Media Server",
            "productVersion": self.version,
            "platform": "Linux",
            "platformVersion": "6.1",
            "device": "PC",
            "clientIdentifier": self.client_identifier,
            "createdAt": "2024-01-01T00:00:00Z",
            "lastSeenAt": iso(time.time()),
            "provides": "server",
            "ownerId": None,
            "sourceTitle": None,
            "publicAddress": "203.0.113.7",
            "accessToken": self.tokens.get(user.id),
            "owned": True,
            "home": True,
            "synced": False,
            "relay": True,
            "presence": True,
            "httpsRequired": False,
            "publicAddressMatches": True,
            "dnsRebindingProtection": False,
            "natLoopbackSupported": False,
            "connections": self.connections,
        }


@dataclass
class Device:
    """A player as plex.tv lists it (`provides` client,player), with its own connections."""

    name: str
    client_identifier: str
    product: str
    connections: list[dict]

    def v2(self, user: User) -> dict:
        return {
            "name": self.name,
            "product": self.product,
            "productVersion": "1.0",
            "platform": "Linux",
            "platformVersion": "6.1",
            "device": "PC",
            "clientIdentifier": self.client_identifier,
            "createdAt": "2024-01-01T00:00:00Z",
            "lastSeenAt": iso(time.time()),
            "provides": "client,player,pubsub-player",
            "ownerId": None,
            "sourceTitle": None,
            "publicAddress": "203.0.113.7",
            "accessToken": user.token,
            "owned": True,
            "home": True,
            "synced": False,
            "relay": False,
            "presence": True,
            "httpsRequired": False,
            "publicAddressMatches": True,
            "dnsRebindingProtection": False,
            "natLoopbackSupported": False,
            "connections": self.connections,
        }


def iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def connection(uri: str, *, local: bool = True, relay: bool = False) -> dict:
    """One entry of a resource's `connections`, split the way plex.tv lists it."""
    protocol, rest = uri.split("://", 1)
    address, _, port = rest.rstrip("/").rpartition(":")
    return {
        "protocol": protocol,
        "address": address,
        "port": int(port),
        "uri": uri,
        "local": local,
        "relay": relay,
        "IPv6": False,
    }


class Store:
    """Everything plex.tv knows; touched only on the emulator's loop thread."""

    def __init__(self) -> None:
        self.users = [
            User(1, "demo", "tv-" + secrets.token_hex(10), admin=True),
            User(2, "alice", "tv-" + secrets.token_hex(10), pin="1234"),
            User(3, "bob", "tv-" + secrets.token_hex(10), restricted=True),
        ]
        self.pins: dict[int, Pin] = {}
        self.servers: list[Server] = []
        self.devices: list[Device] = []  # players, listed after the servers
        self._next_pin = 1000

    def user_by_token(self, token: str | None) -> User | None:
        return next((u for u in self.users if token and u.token == token), None)

    def user(self, user_id: int) -> User | None:
        return next((u for u in self.users if u.id == user_id), None)

    def new_pin(self, client_id: str, product: str, strong: bool, now: float) -> Pin:
        self._next_pin += 1
        size = 25 if strong else 4
        code = "".join(secrets.choice(LINK_CODE) for _ in range(size))
        life = STRONG_PIN_LIFETIME if strong else PIN_LIFETIME
        pin = Pin(self._next_pin, code, client_id, product, strong, now, now + life)
        self.pins[pin.id] = pin
        return pin
