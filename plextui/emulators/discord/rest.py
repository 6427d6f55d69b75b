"""Discord's REST API on 127.0.0.1 (reference §2-§4): webhooks, bot channel access, command
registration and interactions, on one aiohttp app, run on its own thread or on the caller's loop.
"""

from __future__ import annotations

import copy
import time
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from ..loopthread import LoopThread
from . import channels, commands, interactions, webhooks
from .store import Interaction, Store, public
from .webhooks import STATE
from .wire import (
    NO_BODY,
    PARSED,
    RATELIMIT,
    ApiError,
    Fault,
    RecordedRequest,
    fault_response,
    parse_body,
    redact_headers,
    redact_path,
)

PREFIXES = ("/api", r"/api/v{version:\d+}")
MAX_BODY = 32 * 1024 * 1024


@web.middleware
async def discord_edge(request: web.Request, handler) -> web.StreamResponse:
    """Parse and record every API request, apply injected faults, speak Discord's errors."""
    store = request.app[STATE]
    if not request.path.startswith("/api/"):
        return await handler(request)
    parsed = request[PARSED] = await parse_body(request)
    record = RecordedRequest(
        request.method, redact_path(request.path), redact_headers(request.headers), parsed.summary()
    )
    with store.lock:
        store.requests.append(record)
        fault = next((f for f in store.faults if f.meets(request.method)), None)
        if fault is not None:
            fault.count -= 1
            if fault.count <= 0:
                store.faults.remove(fault)
    if fault is not None:
        response = fault_response(fault)
    else:
        try:
            response = await handler(request)
        except ApiError as error:
            response = web.json_response(error.body, status=error.status, headers=error.headers)
        except web.HTTPException as error:
            body = {"message": f"{error.status}: {error.reason}", "code": 0}
            response = web.json_response(body, status=error.status)
        response.headers.update(request.get(RATELIMIT, {}))
    if store.via:
        response.headers["Via"] = store.via
    return response


async def attachment(request: web.Request) -> web.Response:
    """The CDN: attachment URLs in message JSON resolve here."""
    store = request.app[STATE]
    data = store.attachment_bytes(request.match_info["channel_id"], request.match_info["id"])
    if data is None:
        raise web.HTTPNotFound()
    return web.Response(body=data, content_type="application/octet-stream")


class DiscordRestEmulator:
    """Loopback Discord REST. Knobs: `rate_limits` (buckets on/off), `via` (None simulates the
    Cloudflare ban discord-webhook refuses to retry), `message_content_intent`, `fail_next`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_token: str = "bot-token",
        application_id: str | None = None,
        *,
        guild_id: str | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.store = Store(bot_token, application_id, guild_id)
        self.signer = interactions.Signer()
        self.app = web.Application(middlewares=[discord_edge], client_max_size=MAX_BODY)
        self.app[STATE] = self.store
        for prefix in PREFIXES:
            self.app.add_routes(webhooks.routes(prefix))
            self.app.add_routes(channels.routes(prefix))
            self.app.add_routes(commands.routes(prefix))
            self.app.add_routes(interactions.routes(prefix))
        self.app.router.add_get("/attachments/{channel_id}/{id}/{filename}", attachment)
        self._runner: web.AppRunner | None = None
        self._thread = LoopThread("discord-rest")

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()
        self._thread.run(self.start_async())

    def stop(self) -> None:
        if self._runner is not None:
            self._thread.run(self.stop_async())
        self._thread.stop()

    async def start_async(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.store.origin = f"http://{self.host}:{self.port}"

    async def stop_async(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.store.origin}/api/v10"

    # -- knobs -----------------------------------------------------------------------------

    @property
    def application_id(self) -> str:
        return self.store.application_id

    @property
    def guild_id(self) -> str:
        return self.store.guild_id

    @property
    def bot_user(self) -> dict:
        return dict(self.store.bot_user)

    @property
    def rate_limits(self) -> bool:
        return self.store.limiter.enabled

    @rate_limits.setter
    def rate_limits(self, enabled: bool) -> None:
        self.store.limiter.enabled = enabled

    @property
    def via(self) -> str | None:
        return self.store.via

    @via.setter
    def via(self, value: str | None) -> None:
        self.store.via = value

    @property
    def message_content_intent(self) -> bool:
        return self.store.message_content_intent

    @message_content_intent.setter
    def message_content_intent(self, enabled: bool) -> None:
        self.store.message_content_intent = enabled

    def fail_next(
        self,
        status: int,
        count: int = 1,
        retry_after: float = 1.0,
        html: bool = False,
        *,
        body: Any = NO_BODY,
        method: str | None = None,
    ) -> None:
        """The next `count` API requests (of `method`, if given) get `status` (429 with
        Discord's body and headers; `html` answers with a proxy's HTML page instead, as an
        edge in front of Discord may; `body` answers with that JSON, malformed or not)."""
        with self.store.lock:
            self.store.faults.append(Fault(status, count, retry_after, html, body, method))

    # -- channels and webhooks -------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self.store.lock:
            return list(self.store.requests)

    def create_channel(self, channel_id: str) -> None:
        self.store.ensure_channel(channel_id)

    def create_webhook(self, channel_id: str, name: str = "plextui") -> str:
        webhook = self.store.create_webhook(channel_id, name)
        return f"{self.api_url}/webhooks/{webhook.id}/{webhook.token}"

    def delete_webhook(self, url: str) -> None:
        """Someone deleted the webhook in Discord: its URL now answers 404 Unknown Webhook."""
        webhook_id = urlsplit(url).path.rstrip("/").split("/")[-2]
        with self.store.lock:
            self.store.webhooks.pop(webhook_id, None)

    def channel_messages(self, channel_id: str) -> list[dict]:
        """Oldest first; attachments carry their uploaded `bytes`."""
        with self.store.lock:
            return copy.deepcopy(self.store.channels.get(channel_id, []))

    def post_user_message(
        self,
        channel_id: str,
        content: str,
        author_id: str = "1001",
        username: str = "alice",
        roles: tuple[str, ...] = (),
    ) -> dict:
        """A person types in the channel; their roles are what GET /guilds/{g}/members/{u} says."""
        user = {
            "id": author_id,
            "username": username,
            "discriminator": "0",
            "global_name": username,
            "avatar": None,
        }
        with self.store.lock:
            self.store.members[author_id] = {
                "user": user,
                "roles": list(roles),
                "nick": None,
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        return public(self.store.post(channel_id, user, {"content": content}))

    def commands(self, application_id: str | None = None, guild_id: str | None = None) -> list:
        scope = (application_id or self.application_id, guild_id)
        with self.store.lock:
            return copy.deepcopy(self.store.commands.get(scope, []))

    # -- interactions ----------------------------------------------------------------------

    @property
    def public_key_hex(self) -> str:
        return self.signer.public_key_hex

    def slash_command(
        self,
        name: str,
        options: list[dict] | None = None,
        *,
        channel_id: str,
        user_id: str = "1001",
        username: str = "alice",
        roles: tuple[str, ...] = (),
    ) -> dict:
        """Payload of `/name options…` typed by a guild member (pass to send_interaction)."""
        return interactions.command_payload(
            self.store,
            name,
            options,
            channel_id=channel_id,
            user_id=user_id,
            username=username,
            roles=roles,
        )

    def button_click(
        self,
        custom_id: str,
        message: dict,
        *,
        user_id: str = "1001",
        username: str = "alice",
        roles: tuple[str, ...] = (),
    ) -> dict:
        """Payload of a click on a button of `message`."""
        return interactions.component_payload(
            self.store, custom_id, message, user_id=user_id, username=username, roles=roles
        )

    def send_interaction(
        self,
        url: str,
        payload: dict,
        *,
        timestamp: str | None = None,
        tamper: bool = False,
        sign: bool = True,
    ) -> tuple[int, Any]:
        """Sign and POST like Discord, from the emulator's thread; returns (status, body)."""
        return self._thread.run(
            self.send_interaction_async(
                url, payload, timestamp=timestamp, tamper=tamper, sign=sign
            ),
            timeout=60,
        )

    async def send_interaction_async(
        self,
        url: str,
        payload: dict,
        *,
        timestamp: str | None = None,
        tamper: bool = False,
        sign: bool = True,
    ) -> tuple[int, Any]:
        """The same on the caller's loop, for tests that run the app in that loop."""
        full = interactions.complete(self.store, payload)
        interaction = Interaction(full, time.monotonic())
        with self.store.lock:
            self.store.interactions[full["token"]] = interaction
        status, body = await interactions.post_signed(
            self.signer, url, full, timestamp=timestamp, tamper=tamper, sign=sign
        )
        if status == 200:
            interactions.acknowledge(self.store, interaction, body)
        return status, body

    def interaction_responses(self, interaction_token: str) -> list[dict]:
        """Bodies the app sent back over REST: callback, follow-ups and edits, in order."""
        with self.store.lock:
            found = self.store.interactions.get(interaction_token)
            return copy.deepcopy(found.responses) if found else []

    def interaction_original(self, interaction_token: str) -> dict | None:
        """The message the channel shows as the interaction's response (None if none)."""
        with self.store.lock:
            found = self.store.interactions.get(interaction_token)
            return copy.deepcopy(found.original) if found and found.original else None

    def interaction_token(self, index: int = -1) -> str:
        """Token of a sent interaction (the last by default), to look up its responses."""
        with self.store.lock:
            return list(self.store.interactions)[index]
