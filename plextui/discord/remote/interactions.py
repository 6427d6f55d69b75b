"""The HTTP interactions endpoint: `/plex` slash commands and card buttons, signed by Discord.

Discord POSTs every interaction to the application's Interactions Endpoint URL and
probes it with bad signatures; anything not signed with the application key, stamped
other than as plain decimal seconds, older than five minutes or seen before (even by an
earlier run: the replay guard is on disk) is refused with 401 before it is even parsed,
so a forged or replayed request can never reach the player. A signed body of the wrong
shape gets 400 and one log line. Answers are due within 3 s: play and search (and
anything that runs late) are deferred and the response edited when the command is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from plextui.config import Settings
from plextui.control.controller import Controller, Result
from plextui.core.commands import Command, parse_command
from plextui.discord.mirror import card as cards
from plextui.discord.remote.auth import (
    AuditLog,
    Authorizer,
    Busy,
    Caller,
    CommandQueue,
    Outcome,
    ReplayGuard,
)
from plextui.discord.remote.channel import BUSY, refusal_body, reply_body
from plextui.discord.remote.register import SUBCOMMANDS
from plextui.discord.rest import DiscordRest, RestError
from plextui.errors import CommandError, ConfigError

log = logging.getLogger(__name__)
_SIGNATURE = re.compile(r"[0-9a-f]{128}")  # how Discord spells X-Signature-Ed25519
_STAMP = re.compile(r"[0-9]{1,12}")  # X-Signature-Timestamp: unix seconds, nothing else
_SNOWFLAKE = re.compile(r"[0-9]{1,20}")

PATH = "/interactions"
MAX_BODY = 64 * 1024  # real payloads are a few KiB; a card click carries one message
STALE = 300.0  # seconds a signed timestamp stays acceptable, either way
PING, COMMAND, COMPONENT, AUTOCOMPLETE = 1, 2, 3, 4
PONG, MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, CHOICES = 1, 4, 5, 6, 7, 8
EPHEMERAL = 64
SLOW = frozenset({"play", "search"})  # may take over 2 s: defer at once
ANSWER_WITHIN = 2.0  # anything else not done by then is deferred too
CHOICES_MAX = 25
EDIT_RETRIES = (0.1, 0.3, 1.0)  # seconds between edits Discord answered 404
BUTTON_COMMANDS = {
    "plex:toggle": "toggle",
    "plex:next": "next",
    "plex:stop": "stop",
    "plex:vol+": "volume +10",
    "plex:vol-": "volume -10",
}
HANDLER: web.AppKey[InteractionHandler] = web.AppKey("plextui_interactions")


def _refuse(status: int, why: str) -> web.Response:
    return web.json_response({"error": why}, status=status)


def ephemeral(message: str) -> web.Response:
    return web.json_response(
        {"type": MESSAGE, "data": {**refusal_body(message), "flags": EPHEMERAL}}
    )


def _malformed(why: str) -> web.Response:
    log.warning("refused a signed interaction: %s", why)
    return _refuse(400, why)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and _SNOWFLAKE.fullmatch(value) is not None


def shape_problem(payload: dict) -> str | None:
    """What is wrong with the parts of a command, click or autocomplete we read, in a few
    words (None when nothing is): even a signed body is only trusted to be JSON."""
    member = payload.get("member")
    if member is not None:
        if not isinstance(member, dict):
            return "member is not an object"
        roles = member.get("roles", [])
        if not isinstance(roles, list) or not all(_is_id(r) for r in roles):
            return "member.roles is not a list of ids"
        if not isinstance(member.get("nick"), str | None):
            return "member.nick is not text"
    user = member.get("user") if isinstance(member, dict) else payload.get("user")
    if not isinstance(user, dict) or not _is_id(user.get("id")):
        return "no user with an id"
    if not all(isinstance(user.get(k), str | None) for k in ("username", "global_name")):
        return "a user name is not text"
    if "application_id" in payload and not _is_id(payload["application_id"]):
        return "application_id is not an id"
    if not isinstance(payload.get("token", ""), str):
        return "token is not text"
    data = payload.get("data") or {}
    if not all(isinstance(data.get(k), str | None) for k in ("name", "custom_id")):
        return "data.name or data.custom_id is not text"
    return _options_problem(data.get("options"), depth=0)


def _options_problem(options: object, depth: int) -> str | None:
    """Options are a list of objects with a text name and a plain value; subcommands (and
    their groups) nest them at most two deep."""
    if options is None:
        return None
    if depth > 2 or not isinstance(options, list):
        return "data.options is not a list of options"
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("name"), str):
            return "an option is not an object with a name"
        if not isinstance(option.get("value"), str | int | float | None):
            return "an option's value is not plain"
        if not isinstance(option.get("focused"), bool | None):
            return "an option's focus is not true or false"
        problem = _options_problem(option.get("options"), depth + 1)
        if problem:
            return problem
    return None


def caller_of(payload: dict) -> Caller:
    member = payload.get("member") or {}
    user = member.get("user") or payload.get("user") or {}
    roles = tuple(str(r) for r in member.get("roles") or () if isinstance(r, str | int))
    name = user.get("global_name") or user.get("username") or ""
    return Caller(str(user.get("id", "")), str(name), roles)


def _options(data: dict) -> tuple[str, dict[str, Any]]:
    """The subcommand and its options: `/plex play title:x` → ("play", {"title": "x"})."""
    options = data.get("options") or []
    if not options or not isinstance(options[0], dict):
        raise CommandError("which /plex subcommand?")
    sub = options[0]
    values = {
        o.get("name"): o.get("value") for o in sub.get("options") or [] if isinstance(o, dict)
    }
    return str(sub.get("name", "")), values


def command_text(data: dict) -> str:
    """The `/plex …` line a slash command stands for, in the shared grammar."""
    sub, values = _options(data)
    if sub not in SUBCOMMANDS:
        raise CommandError(f"unknown subcommand '{cards.clean(sub)[:40]}'")
    text = {k: str(v) for k, v in values.items() if v is not None}
    if sub == "play":
        words = Command("play", title=text.get("title", ""), player=text.get("player")).to_text()
    elif sub == "search":
        words = Command("search", query=text.get("query", "")).to_text()
    else:
        argument = text.get({"seek": "time", "volume": "level", "quality": "quality"}.get(sub, ""))
        words = f"{sub} {argument}" if argument else sub
    return f"/plex {words}"


class InteractionHandler:
    """Verifies, authorizes and answers one interaction at a time; commands go to the queue."""

    def __init__(
        self,
        settings: Settings,
        controller: Controller,
        *,
        queue: CommandQueue | None = None,
        authorizer: Authorizer | None = None,
        audit: AuditLog | None = None,
        rest: DiscordRest | None = None,
        seen: ReplayGuard | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        remote = settings.discord.remote
        try:
            self.key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(remote.public_key))
        except ValueError:
            raise ConfigError(
                "discord.remote.public_key must be the application's public key "
                "(64 hex characters, Developer Portal → General Information)"
            ) from None
        self.settings = settings
        self.controller = controller
        self.queue = queue or CommandQueue(controller)
        self._own = (queue is None, rest is None)
        self.authorizer = authorizer or Authorizer(remote)
        self.audit = audit or AuditLog(secrets=(remote.bot_token, settings.plex.token))
        self.rest = rest or DiscordRest(settings.discord.api_url, remote.bot_token)
        self.clock = clock
        self.seen = seen or ReplayGuard(window=STALE)
        self._tasks: set[asyncio.Task] = set()

    async def startup(self, _app: web.Application) -> None:
        if self._own[0]:
            await self.queue.start()

    async def cleanup(self, _app: web.Application) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)
        if self._own[0]:
            await self.queue.stop()
        if self._own[1]:
            await self.rest.close()

    async def drain(self) -> None:
        """Wait for deferred responses still being edited (tests and shutdown)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    # --- the gate ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        signature = request.headers.get("X-Signature-Ed25519", "")
        stamp = request.headers.get("X-Signature-Timestamp", "")
        if not signature or not stamp:
            return _refuse(401, "missing signature headers")
        if not _STAMP.fullmatch(stamp):
            return _refuse(401, "invalid request timestamp")
        if (request.content_length or 0) > MAX_BODY:
            return _refuse(413, "request body too large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _refuse(413, "request body too large")
        if not self._genuine(signature, stamp, body):
            return _refuse(401, "invalid request signature")
        try:  # remembered on disk before anything runs, or not taken at all
            await asyncio.to_thread(self.seen.save)
        except OSError as error:
            log.warning("cannot record interactions in %s: %s", self.seen.path, error.strerror)
            return _refuse(503, "cannot record the request, so it was not taken")
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return _malformed("body is not JSON (or nests too deep)")
        if not isinstance(payload, dict) or not isinstance(payload.get("data", {}), dict):
            return _malformed("body is not an interaction")
        kind = payload.get("type")
        if kind == PING:
            return web.json_response({"type": PONG})
        if kind not in (COMMAND, COMPONENT, AUTOCOMPLETE):
            return _malformed("unknown interaction type")
        problem = shape_problem(payload)
        if problem is not None:
            return _malformed(problem)
        if kind == AUTOCOMPLETE:
            return await self._autocomplete(payload)
        handler = self._command if kind == COMMAND else self._component
        return await handler(payload, caller_of(payload))

    def _genuine(self, signature: str, stamp: str, body: bytes) -> bool:
        """Signed by the application key, fresh, and not seen before. Discord sends the
        signature as 128 lowercase hex digits; any other spelling of the same bytes is
        refused, so a replay cannot slip past the seen-set by changing case or spacing."""
        if not _SIGNATURE.fullmatch(signature):
            return False
        raw = bytes.fromhex(signature)
        try:
            self.key.verify(raw, stamp.encode() + body)
        except InvalidSignature:
            return False
        sent, now = int(stamp), self.clock()
        if abs(now - sent) > STALE:
            return False
        return self.seen.first_time(raw, sent, now)

    # --- slash commands and buttons --------------------------------------------------------

    async def _command(self, payload: dict, caller: Caller) -> web.Response:
        data = payload.get("data") or {}
        try:
            if data.get("name") != "plex":
                raise CommandError("that command is not mine")
            text = command_text(data)
            command = parse_command(text)
        except CommandError as error:
            return ephemeral(f"I couldn't read that: {error}")
        refused = self._authorize(caller, command, text)
        if refused is not None:
            return refused
        future = self._submit(caller, command)
        if future is None:
            return ephemeral(BUSY)
        if command.verb not in SLOW:
            try:
                outcome = await asyncio.wait_for(asyncio.shield(future), ANSWER_WITHIN)
            except TimeoutError:
                pass
            except (Busy, asyncio.CancelledError):  # a merged seek flushed into a full queue
                return ephemeral(BUSY)
            else:
                body = self._done(caller, text, command, outcome.result)
                return web.json_response({"type": MESSAGE, "data": body})
        self._later(payload, self._finish(payload, caller, text, command, future))
        return web.json_response({"type": DEFERRED})

    async def _component(self, payload: dict, caller: Caller) -> web.Response:
        custom_id = str((payload.get("data") or {}).get("custom_id", ""))
        line = BUTTON_COMMANDS.get(custom_id)
        if line is None:
            return ephemeral("That button is not one of mine.")
        text = f"/plex {line}"
        command = parse_command(text)
        refused = self._authorize(caller, command, text)
        if refused is not None:
            return refused
        future = self._submit(caller, command)
        if future is None:
            return ephemeral(BUSY)
        task = asyncio.ensure_future(self._card_after(caller, text, command, future))
        with contextlib.suppress(TimeoutError):
            ok, body = await asyncio.wait_for(asyncio.shield(task), ANSWER_WITHIN)
            if not ok:
                return web.json_response({"type": MESSAGE, "data": {**body, "flags": EPHEMERAL}})
            return web.json_response({"type": UPDATE, "data": body})
        self._later(payload, self._edit_when(payload, task))
        return web.json_response({"type": DEFERRED_UPDATE})

    def _authorize(self, caller: Caller, command: Command, text: str) -> web.Response | None:
        refusal = self.authorizer.check(caller, command)
        if refusal is None:
            return None
        self.audit.record(
            source="interaction", caller=caller, text=text, allowed=False, message=refusal.message
        )
        return ephemeral(refusal.message)

    def _submit(self, caller: Caller, command: Command) -> asyncio.Future[Outcome] | None:
        try:
            return self.queue.submit(caller.id, command)
        except Busy:
            return None

    def _done(self, caller: Caller, text: str, command: Command, result: Result) -> dict:
        self.audit.record(
            source="interaction",
            caller=caller,
            text=text,
            allowed=True,
            ok=result.ok,
            message=result.message,
        )
        return reply_body(result, command, with_buttons=True)

    async def _finish(self, payload: dict, caller: Caller, text: str, command, future) -> None:
        try:
            body = self._done(caller, text, command, (await future).result)
        except (Busy, asyncio.CancelledError):
            body = refusal_body(BUSY)
        await self._edit(payload, body)

    async def _card_after(self, caller, text, command, future) -> tuple[bool, dict]:
        """After a button's command: (True, the refreshed card) or (False, why it failed)."""
        try:
            result = (await future).result
        except (Busy, asyncio.CancelledError):
            return False, refusal_body(BUSY)
        body = self._done(caller, text, command, result)
        if not result.ok:
            return False, refusal_body(body["content"])
        try:
            now = (await self.queue.submit(caller.id, Command("now"))).result
        except (Busy, asyncio.CancelledError):  # it worked; the refreshed card can wait
            return True, {"content": cards.cut_units(result.message, 2000)}
        card = reply_body(now, with_buttons=True)
        text = cards.cut_units(f"{result.message} (by {cards.clean(caller.name)})", 2000)
        return True, {**card, "content": text}

    async def _edit_when(self, payload: dict, task: asyncio.Future) -> None:
        """A late button: the card is updated if it worked; a failure is said as a follow-up."""
        ok, body = await task
        await self._edit(payload, body if ok else {**body, "flags": EPHEMERAL}, followup=not ok)

    def _later(self, payload: dict, work) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _edit(self, payload: dict, body: dict, followup: bool = False) -> None:
        """Edit the deferred response (or send a follow-up). The edit can overtake Discord's
        processing of our HTTP answer, which Discord meets with 404: retry briefly then."""
        send = self.rest.followup if followup else self.rest.edit_original
        for delay in (*EDIT_RETRIES, None):
            try:
                await send(str(payload.get("application_id")), str(payload.get("token")), body)
                return
            except RestError as error:
                if error.status != 404 or delay is None:
                    log.warning("could not answer the interaction: %s", error)
                    return
            await asyncio.sleep(delay)

    # --- autocomplete ------------------------------------------------------------------------

    async def _autocomplete(self, payload: dict) -> web.Response:
        """Titles from the library and player names, for callers allowed to look."""
        choices: list[dict] = []
        if self.authorizer.may_look_up(caller_of(payload)):
            try:
                choices = await asyncio.wait_for(self._choices(payload), ANSWER_WITHIN)
            except Exception as error:  # a late or failed lookup offers nothing, never a 500
                log.debug("autocomplete gave up: %s", type(error).__name__)
        return web.json_response({"type": CHOICES, "data": {"choices": choices[:CHOICES_MAX]}})

    async def _choices(self, payload: dict) -> list[dict]:
        sub = ((payload.get("data") or {}).get("options") or [{}])[0]
        focused = next((o for o in sub.get("options") or [] if o.get("focused")), None)
        if focused is None:
            return []
        typed = str(focused.get("value") or "").strip()[:100]
        if focused.get("name") == "player":
            names = [p.info.name for p in await self.controller.players()]
            found = [n for n in names if n.casefold().startswith(typed.casefold())]
            return [{"name": n[:100], "value": n[:100]} for n in found]
        if focused.get("name") != "title" or len(typed) < 2:
            return []
        items = await self.controller.service.search(typed, limit=CHOICES_MAX)
        out = []
        for item in items:
            value = f"{item.title} ({item.year})" if item.year else item.title
            out.append({"name": cards.cut_units(item.display_title, 100), "value": value[:100]})
        return out


def make_interactions_app(settings: Settings, controller: Controller, **parts) -> web.Application:
    """The aiohttp app serving POST /interactions; `parts` share a queue, authorizer, audit."""
    handler = InteractionHandler(settings, controller, **parts)
    app = web.Application(client_max_size=MAX_BODY)
    app[HANDLER] = handler
    app.router.add_post(PATH, handler.handle)
    app.on_startup.append(handler.startup)
    app.on_cleanup.append(handler.cleanup)
    return app
