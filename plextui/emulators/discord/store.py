"""Everything the REST emulator knows: channels and their messages, webhooks, members,
application commands and interactions. Handlers run on the server loop while tests read from
their own thread, so every change happens under one lock."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .limits import SETTABLE_FLAGS, normalize_embed
from .ratelimit import RateLimiter
from .snowflake import SnowflakeGenerator, now_iso, snowflake_iso
from .wire import Fault, RecordedRequest, Upload, unknown_message

EPHEMERAL = 64
LOADING = 128


@dataclass
class Webhook:
    id: str
    token: str
    channel_id: str
    name: str


@dataclass
class Interaction:
    """One interaction sent to the app, and everything the app answered for it."""

    payload: dict
    sent_at: float
    initial: dict | None = None
    answered_at: float | None = None
    original: dict | None = None
    responses: list[dict] = field(default_factory=list)

    @property
    def token(self) -> str:
        return self.payload["token"]


class Store:
    def __init__(self, bot_token: str, application_id: str | None, guild_id: str | None) -> None:
        self.lock = threading.RLock()
        self.ids = SnowflakeGenerator()  # one generator, so no two things share an id
        self.bot_token = bot_token
        self.application_id = application_id or self.ids.next()
        self.guild_id = guild_id or self.ids.next()
        self.origin = ""
        self.via: str | None = "1.1 google"
        self.message_content_intent = True
        self.interaction_deadline = 3.0
        self.interaction_lifetime = 15 * 60.0
        self.limiter = RateLimiter()
        self.faults: list[Fault] = []
        self.requests: list[RecordedRequest] = []
        self.webhooks: dict[str, Webhook] = {}
        self.channels: dict[str, list[dict]] = {}
        self.members: dict[str, dict] = {}
        self.commands: dict[tuple[str, str | None], list[dict]] = {}
        self.interactions: dict[str, Interaction] = {}
        self.bot_user = {
            "id": self.application_id,
            "username": "plextui",
            "discriminator": "0000",
            "global_name": None,
            "avatar": None,
            "bot": True,
        }

    # -- channels and messages -------------------------------------------------------------

    def ensure_channel(self, channel_id: str) -> list[dict]:
        with self.lock:
            return self.channels.setdefault(channel_id, [])

    def channel(self, channel_id: str) -> list[dict] | None:
        with self.lock:
            return self.channels.get(channel_id)

    def post(
        self,
        channel_id: str,
        author: dict,
        body: dict,
        uploads: list[Upload] = (),
        **extra: Any,
    ) -> dict:
        """Store a new message built from a validated request body."""
        with self.lock:
            message_id = self.ids.next()
            message = {
                "id": message_id,
                "type": 0,
                "content": body.get("content", ""),
                "channel_id": channel_id,
                "author": author,
                "attachments": [self._attachment(channel_id, upload) for upload in uploads],
                "embeds": [normalize_embed(embed) for embed in body.get("embeds") or []],
                "mentions": [],
                "mention_roles": [],
                "pinned": False,
                "mention_everyone": False,
                "tts": bool(body.get("tts")),
                "timestamp": snowflake_iso(message_id),
                "edited_timestamp": None,
                "flags": int(body.get("flags") or 0) & (SETTABLE_FLAGS | EPHEMERAL),
                "components": body.get("components") or [],
                **extra,
            }
            if not message["flags"] & EPHEMERAL:
                self.ensure_channel(channel_id).append(message)
            return message

    def find(self, channel_id: str, message_id: str) -> dict:
        with self.lock:
            for message in self.channels.get(channel_id, []):
                if message["id"] == message_id:
                    return message
        raise unknown_message()

    def edit(self, message: dict, body: dict, uploads: list[Upload] = ()) -> dict:
        """PATCH semantics: given keys replace, `attachments` lists what to keep, files append."""
        with self.lock:
            for key in ("content", "components"):
                if key in body:
                    message[key] = body[key]
            if "embeds" in body:
                message["embeds"] = [normalize_embed(embed) for embed in body["embeds"] or []]
            if "flags" in body:
                message["flags"] = int(body["flags"] or 0) & (SETTABLE_FLAGS | EPHEMERAL)
            if "attachments" in body:
                keep = {str(item.get("id")) for item in body["attachments"] or []}
                message["attachments"] = [a for a in message["attachments"] if a["id"] in keep]
            message["attachments"] += [
                self._attachment(message["channel_id"], upload) for upload in uploads
            ]
            message["flags"] &= ~LOADING
            message["edited_timestamp"] = now_iso()
            return message

    def delete(self, message: dict) -> None:
        with self.lock:
            messages = self.channels.get(message["channel_id"], [])
            if message in messages:
                messages.remove(message)

    def _attachment(self, channel_id: str, upload: Upload) -> dict:
        attachment_id = self.ids.next()
        return {
            "id": attachment_id,
            "filename": upload.filename,
            "size": len(upload.data),
            "url": f"{self.origin}/attachments/{channel_id}/{attachment_id}/{upload.filename}",
            "proxy_url": f"{self.origin}/attachments/{channel_id}/{attachment_id}/{upload.filename}",
            "content_type": upload.content_type or _guess_type(upload.filename),
            "bytes": upload.data,
        }

    def attachment_bytes(self, channel_id: str, attachment_id: str) -> bytes | None:
        with self.lock:
            for message in self.channels.get(channel_id, []):
                for attachment in message["attachments"]:
                    if attachment["id"] == attachment_id:
                        return attachment["bytes"]
        return None

    # -- webhooks --------------------------------------------------------------------------

    def create_webhook(self, channel_id: str, name: str) -> Webhook:
        with self.lock:
            self.ensure_channel(channel_id)
            webhook = Webhook(self.ids.next(), secrets.token_urlsafe(48), channel_id, name)
            self.webhooks[webhook.id] = webhook
            return webhook

    # -- interactions ----------------------------------------------------------------------

    def interaction(self, token: str) -> Interaction | None:
        """A live interaction: answered in time (or still inside the 3 s window), < 15 min old."""
        with self.lock:
            found = self.interactions.get(token)
        if found is None:
            return None
        age = time.monotonic() - found.sent_at
        late = found.answered_at is None and age > self.interaction_deadline
        return None if late or age > self.interaction_lifetime else found


def public(message: dict) -> dict:
    """The JSON Discord returns: attachment bytes are served by URL, not inline."""
    shown = copy.deepcopy(message)
    for attachment in shown["attachments"]:
        attachment.pop("bytes", None)
    return shown


def _guess_type(filename: str) -> str | None:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "txt": "text/plain; charset=utf-8",
    }.get(suffix)
