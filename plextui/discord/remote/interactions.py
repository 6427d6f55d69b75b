"""The HTTP interactions endpoint: `/plex` slash commands and card buttons, signed by Discord.

Discord POSTs every interaction to the application's Interactions Endpoint URL and
probes it with bad signatures; anything not signed with the application key, stamped
other than as plain decimal seconds, older than five minutes or seen before (even by an
earlier run: the replay guard is on disk) is refused with 401 before it is even parsed,
so a forged or replayed request can never reach the player. A signed body of the wrong
shape gets 400 and one log line. What is left goes through the gate (gate.py) like a
channel command. Answers are due within 3 s: play and search (and anything that runs
late) are deferred and the response edited when the command is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from plextui.config import Settings
from plextui.core.commands import Command
from plextui.discord.mirror import card as cards
from plextui.discord.remote import slash
from plextui.discord.remote.authorizer import Caller
from plextui.discord.remote.gate import Admission, Gate
from plextui.discord.remote.queue import Outcome
from plextui.discord.remote.replay import ReplayGuard
from plextui.discord.remote.replies import refusal_body, reply_body
from plextui.discord.rest import DiscordRest, RestError
from plextui.errors import CommandError, ConfigError

if TYPE_CHECKING:
    from plextui.control.controller import Controller

log = logging.getLogger(__name__)
_SIGNATURE = re.compile(r"[0-9a-f]{128}")  # how Discord spells X-Signature-Ed25519
_STAMP = re.compile(r"[0-9]{1,12}")  # X-Signature-Timestamp: unix seconds, nothing else

PATH = "/interactions"
SOURCE = "interaction"  # as the audit log names this intake
MAX_BODY = 64 * 1024  # real payloads are a few KiB; a card click carries one message
STALE = 300.0  # seconds a signed timestamp stays acceptable, either way
PING, COMMAND, COMPONENT, AUTOCOMPLETE = 1, 2, 3, 4
PONG, MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, CHOICES = 1, 4, 5, 6, 7, 8
EPHEMERAL = 64
SLOW = frozenset({"play", "search"})  # may take over 2 s: defer at once
ANSWER_WITHIN = 2.0  # anything else not done by then is deferred too
CHOICES_MAX = 25
EDIT_RETRIES = (0.1, 0.3, 1.0)  # seconds between edits Discord answered 404
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


class InteractionHandler:
    """Verifies one interaction at a time and takes its command through the gate."""

    def __init__(
        self,
        settings: Settings,
        controller: Controller,
        *,
        gate: Gate | None = None,
        rest: DiscordRest | None = None,
        seen: ReplayGuard | None = None,
        clock: Callable[[], float] = time.time,
        **parts: Any,
    ) -> None:
        """`gate` shared with the channel poller, or one built from `parts` (queue,
        authorizer, audit) and the defaults."""
        remote = settings.discord.remote
        try:
            self.key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(remote.public_key))
        except ValueError:
            raise ConfigError(
                "discord.remote.public_key must be the application's public key "
                "(64 hex characters, Developer Portal → General Information)"
            ) from None
        self.controller = controller
        self.gate = gate or Gate.build(settings, controller, **parts)
        self._own = (gate is None, rest is None)
        self.rest = rest or DiscordRest(settings.discord.api_url, remote.bot_token)
        self.clock = clock
        self.seen = seen or ReplayGuard(window=STALE)
        self._tasks: set[asyncio.Task] = set()

    async def startup(self, _app: web.Application) -> None:
        if self._own[0]:
            await self.gate.start()

    async def cleanup(self, _app: web.Application) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)
        if self._own[0]:
            await self.gate.stop()
        if self._own[1]:
            await self.rest.close()

    async def drain(self) -> None:
        """Wait for deferred responses still being edited (tests and shutdown)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    # --- verification ----------------------------------------------------------------------

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
        problem = slash.shape_problem(payload)
        if problem is not None:
            return _malformed(problem)
        if kind == AUTOCOMPLETE:
            return await self._autocomplete(payload)
        handler = self._command if kind == COMMAND else self._component
        return await handler(payload, slash.caller_of(payload))

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

    # --- slash commands and buttons, through the gate --------------------------------------

    async def _command(self, payload: dict, caller: Caller) -> web.Response:
        data = payload.get("data") or {}
        read: Command | CommandError
        try:
            read = slash.command_of(data)
            text = slash.audit_text(read)
        except CommandError as error:
            read, text = error, slash.spoken(data)
        admission = self.gate.admit(caller, read)
        if admission.command is None:
            return self._refused(caller, text, admission)
        command = admission.command
        future = self.gate.submit(caller, command)
        if future is None:
            return ephemeral(self._answered(caller, text, command, None)["content"])
        if command.verb not in SLOW:
            with contextlib.suppress(TimeoutError):
                shielded = asyncio.shield(future)  # a late command runs on, and is answered later
                outcome = await asyncio.wait_for(self.gate.outcome(shielded), ANSWER_WITHIN)
                body = self._answered(caller, text, command, outcome)
                if outcome is None:  # a merge window closed on a full queue
                    return ephemeral(body["content"])
                return web.json_response({"type": MESSAGE, "data": body})
        self._later(payload, self._finish(payload, caller, text, command, future))
        return web.json_response({"type": DEFERRED})

    async def _component(self, payload: dict, caller: Caller) -> web.Response:
        custom_id = str((payload.get("data") or {}).get("custom_id", ""))
        button = slash.BUTTON_COMMANDS.get(custom_id)
        if button is None:
            return ephemeral("That button is not one of mine.")
        text = slash.audit_text(button)
        admission = self.gate.admit(caller, button)
        if admission.command is None:
            return self._refused(caller, text, admission)
        command = admission.command
        future = self.gate.submit(caller, command)
        if future is None:
            return ephemeral(self._answered(caller, text, command, None)["content"])
        task = asyncio.ensure_future(self._card_after(caller, text, command, future))
        with contextlib.suppress(TimeoutError):
            ok, body = await asyncio.wait_for(asyncio.shield(task), ANSWER_WITHIN)
            if not ok:
                return web.json_response({"type": MESSAGE, "data": {**body, "flags": EPHEMERAL}})
            return web.json_response({"type": UPDATE, "data": body})
        self._later(payload, self._edit_when(payload, task))
        return web.json_response({"type": DEFERRED_UPDATE})

    def _refused(self, caller: Caller, text: str, admission: Admission) -> web.Response:
        """Audited, and said to the caller alone (even when a channel would stay quiet)."""
        self.gate.record(SOURCE, caller, text=text, **(admission.record or {}))
        return ephemeral(admission.refusal or "")

    def _answered(
        self, caller: Caller, text: str, command: Command, outcome: Outcome | None
    ) -> dict:
        """Audit a command that went to the queue; its reply body."""
        record, body = self.gate.answer(outcome, command, buttons=True)
        self.gate.record(SOURCE, caller, text=text, **record)
        return body

    async def _finish(self, payload: dict, caller: Caller, text: str, command, future) -> None:
        outcome = await self.gate.outcome(future)
        await self._edit(payload, self._answered(caller, text, command, outcome))

    async def _card_after(self, caller, text, command, future) -> tuple[bool, dict]:
        """After a button's command: (True, the refreshed card) or (False, why it failed)."""
        outcome = await self.gate.outcome(future)
        body = self._answered(caller, text, command, outcome)
        if outcome is None or not outcome.result.ok:
            return False, refusal_body(body["content"])
        result = outcome.result
        now = await self.gate.outcome(self.gate.submit(caller, Command("now")))
        if now is None:  # it worked; the refreshed card can wait
            return True, {"content": cards.cut_units(result.message, 2000)}
        card = reply_body(now.result, with_buttons=True)
        said = cards.cut_units(f"{result.message} (by {cards.clean(caller.name)})", 2000)
        return True, {**card, "content": said}

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
        """Titles from the library, player and playlist names, for callers allowed to look."""
        choices: list[dict] = []
        if self.gate.authorizer.may_look_up(slash.caller_of(payload)):
            try:
                choices = await asyncio.wait_for(self._choices(payload), ANSWER_WITHIN)
            except Exception as error:  # a late or failed lookup offers nothing, never a 500
                log.debug("autocomplete gave up: %s", type(error).__name__)
        return web.json_response({"type": CHOICES, "data": {"choices": choices[:CHOICES_MAX]}})

    async def _choices(self, payload: dict) -> list[dict]:
        typing = slash.focused(payload.get("data") or {})
        if typing is None:
            return []
        name, typed = typing
        if name in ("player", "playlist"):
            if name == "player":
                names = [p.info.name for p in await self.controller.players()]
            else:
                names = [p.title for p in await self.controller.service.playlists()]
            found = [n for n in names if n.casefold().startswith(typed.casefold())]
            return [{"name": n[:100], "value": n[:100]} for n in found]
        if name != "title" or len(typed) < 2:
            return []
        items = await self.controller.service.search(typed, limit=CHOICES_MAX)
        out = []
        for item in items:
            value = f"{item.title} ({item.year})" if item.year else item.title
            out.append({"name": cards.cut_units(item.display_title, 100), "value": value[:100]})
        return out


def make_interactions_app(settings: Settings, controller: Controller, **parts) -> web.Application:
    """The aiohttp app serving POST /interactions; `parts`: a shared `gate` (or a queue,
    authorizer, audit to build one from), `rest`, `seen`, `clock`."""
    handler = InteractionHandler(settings, controller, **parts)
    app = web.Application(client_max_size=MAX_BODY)
    app[HANDLER] = handler
    app.router.add_post(PATH, handler.handle)
    app.on_startup.append(handler.startup)
    app.on_cleanup.append(handler.cleanup)
    return app
