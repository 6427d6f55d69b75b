"""A tiny Discord REST client: the handful of routes the remote needs, over aiohttp.

Why not a library: the remote reads one channel, posts replies, edits interaction
responses and registers one command; a gateway library would pull in far more than that.
Secrets stay out of logs and errors: requests are logged by route template only, and an
interaction token or the bot token never appears in an exception message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from plextui.errors import DiscordError

log = logging.getLogger(__name__)

USER_AGENT = "DiscordBot (https://github.com/plextui/plextui, 0.1)"
MAX_RETRIES = 3
MAX_RETRY_AFTER = 60.0  # seconds; longer waits surface as an error instead of a hang


class RestError(DiscordError):
    """A failed Discord request: status, Discord's error code and message (never a token)."""

    def __init__(self, status: int, message: str, code: int = 0, retry_after: float = 0.0):
        super().__init__(f"Discord answered {status}: {message}" + (f" ({code})" if code else ""))
        self.status = status
        self.code = code
        self.retry_after = retry_after


class DiscordRest:
    """Bot-authenticated REST calls with 429 handling (waits `retry_after`, then retries)."""

    def __init__(
        self,
        api_url: str,
        bot_token: str = "",
        *,
        timeout: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = bot_token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"DiscordRest({self.api_url!r})"

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> DiscordRest:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def request(
        self,
        method: str,
        route: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        bot: bool = True,
        **parts: str,
    ) -> Any:
        """`route` is a template such as "/channels/{channel_id}/messages"; `parts` fill it.

        Only the template is logged, so ids and interaction tokens stay out of logs.
        """
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        url = self.api_url + route.format(**parts)
        headers = {"User-Agent": USER_AGENT}
        if bot:
            headers["Authorization"] = f"Bot {self._token}"
        for attempt in range(MAX_RETRIES + 1):
            try:
                async with self._session.request(
                    method, url, params=params, json=json, headers=headers
                ) as response:
                    body = await _body(response)
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as error:
                raise RestError(0, f"{method} {route}: {type(error).__name__}") from None
            if status == 429 and attempt < MAX_RETRIES:
                wait = _retry_after(body, response.headers)
                if wait <= MAX_RETRY_AFTER:
                    log.info("Discord rate limit on %s %s: waiting %.2f s", method, route, wait)
                    await self._sleep(wait)
                    continue
            if status >= 400:
                raise _error(status, body, response.headers)
            log.debug("%s %s -> %s", method, route, status)
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    # --- the routes the remote uses -------------------------------------------------------

    async def channel(self, channel_id: str) -> dict:
        return await self.request("GET", "/channels/{c}", c=channel_id)

    async def messages(self, channel_id: str, after: str | None = None, limit: int = 50) -> list:
        """Up to `limit` messages after `after` (or the newest), oldest first."""
        params = {"limit": str(limit)}
        if after:
            params["after"] = after
        page = await self.request("GET", "/channels/{c}/messages", params=params, c=channel_id)
        return sorted(page or [], key=lambda m: int(m["id"]))

    async def post_message(self, channel_id: str, body: dict) -> dict:
        return await self.request("POST", "/channels/{c}/messages", json=body, c=channel_id)

    async def member(self, guild_id: str, user_id: str) -> dict:
        return await self.request("GET", "/guilds/{g}/members/{u}", g=guild_id, u=user_id)

    async def edit_original(self, application_id: str, token: str, body: dict) -> dict:
        """Edit an interaction's response (after a defer); the token authorizes, not the bot."""
        return await self.request(
            "PATCH",
            "/webhooks/{a}/{t}/messages/@original",
            json=body,
            bot=False,
            a=application_id,
            t=token,
        )

    async def followup(self, application_id: str, token: str, body: dict) -> dict:
        return await self.request(
            "POST", "/webhooks/{a}/{t}", json=body, bot=False, a=application_id, t=token
        )

    async def overwrite_commands(
        self, application_id: str, commands: list[dict], guild_id: str | None = None
    ) -> list:
        if guild_id:
            return await self.request(
                "PUT",
                "/applications/{a}/guilds/{g}/commands",
                json=commands,
                a=application_id,
                g=guild_id,
            )
        return await self.request(
            "PUT", "/applications/{a}/commands", json=commands, a=application_id
        )


async def _body(response: aiohttp.ClientResponse) -> Any:
    if response.status == 204:
        return None
    try:
        return await response.json(content_type=None)
    except ValueError:
        return None


def _retry_after(body: Any, headers: Any) -> float:
    value = body.get("retry_after") if isinstance(body, dict) else None
    if value is None:
        value = headers.get("Retry-After", 1)
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 1.0


def _error(status: int, body: Any, headers: Any) -> RestError:
    message, code = "error", 0
    if isinstance(body, dict):
        message = str(body.get("message", message))[:200]
        code = body.get("code", 0) if isinstance(body.get("code"), int) else 0
    retry = _retry_after(body, headers) if status == 429 else 0.0
    return RestError(status, message, code, retry)
