"""The live now-playing card in channels: one webhook message per playback, edited in place.

Each (webhook URL, playback) pair is one queue entry holding the latest embed to show, so
bursts coalesce (latest wins) and a failure only delays the newest state. The queue is a
small JSON file in the user state dir, written atomically after every change, so the final
"Finished"/"Stopped" edit survives network faults and restarts. discord-webhook makes the
requests (blocking, so in a thread); its own 429 sleep is off because we reschedule instead.
URLs hold the webhook token, so every message shows them redacted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests

from plextui.config import redact
from plextui.config.atomic import write_atomic
from plextui.config.paths import webhook_queue_path

log = logging.getLogger("plextui.discord.mirror.webhook")

QUEUE_VERSION = 1
MIN_EDIT_INTERVAL = 10.0  # progress edits per message; state changes and the final go at once
MAX_BACKOFF = 300.0
FORGET_AFTER = 24 * 3600.0  # sent, non-final entries of playbacks we never saw end
USERNAME = "Plex"


def poster_name(data: bytes) -> str:
    return "poster.png" if data.startswith(b"\x89PNG") else "poster.jpg"


@dataclass
class Entry:
    """One message of one playback in one channel, and what it should show next."""

    url: str
    playback: str
    embed: dict
    final: bool = False
    pending: bool = True
    message_id: str | None = None
    attachments: list[str] = field(default_factory=list)
    poster: str | None = None  # filename of the uploaded poster, for `attachment://`
    attempts: int = 0
    due: float = 0.0
    sent_at: float = 0.0
    touched: float = 0.0

    @property
    def key(self) -> str:
        return f"{self.playback}\n{self.url}"


@dataclass
class _Result:
    status: int | None  # None: no HTTP answer (network error, or a non-JSON body)
    body: Any = None


class Webhooks:
    """Posts and edits the card in every configured channel; `status` says how it goes."""

    def __init__(
        self,
        urls: list[str],
        *,
        attach_poster: bool = True,
        path: Path | None = None,
        wall: Callable[[], float] = time.time,
        timeout: float = 10.0,
        min_interval: float = MIN_EDIT_INTERVAL,
    ) -> None:
        self.urls = list(dict.fromkeys(urls))
        self.attach_poster = attach_poster
        self.path = path or webhook_queue_path()
        self._saved: dict | None = None  # what the file holds, to skip unchanged saves
        self.wall = wall
        self.timeout = timeout
        self.min_interval = min_interval
        self.statuses: dict[str, str] = {url: "ready" for url in self.urls}
        self.disabled: set[str] = set()
        self.last_embed: dict | None = None
        self._entries: dict[str, Entry] = {}
        self._posters: dict[str, bytes] = {}  # by playback; bytes are not persisted
        self._wake = asyncio.Event()
        self._load()

    # --- what the TUI shows ------------------------------------------------------------

    @property
    def status(self) -> str:
        if not self.urls:
            return "off (no webhook URLs)"
        return "; ".join(f"{redact(url)}: {status}" for url, status in self.statuses.items())

    @property
    def pending(self) -> list[Entry]:
        return [entry for entry in self._entries.values() if entry.pending]

    # --- input ---------------------------------------------------------------------------

    def post(self, playback: str, embed: dict, *, final: bool = False) -> None:
        """Show `embed` for this playback in every channel; `final` closes the playback."""
        now = self.wall()
        self.last_embed = embed
        for url in self.urls:
            if url in self.disabled:
                continue
            entry = self._entries.get(f"{playback}\n{url}")
            if entry is None:
                entry = Entry(url, playback, embed, due=now)
                self._entries[entry.key] = entry
            elif entry.final:
                continue  # a finished playback is never reopened
            status_changed = _status(entry.embed) != _status(embed)
            entry.embed, entry.final, entry.pending, entry.touched = embed, final, True, now
            if final or status_changed or entry.message_id is None:
                entry.due = min(entry.due, now) if entry.attempts == 0 else entry.due
            else:
                entry.due = max(entry.due, entry.sent_at + self.min_interval)
        self._save()
        self._wake.set()

    def add_poster(self, playback: str, data: bytes) -> None:
        """Attach the poster to this playback's messages (on create, or with the next edit)."""
        if not self.attach_poster or not data:
            return
        self._posters[playback] = data
        for entry in self._entries.values():
            if entry.playback == playback and entry.poster is None and not entry.final:
                entry.pending = True
        self._wake.set()

    # --- sending -------------------------------------------------------------------------

    async def flush(self) -> None:
        """Send every entry that is due; never raises for anything Discord or the network does."""
        for entry in sorted(self.pending, key=lambda e: e.due):
            if entry.due <= self.wall() and entry.url not in self.disabled:
                await self._deliver(entry)
        self._forget()
        self._save()

    async def run(self, tick: float = 1.0) -> None:
        while True:
            await self.flush()
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), tick)
            except TimeoutError:
                pass

    async def _deliver(self, entry: Entry) -> None:
        poster = self._posters.get(entry.playback) if entry.poster is None else None
        embed = dict(entry.embed)
        filename = entry.poster or (poster_name(poster) if poster else None)
        if filename:
            embed["thumbnail"] = {"url": f"attachment://{filename}"}
        result = await asyncio.to_thread(self._request, entry, embed, poster)
        now = self.wall()
        if result.status in (200, 204):
            body = result.body if isinstance(result.body, dict) else {}
            entry.message_id = str(body.get("id") or entry.message_id or "") or None
            entry.attachments = [str(a["id"]) for a in body.get("attachments") or []]
            entry.poster = filename if entry.attachments else None
            entry.pending, entry.attempts, entry.sent_at = False, 0, now
            self.statuses[entry.url] = "ok"
            return
        code = result.body.get("code") if isinstance(result.body, dict) else None
        if result.status == 429:  # a proxy's 429 may carry no JSON body
            body = result.body if isinstance(result.body, dict) else {}
            from plextui.discord.rest import capped  # aiohttp: only once Discord says 429

            retry_after = capped(body.get("retry_after", 1.0))
            entry.due = now + retry_after
            self.statuses[entry.url] = f"rate limited; retrying in {retry_after:g} s"
        elif result.status == 404 and code == 10008 and entry.message_id:
            entry.message_id, entry.attachments, entry.poster = None, [], None
            entry.due = now  # our message was deleted: post a new one
        elif result.status in (401, 404) and code in (10015, 50027):
            self._disable(entry.url, (result.body or {}).get("message", "Unknown Webhook"))
        elif result.status is not None and 400 <= result.status < 500:
            message = result.body.get("message") if isinstance(result.body, dict) else None
            self.statuses[entry.url] = f"Discord refused the card (HTTP {result.status}: {message})"
            entry.pending = False  # resending the same body cannot succeed
        else:
            entry.attempts += 1
            delay = min(MAX_BACKOFF, 2.0 ** (entry.attempts - 1))
            entry.due = now + delay
            what = f"HTTP {result.status}" if result.status else "network error"
            self.statuses[entry.url] = f"{what}; retrying in {delay:g} s"
        log.warning("webhook %s: %s", redact(entry.url), self.statuses[entry.url])

    def _request(self, entry: Entry, embed: dict, poster: bytes | None) -> _Result:
        """One execute or edit with discord-webhook, in a worker thread."""
        from discord_webhook import DiscordWebhook  # here: only when a webhook is set

        hook = DiscordWebhook(
            entry.url,
            id=entry.message_id,
            username=USERNAME,
            attachments=[{"id": a} for a in entry.attachments],
            rate_limit_retry=False,
            timeout=self.timeout,
        )
        hook.add_embed(embed)
        if poster:
            hook.add_file(poster, poster_name(poster))
        try:
            response = hook.edit() if entry.message_id else hook.execute()
        except (requests.RequestException, ValueError):
            return _Result(None)  # no answer, or a non-JSON one (a proxy's error page)
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        return _Result(response.status_code, body)

    def _disable(self, url: str, message: str) -> None:
        self.disabled.add(url)
        self.statuses[url] = (
            f"disabled: Discord says {message} (deleted in Discord?); "
            "remove it from discord.webhook.urls"
        )
        for key in [key for key, entry in self._entries.items() if entry.url == url]:
            del self._entries[key]

    def _forget(self) -> None:
        now = self.wall()
        for key, entry in list(self._entries.items()):
            done = not entry.pending and (entry.final or now - entry.touched > FORGET_AFTER)
            if done or entry.url not in self.urls:
                del self._entries[key]
        live = {entry.playback for entry in self._entries.values() if not entry.final}
        for playback in [p for p in self._posters if p not in live]:
            del self._posters[playback]

    # --- the queue on disk ---------------------------------------------------------------

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            entries = [Entry(**item) for item in raw["entries"]]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring unreadable webhook queue %s: %s", self.path, error)
            return
        for entry in entries:
            if entry.url in self.urls:
                self._entries[entry.key] = entry

    def _save(self) -> None:
        """Atomically, mode 0600 (the file holds webhook URLs), and only when the queue
        changed since the last save (flush runs every second); a failed save is only logged."""
        data = {"version": QUEUE_VERSION, "entries": [asdict(e) for e in self._entries.values()]}
        if data == self._saved:
            return
        try:
            write_atomic(self.path, json.dumps(data))
            self._saved = data
        except OSError as error:
            log.warning("cannot save the webhook queue %s: %s", self.path, error.strerror)


def _status(embed: dict) -> str | None:
    for item in embed.get("fields") or []:
        if item.get("name") == "Status":
            return item.get("value")
    return None
