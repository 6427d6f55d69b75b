"""Remote commands typed in a companion Discord channel, and the replies both ways in share.

The channel relay needs nothing exposed to the internet (it works behind NAT): it polls
the channel with the bot token, oldest message first, and remembers the last message it
took on disk, so a restart neither replays old commands nor drops new ones. Reading what
people type requires the bot's Message Content privileged intent (Developer Portal → Bot);
without it Discord hands the bot empty message text and the relay warns once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import platformdirs

from plextui.config import Settings
from plextui.control import Controller, Result
from plextui.core.commands import Command, parse_command
from plextui.core.models import NowPlaying
from plextui.core.ratelimit import Backoff
from plextui.core.serial import from_plain
from plextui.discord import card as cards
from plextui.discord.auth import AuditLog, Authorizer, Busy, Caller, CommandQueue, Outcome
from plextui.discord.rest import DiscordRest, RestError
from plextui.errors import CommandError

REPLY_RETRIES = (1.0, 3.0, 9.0)  # seconds between tries of a reply after a 5xx
log = logging.getLogger(__name__)

PREFIX = re.compile(r"\s*[/!]plex(?:\s|$)", re.IGNORECASE)
CONTENT_MAX = 2000
SEARCH_SHOWN = 10
BUTTONS = (
    ("plex:toggle", "Play/Pause", 1),
    ("plex:next", "Next", 2),
    ("plex:stop", "Stop", 4),
    ("plex:vol-", "Vol −", 2),
    ("plex:vol+", "Vol +", 2),
)
NO_PINGS = {"parse": []}  # echoed titles must never ping @everyone or anyone else
BUSY = "I'm busy with a lot of commands right now; try again in a moment. I did nothing."
ROLE_CACHE = 60.0


# --- what a reply looks like ---------------------------------------------------------------


def card_of(result: Result) -> NowPlaying | None:
    """The now-playing card a `play`/`now` result carries, as the model card.py renders."""
    data = result.data.get("now")
    if not isinstance(data, dict):
        return None
    try:
        return from_plain(NowPlaying, data)
    except (TypeError, ValueError):
        return None


def search_embed(result: Result, query: str) -> dict:
    items = result.data.get("items") or []
    lines = [
        f"`{item.get('kind', '?')}` {cards.clean(_title(item))}" for item in items[:SEARCH_SHOWN]
    ]
    return {
        "title": cards.cut_units(f"Search: {cards.clean(query)}", cards.EMBED_TITLE_MAX),
        "description": cards.cut_units("\n".join(lines) or "No results.", 4096),
        "color": cards.COLOURS["Playing"],
        "footer": {"text": "plextui"},
    }


def _title(item: dict) -> str:
    title, year = item.get("title", ""), item.get("year")
    if item.get("kind") == "episode" and item.get("grandparent_title"):
        return f"{item['grandparent_title']} · {title}"
    return f"{title} ({year})" if year else title


def buttons() -> list[dict]:
    """The now-playing card's control row; clicks arrive at the interactions endpoint."""
    row = [
        {"type": 2, "style": style, "label": label, "custom_id": custom_id}
        for custom_id, label, style in BUTTONS
    ]
    return [{"type": 1, "components": row}]


def reply_body(
    result: Result, command: Command | None = None, *, with_buttons: bool = False
) -> dict:
    """Message JSON for a result: the text, plus the card or the search results as an embed."""
    text = result.message if result.ok else f"Could not {result.verb}: {result.message}"
    body: dict[str, Any] = {"allowed_mentions": NO_PINGS, "embeds": [], "components": []}
    card = card_of(result) if result.ok else None
    if card is not None:
        body["embeds"] = [cards.embed(card)]
        if with_buttons:
            body["components"] = buttons()
    elif result.ok and result.verb == "search":
        body["embeds"] = [search_embed(result, command.query if command else "")]
        text = f"Top results for {cards.clean(command.query)}" if command else "Top results"
    body["content"] = cards.cut_units(text, CONTENT_MAX)
    return body


def refusal_body(message: str) -> dict:
    return {"content": cards.cut_units(message, CONTENT_MAX), "allowed_mentions": NO_PINGS}


def interactive(settings: Settings) -> bool:
    """Buttons only work when Discord has an interactions endpoint to send clicks to."""
    remote = settings.discord.remote
    return bool(remote.public_key and remote.application_id)


# --- remembering where we are --------------------------------------------------------------


def state_path(channel_id: str) -> Path:
    return Path(platformdirs.user_state_path("plextui")) / f"discord-relay-{channel_id}.json"


def load_cursor(path: Path, channel_id: str) -> str | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    last = data.get("last_id") if isinstance(data, dict) else None
    if data.get("channel_id") != channel_id or not isinstance(last, str) or not last.isdigit():
        return None
    return last


def save_cursor(path: Path, channel_id: str, last_id: str) -> None:
    """Atomically: a crash leaves the old cursor or the new one, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".relay-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump({"channel_id": channel_id, "last_id": last_id}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --- the relay -----------------------------------------------------------------------------


class ChannelRelay:
    """Polls the companion channel and feeds `/plex …` and `!plex …` lines to the queue.

    The cursor moves past a message as soon as its command is queued (at most once: a
    crash can lose the command being run, never run one twice). Polls back off from
    `idle[0]` to `idle[1]` seconds while the channel is quiet and snap back on a message.
    """

    def __init__(
        self,
        settings: Settings,
        controller: Controller,
        rest: DiscordRest,
        state_path_: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        queue: CommandQueue | None = None,
        authorizer: Authorizer | None = None,
        audit: AuditLog | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        idle: tuple[float, float] = (1.0, 10.0),
    ) -> None:
        remote = settings.discord.remote
        self.settings = settings
        self.channel_id = remote.channel_id
        self.rest = rest
        self.state_path = state_path_ or state_path(self.channel_id)
        self.clock = clock
        self.queue = queue or CommandQueue(controller)
        self._own_queue = queue is None
        self.authorizer = authorizer or Authorizer(remote, clock=clock)
        self.audit = audit or AuditLog(secrets=(remote.bot_token, settings.plex.token))
        self.sleep = sleep
        self.idle = idle
        self.interval = idle[0]
        self.last_id = load_cursor(self.state_path, self.channel_id)
        self._guild_id: str | None = None
        self._roles: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._replies: set[asyncio.Task] = set()
        self._warned_intent = False

    async def run(self) -> None:
        """Poll until cancelled; network trouble and 429s only slow it down."""
        if self._own_queue:
            await self.queue.start()
        errors = Backoff(base=1.0, cap=60.0)
        try:
            while True:
                try:
                    handled = await self.poll_once()
                    errors.reset()
                except RestError as error:
                    wait = error.retry_after or errors.next()
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
        if self._replies:
            await asyncio.wait(set(self._replies), timeout=5)
        if self._own_queue:
            await self.queue.stop()

    async def poll_once(self) -> int:
        """Read what is new and take each message in order; returns how many were new."""
        if self.last_id is None:
            newest = await self.rest.messages(self.channel_id, limit=1)
            self.last_id = newest[-1]["id"] if newest else "0"  # ignore history
            await asyncio.to_thread(save_cursor, self.state_path, self.channel_id, self.last_id)
            return 0
        page = await self.rest.messages(self.channel_id, after=self.last_id, limit=50)
        for message in page:
            if int(message["id"]) <= int(self.last_id):
                continue
            await self._take(message)
            self.last_id = message["id"]
            await asyncio.to_thread(save_cursor, self.state_path, self.channel_id, self.last_id)
        return len(page)

    async def drain(self) -> None:
        """Wait for replies in flight (tests and shutdown)."""
        while self._replies:
            await asyncio.wait(set(self._replies))

    async def _take(self, message: dict) -> None:
        author = message.get("author") or {}
        if author.get("bot") or message.get("webhook_id") or message.get("type") not in (0, 19):
            return
        text = message.get("content") or ""
        if not text and not message.get("attachments") and not message.get("embeds"):
            self._warn_intent()
        if not PREFIX.match(text):
            return
        caller = Caller(
            str(author.get("id", "")),
            str(author.get("global_name") or author.get("username") or ""),
            await self._roles_of(str(author.get("id", ""))),
        )
        if self.authorizer.level(caller) is None:
            refusal = self.authorizer.check(caller, Command("now"))
            self.audit.record(source="channel", caller=caller, text=text, allowed=False)
            if refusal is not None and not refusal.quiet:
                self._reply(message, refusal_body(refusal.message))
            return
        try:
            command = parse_command(text)
        except CommandError as error:
            self._reply(message, refusal_body(f"I couldn't read that: {error}. Try `/plex help`."))
            return
        refusal = self.authorizer.check(caller, command)
        if refusal is not None:
            self.audit.record(
                source="channel", caller=caller, text=text, allowed=False, message=refusal.message
            )
            if not refusal.quiet:
                self._reply(message, refusal_body(refusal.message))
            return
        try:
            future = self.queue.submit(caller.id, command)
        except Busy:
            self._reply(message, refusal_body(BUSY))
            return
        self._track(self._answer(message, caller, text, command, future))

    async def _answer(
        self,
        message: dict,
        caller: Caller,
        text: str,
        command: Command,
        future: asyncio.Future[Outcome],
    ) -> None:
        try:
            outcome = await future
        except Busy:
            await self._send(message, refusal_body(BUSY))
            return
        result = outcome.result
        self.audit.record(
            source="channel",
            caller=caller,
            text=text,
            allowed=True,
            ok=result.ok,
            message=result.message,
        )
        if not outcome.superseded:
            body = reply_body(result, command, with_buttons=interactive(self.settings))
            await self._send(message, body)

    def _reply(self, message: dict, body: dict) -> None:
        self._track(self._send(message, body))

    def _track(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._replies.add(task)
        task.add_done_callback(self._replies.discard)

    async def _send(self, message: dict, body: dict) -> None:
        """The reply; Discord's 5xx and network errors are retried a few times, since the
        command has already run and its author should hear so."""
        reference = {"message_id": message["id"], "fail_if_not_exists": False}
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
        if not self.authorizer.uses_roles or not user_id:
            return ()
        cached = self._roles.get(user_id)
        if cached is not None and self.clock() - cached[0] < ROLE_CACHE:
            return cached[1]
        try:
            if self._guild_id is None:
                self._guild_id = str((await self.rest.channel(self.channel_id)).get("guild_id"))
            member = await self.rest.member(self._guild_id, user_id)
            roles = tuple(str(r) for r in member.get("roles") or ())
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
                "intent (Developer Portal → Bot → Privileged Gateway Intents) so the relay can "
                "read /plex commands"
            )
