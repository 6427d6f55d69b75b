"""A tiny Discord REST client: the handful of routes the remote needs, over aiohttp.

Why not a library: the remote reads one channel, posts replies, edits interaction
responses and registers one command; a gateway library would pull in far more than that.
Secrets stay out of logs and errors: requests are logged by route template only, and an
interaction token or the bot token never appears in an exception message.

Every answer is checked for shape here, at the boundary, so nothing past this module meets a
list where it wanted a dict: a message page keeps only well-formed messages (a snowflake
`id`, an `author` object, `content` text); any other malformed answer is dropped. Each kind
of malformation is logged once per client, not on every poll. Every wait a 429 asks for is
capped at MAX_RETRY_AFTER, and a non-finite one (`1e999`, NaN) counts as the cap.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from plextui.errors import DiscordError

log = logging.getLogger(__name__)

USER_AGENT = "DiscordBot (https://github.com/plextui/plextui, 0.1)"
MAX_RETRIES = 3
MAX_RETRY_AFTER = 60.0  # seconds; longer waits surface as an error instead of a hang


def capped(seconds: object, cap: float = MAX_RETRY_AFTER, default: float = 1.0) -> float:
    """A wait Discord (or anyone) asked for, made safe to sleep: a number in [0, cap].

    Non-finite values are the cap; negative or unreadable ones are `default`."""
    try:
        value = float(seconds)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return min(default, cap)
    if not math.isfinite(value):
        return cap
    return min(cap, value) if value >= 0 else min(default, cap)


class RestError(DiscordError):
    """A failed Discord request: status, Discord's error code and message (never a token)."""

    def __init__(self, status: int, message: str, code: int = 0, retry_after: float = 0.0):
        super().__init__(f"Discord answered {status}: {message}" + (f" ({code})" if code else ""))
        self.status = status
        self.code = code
        self.retry_after = capped(retry_after) if retry_after else 0.0


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
        self._told: set[tuple[str, str]] = set()  # malformations already logged

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
                if wait < MAX_RETRY_AFTER:
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
        route = "/channels/{c}"
        return self._object(route, await self.request("GET", route, c=channel_id))

    async def messages(self, channel_id: str, after: str | None = None, limit: int = 50) -> list:
        """Up to `limit` well-formed messages after `after` (or the newest), oldest first."""
        params = {"limit": str(limit)}
        if after:
            params["after"] = after
        route = "/channels/{c}/messages"
        page = await self.request("GET", route, params=params, c=channel_id)
        if not isinstance(page, list):
            self._malformed(route, f"{_kind(page)} instead of a list of messages")
            return []
        problems = [p for p in map(message_problem, page) if p is not None]
        if problems:
            more = f" (and {len(problems) - 1} more malformed)" if len(problems) > 1 else ""
            self._malformed(route, problems[0], more)
        kept = [m for m in page if message_problem(m) is None]
        return sorted(kept, key=lambda m: int(m["id"]))

    async def post_message(self, channel_id: str, body: dict) -> dict:
        route = "/channels/{c}/messages"
        return self._object(route, await self.request("POST", route, json=body, c=channel_id))

    async def member(self, guild_id: str, user_id: str) -> dict:
        """A guild member; `roles` is always a tuple of role id strings."""
        route = "/guilds/{g}/members/{u}"
        member = self._object(route, await self.request("GET", route, g=guild_id, u=user_id))
        roles = member.get("roles")
        if not isinstance(roles, list) or not all(isinstance(r, str | int) for r in roles):
            if roles is not None:
                self._malformed(route, f"roles as {_kind(roles)}")
            roles = []
        return {**member, "roles": tuple(str(r) for r in roles)}

    async def edit_original(self, application_id: str, token: str, body: dict) -> dict:
        """Edit an interaction's response (after a defer); the token authorizes, not the bot."""
        route = "/webhooks/{a}/{t}/messages/@original"
        answer = await self.request("PATCH", route, json=body, bot=False, a=application_id, t=token)
        return self._object(route, answer)

    async def followup(self, application_id: str, token: str, body: dict) -> dict:
        route = "/webhooks/{a}/{t}"
        answer = await self.request("POST", route, json=body, bot=False, a=application_id, t=token)
        return self._object(route, answer)

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

    # --- shapes ---------------------------------------------------------------------------

    def _object(self, route: str, answer: Any) -> dict:
        """A JSON object answer, or {} (logged once) when Discord sent something else."""
        if isinstance(answer, dict):
            return answer
        self._malformed(route, f"{_kind(answer)} instead of an object")
        return {}

    def _malformed(self, route: str, problem: str, more: str = "") -> None:
        """One warning per route and kind of problem; repeats go to the debug log."""
        key = (route, problem)
        if key in self._told:
            log.debug("Discord answer on %s skipped again: %s%s", route, problem, more)
            return
        if len(self._told) < 1000:
            self._told.add(key)
        log.warning("Discord answered %s with %s%s; skipped it", route, problem, more)


def message_problem(message: Any) -> str | None:
    """What is wrong with one message of a page (None: it is well-formed)."""
    if not isinstance(message, dict):
        return f"{_kind(message)} where a message belongs"
    ident = message.get("id")
    if not isinstance(ident, str) or not ident.isascii() or not ident.isdigit() or len(ident) > 20:
        return "a message whose id is not a snowflake"
    if not isinstance(message.get("author"), dict):
        return "a message without an author object"
    if not isinstance(message.get("content"), str):
        return "a message whose content is not text"
    return None


def _kind(value: Any) -> str:
    """A short, secret-free description of a JSON value's type."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "nothing"
    return names.get(type(value), "a number" if isinstance(value, int | float) else "garbage")


async def _body(response: aiohttp.ClientResponse) -> Any:
    if response.status == 204:
        return None
    try:
        return await response.json(content_type=None)
    except ValueError:
        return None


def _retry_after(body: Any, headers: Any) -> float:
    """Seconds a 429 asks to wait, from the body or the header, capped (see `capped`)."""
    value = body.get("retry_after") if isinstance(body, dict) else None
    if value is None:
        value = headers.get("Retry-After", 1)
    return capped(value)


def _error(status: int, body: Any, headers: Any) -> RestError:
    message, code = "error", 0
    if isinstance(body, dict):
        message = str(body.get("message", message))[:200]
        code = body.get("code", 0) if isinstance(body.get("code"), int) else 0
    retry = _retry_after(body, headers) if status == 429 else 0.0
    return RestError(status, message, code, retry)
