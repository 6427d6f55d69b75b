"""The channel poller: remote commands typed in a companion Discord channel.

It needs nothing exposed to the internet (it works behind NAT): it polls the channel with
the bot token, oldest message first, takes each `/plex …` or `!plex …` line through the
gate (gate.py), and replies to it. Each command is taken exactly once, even across a
`kill -9`: it is journalled before it runs and the cursor moves past it only once it is
answered (`journal` keeps that on disk, `recovery` says what a restart does with a command
that was running). Reading what people type requires the bot's Message Content privileged
intent (Developer Portal → Bot); without it Discord hands the bot empty message text and
the poller warns once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plextui.config import Settings
from plextui.config.paths import channel_state_path
from plextui.control.answers import Result
from plextui.core.commands import Command, parse_command
from plextui.core.ratelimit import Backoff
from plextui.discord.remote import recovery
from plextui.discord.remote.authorizer import Caller
from plextui.discord.remote.gate import Gate
from plextui.discord.remote.journal import RAN, ChannelState, Unit
from plextui.discord.remote.queue import MERGED_VERBS, Outcome, merge_all
from plextui.discord.remote.recovery import INTERRUPTED
from plextui.discord.remote.replies import CHANNEL_HINT, interactive, refusal_body
from plextui.discord.rest import MAX_RETRY_AFTER, DiscordRest, RestError, capped
from plextui.errors import CommandError

if TYPE_CHECKING:
    from plextui.control.controller import Controller

log = logging.getLogger(__name__)

SOURCE = "channel"  # as the audit log names this intake
PREFIX = re.compile(r"\s*[/!]plex(?:\s|$)", re.IGNORECASE)
ROLE_CACHE = 60.0
REPLY_RETRIES = (1.0, 3.0, 9.0)  # seconds between tries of a reply after a 5xx
MAX_TRIES = 5  # restarts a journalled command may meet before it is given up, answered


@dataclass
class Taken:
    """A message the poller acts on: a command to run, or a refusal to answer (`command`
    None; `reply` None when the refusal stays quiet) with its audit record."""

    message: dict
    caller: Caller
    text: str
    command: Command | None = None
    reply: dict | None = None
    audit: dict | None = None

    def joins(self, group: list[Taken]) -> bool:
        """Rapid seeks or volume steps from one person run as one command (the queue's
        merge window), so they are journalled and answered as one unit."""
        if not group or self.command is None or self.command.verb not in MERGED_VERBS:
            return False
        last = group[-1]
        return last.caller.id == self.caller.id and last.command.verb == self.command.verb


class ChannelPoller:
    """Polls the companion channel and takes `/plex …` and `!plex …` lines through the gate.

    Messages are taken in order, one unit at a time (rapid seeks or volume steps from one
    person are one unit, run as one command): the unit is journalled, run, audited and
    answered before the cursor moves past it, so a crash at any point leaves it in the
    journal for the next start to finish (see `recovery`). Polls back off from `idle[0]` to
    `idle[1]` seconds while the channel is quiet and snap back on a message.
    """

    def __init__(
        self,
        settings: Settings,
        controller: Controller,
        rest: DiscordRest,
        state_path_: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        gate: Gate | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        idle: tuple[float, float] = (1.0, 10.0),
        **parts: Any,
    ) -> None:
        """`gate` shared with the interactions endpoint, or one built from `parts` (queue,
        authorizer, audit) and the defaults."""
        self.settings = settings
        self.controller = controller
        self.channel_id = settings.discord.remote.channel_id
        self.rest = rest
        self.state = ChannelState(
            state_path_ or channel_state_path(self.channel_id), self.channel_id
        )
        self.clock = clock
        self.gate = gate or Gate.build(settings, controller, clock=clock, **parts)
        self._own_gate = gate is None
        self.sleep = sleep
        self.idle = idle
        self.interval = idle[0]
        self._guild_id: str | None = None
        self._roles: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._warned_intent = False

    @property
    def state_path(self) -> Path:
        return self.state.path

    @property
    def last_id(self) -> str | None:
        """The last message fully handled (answered, audited, out of the journal)."""
        return self.state.last_id

    async def run(self) -> None:
        """Poll until cancelled; network trouble and 429s only slow it down (every wait is
        capped at MAX_RETRY_AFTER, whatever Discord asks for)."""
        if self._own_gate:
            await self.gate.start()
        errors = Backoff(base=1.0, cap=MAX_RETRY_AFTER)
        try:
            while True:
                try:
                    handled = await self.poll_once()
                    errors.reset()
                except RestError as error:
                    wait = capped(error.retry_after or errors.next())
                    log.warning("Discord channel poll failed (%s); retrying in %.0f s", error, wait)
                    await self.sleep(wait)
                    continue
                if handled:
                    self.interval = self.idle[0]
                else:
                    self.interval = min(self.idle[1], self.interval * 2)
                await self.sleep(0 if handled >= 50 else self.interval)
        finally:
            await self.close()

    async def close(self) -> None:
        if self._own_gate:
            await self.gate.stop()

    async def drain(self) -> None:
        """For callers that wait for replies: `poll_once` answers every message it takes
        before it returns, so nothing is ever left in flight."""

    async def poll_once(self) -> int:
        """Finish what a crash interrupted, then read what is new and take each message in
        order; returns how many messages the page held."""
        if self.state.last_id is None:  # first start: history is not ours to run
            newest = await self.rest.messages(self.channel_id, limit=1)
            await asyncio.to_thread(self.state.move_to, newest[-1]["id"] if newest else "0")
            return 0
        for unit in list(self.state.pending):
            await self._recover(unit)
        page = await self.rest.messages(self.channel_id, after=self.state.last_id, limit=50)
        group: list[Taken] = []
        for message in page:
            if int(message["id"]) <= int(self.state.last_id):
                continue
            taken = await self._read(message)
            if taken is None:
                continue
            if taken.joins(group):
                group.append(taken)
                continue
            if group:
                await self._run(group)
                group = []
            if taken.command is None:
                await self._settle(self._unit([taken], None), [])
            elif taken.command.verb in MERGED_VERBS:
                group = [taken]
            else:
                await self._run([taken])
        if group:
            await self._run(group)
        if page and int(page[-1]["id"]) > int(self.state.last_id):
            await asyncio.to_thread(self.state.move_to, page[-1]["id"])  # past the chatter
        return len(page)

    # --- taking a message: the gate's first steps -------------------------------------------

    async def _read(self, message: dict) -> Taken | None:
        """What to do with a message (None: nothing, it is not a command for us). Any fault
        here is logged and the message skipped: nothing has run yet."""
        try:
            return await self._classify(message)
        except RestError:
            raise
        except Exception as error:  # noqa: BLE001 - one odd message must not stop the poller
            log.warning(
                "skipped Discord message %s: could not read it (%s)",
                message["id"],
                type(error).__name__,
            )
            return None

    async def _classify(self, message: dict) -> Taken | None:
        author = message["author"]
        if author.get("bot") or message.get("webhook_id") or message.get("type") not in (0, 19):
            return None
        text = message["content"]
        if not text and not message.get("attachments") and not message.get("embeds"):
            self._warn_intent()
        if not PREFIX.match(text):
            return None
        user_id = str(author.get("id", ""))
        name = str(author.get("global_name") or author.get("username") or "")
        caller = Caller(user_id, name, await self._roles_of(user_id))
        read: Command | CommandError
        try:
            read = parse_command(text)
        except CommandError as error:
            read = error
        admission = self.gate.admit(caller, read, hint=CHANNEL_HINT)
        if admission.command is not None:
            return Taken(message, caller, text, command=admission.command)
        reply = None if admission.quiet else refusal_body(admission.refusal or "")
        return Taken(message, caller, text, reply=reply, audit=admission.record)

    def _unit(self, group: list[Taken], form: Command | None, check: dict | None = None) -> Unit:
        caller = group[-1].caller
        return Unit(
            ids=[t.message["id"] for t in group],
            user=asdict(caller),
            texts=[t.text for t in group],
            form=form.to_text() if form is not None else None,  # the journal on disk is text
            check=check or {},
            audits=[{"text": t.text, **t.audit} for t in group if t.audit is not None],
            replies=[{"to": t.message["id"], "body": t.reply} for t in group if t.reply],
        )

    # --- running a unit: queue, run, audit, reply ------------------------------------------

    async def _run(self, group: list[Taken]) -> None:
        """Journal the unit in its idempotent form, run it, then audit and answer it."""
        command = merge_all([t.command for t in group if t.command is not None])
        form, check = await recovery.idempotent_form(self.controller, command)
        unit = self._unit(group, form, check)
        await asyncio.to_thread(self.state.begin, unit)
        await self._settle(unit, self._answers(unit, form, await self._execute(unit, form)))

    async def _execute(self, unit: Unit, form: Command) -> Outcome | None:
        """The queue's outcome for `form`, None when the queue is full (nothing ran)."""
        caller = Caller(unit.user["id"], unit.user.get("name", ""))
        return await self.gate.outcome(self.gate.submit(caller, form))

    def _answers(self, unit: Unit, form: Command | None, outcome: Outcome | None) -> list[dict]:
        """The audit records of a unit that went to the queue (one per message) and its
        reply (one, to its last message, unless the queue merged it into a later command)."""
        record, body = self.gate.answer(outcome, form, buttons=interactive(self.settings))
        if outcome is None or not outcome.superseded:
            unit.replies = [{"to": unit.last, "body": body}]
        return [{"text": text, **record} for text in unit.texts]

    async def _settle(self, unit: Unit, audits: list[dict]) -> None:
        """Journal the unit `ran` (with its answer), write its audit lines and post its
        replies, then drop it from the journal as the cursor moves past it."""
        unit.stage = RAN
        unit.audit_at = await asyncio.to_thread(self.gate.audit.size)
        unit.audits = audits or unit.audits
        if unit in self.state.pending:
            await asyncio.to_thread(self.state.save)
        else:
            await asyncio.to_thread(self.state.begin, unit)
        self._write_audits(unit, unit.audits)
        for reply in unit.replies:
            await self._send(reply["to"], reply["body"])
        await asyncio.to_thread(self.state.finish, unit)

    def _write_audits(self, unit: Unit, audits: list[dict]) -> None:
        caller = Caller(unit.user["id"], unit.user["name"], tuple(unit.user.get("roles") or ()))
        for record in audits:
            self.gate.record(SOURCE, caller, **record)

    # --- after a crash ---------------------------------------------------------------------

    async def _recover(self, unit: Unit) -> None:
        """Finish a unit the last run left in the journal, exactly once (see `recovery`)."""
        if unit.stage != RAN:
            unit.check["tries"] = unit.check.get("tries", 0) + 1
            await asyncio.to_thread(self.state.save)
            await self._settle(unit, await self._rerun(unit))
            return
        written = await asyncio.to_thread(self.gate.audit.count_since, unit.audit_at, SOURCE)
        self._write_audits(unit, unit.audits[written:])
        for reply in unit.replies:
            if not await self._replied(reply["to"]):
                await self._send(reply["to"], reply["body"])
        await asyncio.to_thread(self.state.finish, unit)

    async def _rerun(self, unit: Unit) -> list[dict]:
        """Run a `started` unit's journalled form again, or answer it without running."""
        try:
            form = parse_command(unit.form or "")
        except CommandError:  # journalled by a version that spelled commands differently
            return self._answers(unit, None, Outcome(Result(False, "run", INTERRUPTED)))
        answer = await recovery.on_restart(self.controller, form, unit.check)
        if answer is None and unit.check["tries"] > MAX_TRIES:
            answer = Result(False, form.verb, INTERRUPTED)
        if answer is None:
            log.info("finishing a Discord command a restart interrupted: %s", form.verb)
            return self._answers(unit, form, await self._execute(unit, form))
        log.info("answered a Discord command a restart interrupted: %s", answer.message)
        return self._answers(unit, form, Outcome(answer))

    async def _replied(self, message_id: str) -> bool:
        """Whether the channel already shows our reply to a message (among the 100 after it)."""
        page = await self.rest.messages(self.channel_id, after=message_id, limit=100)
        return any(
            m["author"].get("bot")
            and (m.get("message_reference") or {}).get("message_id") == message_id
            for m in page
        )

    # --- talking to Discord ----------------------------------------------------------------

    async def _send(self, message_id: str, body: dict) -> None:
        """The reply; Discord's 5xx and network errors are retried a few times, since the
        command has already run and its author should hear so."""
        reference = {"message_id": message_id, "fail_if_not_exists": False}
        for delay in (*REPLY_RETRIES, None):
            try:
                await self.rest.post_message(
                    self.channel_id, {**body, "message_reference": reference}
                )
                return
            except RestError as error:
                if delay is None or 400 <= error.status < 500:
                    log.warning("could not reply in the Discord channel: %s", error)
                    return
                await self.sleep(delay)

    async def _roles_of(self, user_id: str) -> tuple[str, ...]:
        """The member's roles (only looked up when some role is allowlisted; cached a minute)."""
        if not self.gate.authorizer.uses_roles or not user_id:
            return ()
        cached = self._roles.get(user_id)
        if cached is not None and self.clock() - cached[0] < ROLE_CACHE:
            return cached[1]
        try:
            if self._guild_id is None:
                self._guild_id = str((await self.rest.channel(self.channel_id)).get("guild_id"))
            roles = (await self.rest.member(self._guild_id, user_id))["roles"]
        except RestError as error:
            log.info("could not look up roles of a Discord member: %s", error)
            roles = ()
        self._roles[user_id] = (self.clock(), roles)
        return roles

    def _warn_intent(self) -> None:
        if not self._warned_intent:
            self._warned_intent = True
            log.warning(
                "Discord sent a message without its text: turn on the bot's Message Content "
                "intent (Developer Portal → Bot → Privileged Gateway Intents) so the poller "
                "can read /plex commands"
            )
