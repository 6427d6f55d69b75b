"""Discord's side of HTTP interactions (reference §3.2): an Ed25519 application key that signs
`timestamp + body` and POSTs to the app's endpoint, the initial-response callback route, and
what the channel then shows for each response type."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .store import EPHEMERAL, LOADING, Interaction, Store, public
from .webhooks import STATE
from .wire import PARSED, ApiError

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT = 1, 2, 3
PONG, CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 1, 4, 5, 6, 7
CHAT_INPUT_COMMAND_MESSAGE = 20
USER_AGENT = "Discord-Interactions/1.0 (+https://discord.com)"


class Signer:
    """The application's key pair; the public half is what DISCORD_PUBLIC_KEY holds."""

    def __init__(self) -> None:
        self._key = Ed25519PrivateKey.generate()
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key_hex = raw.hex()

    def sign(self, timestamp: str, body: bytes) -> str:
        return self._key.sign(timestamp.encode() + body).hex()


def routes(prefix: str) -> list[web.RouteDef]:
    return [web.post(prefix + "/interactions/{interaction_id}/{token}/callback", callback)]


def complete(store: Store, payload: dict) -> dict:
    """Fill what Discord always sends and a test need not spell out."""
    full = {"version": 1, "application_id": store.application_id, **payload}
    full.setdefault("id", store.ids.next())
    full.setdefault("token", "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(120))
    return full


async def post_signed(
    signer: Signer,
    url: str,
    payload: dict,
    *,
    timestamp: str | None,
    tamper: bool,
    sign: bool,
) -> tuple[int, Any]:
    """POST like Discord: signature over the exact bytes sent, unless `tamper` alters them after."""
    body = json.dumps(payload).encode()
    stamp = timestamp if timestamp is not None else str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if sign:
        headers["X-Signature-Ed25519"] = signer.sign(stamp, body)
        headers["X-Signature-Timestamp"] = stamp
    if tamper:
        body = json.dumps({**payload, "tampered": True}).encode()
    timeout = aiohttp.ClientTimeout(total=30)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        text = await response.text()
    try:
        return response.status, json.loads(text)
    except json.JSONDecodeError:
        return response.status, text


def acknowledge(store: Store, interaction: Interaction, response: Any) -> bool:
    """Apply an initial response; False if it is not one Discord would accept."""
    if not isinstance(response, dict) or not isinstance(response.get("type"), int):
        return False
    kind, data = response["type"], response.get("data") or {}
    with store.lock:
        if interaction.initial is not None:
            return False
        if time.monotonic() - interaction.sent_at > store.interaction_deadline:
            return False
        interaction.initial = response
        interaction.answered_at = time.monotonic()
    channel_id = interaction.payload.get("channel_id", "")
    own = {"webhook_id": store.application_id, "application_id": store.application_id}
    if kind == CHANNEL_MESSAGE:
        interaction.original = store.post(
            channel_id, store.bot_user, data, type=CHAT_INPUT_COMMAND_MESSAGE, **own
        )
    elif kind == DEFERRED_MESSAGE:
        flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
        interaction.original = store.post(
            channel_id, store.bot_user, {"flags": flags}, type=CHAT_INPUT_COMMAND_MESSAGE, **own
        )
        interaction.original["flags"] |= LOADING
    elif kind in (DEFERRED_UPDATE, UPDATE_MESSAGE):
        message_id = (interaction.payload.get("message") or {}).get("id", "")
        try:
            interaction.original = store.find(channel_id, message_id)
        except ApiError:
            return True
        if kind == UPDATE_MESSAGE:
            store.edit(interaction.original, data)
    return True


async def callback(request: web.Request) -> web.Response:
    """The 202-then-callback way of answering; 204 like Discord (200 with_response)."""
    store = request.app[STATE]
    interaction = store.interactions.get(request.match_info["token"])
    if interaction is None or interaction.payload["id"] != request.match_info["interaction_id"]:
        raise ApiError.coded(404, "Unknown interaction", 10062)
    parsed = request[PARSED]
    if parsed.error is not None:
        raise parsed.error
    if interaction.initial is not None:
        raise ApiError.coded(400, "Interaction has already been acknowledged.", 40060)
    interaction.responses.append(parsed.json)
    if not acknowledge(store, interaction, parsed.json):
        raise ApiError.coded(404, "Unknown interaction", 10062)
    if request.query.get("with_response", "").lower() in ("true", "1"):
        message = public(interaction.original) if interaction.original else None
        body = {
            "interaction": {"id": interaction.payload["id"], "type": interaction.payload["type"]}
        }
        return web.json_response(
            body | {"resource": {"type": parsed.json["type"], "message": message}}
        )
    return web.Response(status=204)


def command_payload(
    store: Store,
    name: str,
    options: list[dict] | None,
    *,
    channel_id: str,
    user_id: str,
    username: str,
    roles: tuple[str, ...],
) -> dict:
    """An APPLICATION_COMMAND as a guild member would trigger it."""
    registered = store.commands.get((store.application_id, None), [])
    command_id = next((c["id"] for c in registered if c["name"] == name), store.ids.next())
    data = {"id": command_id, "name": name, "type": 1}
    if options:
        data["options"] = options
    return _from_member(store, APPLICATION_COMMAND, data, channel_id, user_id, username, roles)


def component_payload(
    store: Store,
    custom_id: str,
    message: dict,
    *,
    user_id: str,
    username: str,
    roles: tuple[str, ...],
) -> dict:
    """A button click on `message` (which must be in its channel)."""
    data = {"custom_id": custom_id, "component_type": 2}
    payload = _from_member(
        store, MESSAGE_COMPONENT, data, message["channel_id"], user_id, username, roles
    )
    return payload | {"message": public(message)}


def _from_member(
    store: Store,
    kind: int,
    data: dict,
    channel_id: str,
    user_id: str,
    username: str,
    roles: tuple[str, ...],
) -> dict:
    user = {
        "id": user_id,
        "username": username,
        "discriminator": "0",
        "global_name": username,
        "avatar": None,
    }
    return {
        "type": kind,
        "data": data,
        "guild_id": store.guild_id,
        "channel_id": channel_id,
        "member": {
            "user": user,
            "roles": list(roles),
            "permissions": "2248473465835073",
            "nick": None,
        },
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": store.guild_id},
        "context": 0,
        "attachment_size_limit": 10485760,
    }
