"""The bus subscriber that decides what reaches Discord, and feeds presence and webhooks.

It never polls Plex: session events come from the EventBus. Only the configured account's
sessions are mirrored (the token's own by default, plus `users`), minus ignored players and
libraries, which is what users of other presence tools keep asking for (wrong-user sessions).
A session says who watches what; the player watcher's states (PlayerStateChanged) say sooner
than the server's next session refresh that its player paused, resumed or jumped, so a
mirrored card follows a command at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from plextui.config import DiscordSettings
from plextui.core.models import NowPlaying, SessionInfo
from plextui.discord.mirror.card import activity, card_from_session, embed, ending_of, text_card
from plextui.discord.mirror.presence import Presence
from plextui.discord.mirror.webhook import Webhooks
from plextui.plex.events import (
    EventBus,
    PlayerStateChanged,
    SessionEnded,
    SessionStarted,
    SessionUpdated,
)
from plextui.plex.playerwatch import STREAMING

log = logging.getLogger("plextui.discord.mirror.nowplaying")

PosterFetch = Callable[[NowPlaying], Awaitable[bytes | None]]


@dataclass(frozen=True)
class Filter:
    """Whose playback is mirrored. `account=None` with no `users` means everyone."""

    account: str | None = None
    users: tuple[str, ...] = ()
    ignore_players: tuple[str, ...] = ()
    ignore_libraries: tuple[str, ...] = ()  # library keys or titles

    def accepts(self, session: SessionInfo, library_titles: Mapping[str, str]) -> bool:
        wanted = {u.casefold() for u in (self.account, *self.users) if u}
        if wanted and session.user.casefold() not in wanted:
            return False
        if session.player.casefold() in {p.casefold() for p in self.ignore_players}:
            return False
        key = session.item.library_key if session.item else None
        names = {key, library_titles.get(key or "")} - {None, ""}
        ignored = {lib.casefold() for lib in self.ignore_libraries}
        return not any(name.casefold() in ignored for name in names)


def _playback(session: SessionInfo) -> str:
    """One playback: a session playing one item (next in a queue starts a new one)."""
    return f"{session.session_key}:{session.item.rating_key if session.item else ''}"


class Mirror:
    """Subscribe with `attach(bus)`, run with `run()`; `status` and `preview` feed the TUI."""

    def __init__(
        self,
        presence: Presence | None,
        webhooks: Webhooks | None,
        who: Filter = Filter(),
        *,
        library_titles: Mapping[str, str] | None = None,
        poster: PosterFetch | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.presence = presence
        self.webhooks = webhooks
        self.filter = who
        self.library_titles = dict(library_titles or {})
        self.poster = poster
        self.wall = wall
        self.cards: dict[str, tuple[str, NowPlaying]] = {}  # session key → (playback, card)
        self._tasks: set[asyncio.Task] = set()

    def attach(self, bus: EventBus) -> Callable[[], None]:
        return bus.subscribe(self)

    def __call__(self, event: object) -> None:
        if isinstance(event, SessionStarted | SessionUpdated):
            self._seen(event.session)
        elif isinstance(event, SessionEnded):
            self._ended(event.session)
        elif isinstance(event, PlayerStateChanged):
            self._moved(event)

    # --- events --------------------------------------------------------------------------

    def _seen(self, session: SessionInfo) -> None:
        card = card_from_session(session, self.wall())
        if card is None or not self.filter.accepts(session, self.library_titles):
            return
        playback = _playback(session)
        previous = self.cards.get(session.session_key)
        if previous is not None and previous[0] != playback:
            self._finish(*previous)  # the session moved on to the next item
        self.cards[session.session_key] = (playback, card)
        if self.webhooks is not None:
            self.webhooks.post(playback, embed(card))
            if previous is None or previous[0] != playback:
                self._fetch_poster(playback, card)
        self._show()

    def _ended(self, session: SessionInfo) -> None:
        known = self.cards.pop(session.session_key, None)
        if known is not None:
            playback, card = known
            ended = card_from_session(session, self.wall())
            if ended is not None and _playback(session) == playback:
                card = ended
            self._finish(playback, card)
        self._show()

    def _moved(self, event: PlayerStateChanged) -> None:
        """A mirrored session's player paused, resumed or jumped: its card follows now.
        What plays and whether it ended stay the session's to say."""
        state = event.state
        if state.state not in STREAMING or state.item is None:
            return
        for key, (playback, card) in list(self.cards.items()):
            if card.player != event.session_name or not playback.endswith(
                f":{state.item.rating_key}"
            ):
                continue
            if (card.state, card.position_ms) == (state.state, state.position_ms):
                continue
            card = replace(
                card, state=state.state, position_ms=state.position_ms, updated_at=self.wall()
            )
            self.cards[key] = (playback, card)
            if self.webhooks is not None:
                self.webhooks.post(playback, embed(card))
            self._show()

    def _finish(self, playback: str, card: NowPlaying) -> None:
        if self.webhooks is not None:
            self.webhooks.post(playback, embed(card, ending_of(card)), final=True)

    def _show(self) -> None:
        if self.presence is not None:
            self.presence.show(self.current)

    def _fetch_poster(self, playback: str, card: NowPlaying) -> None:
        if self.poster is None or self.webhooks is None or not self.webhooks.attach_poster:
            return
        try:
            task = asyncio.get_running_loop().create_task(self._poster(playback, card))
        except RuntimeError:
            return  # published outside a loop: no poster, the card still goes out
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _poster(self, playback: str, card: NowPlaying) -> None:
        try:
            data = await asyncio.wait_for(self.poster(card), 10)
        except Exception as error:  # noqa: BLE001 - a missing poster never stops the card
            log.info("no poster for %s: %s", card.title, type(error).__name__)
            return
        if data and self.webhooks is not None:
            self.webhooks.add_poster(playback, data)

    # --- what the TUI shows --------------------------------------------------------------

    @property
    def current(self) -> NowPlaying | None:
        """The card presence shows: the latest playing one, else the latest paused one."""
        cards = [card for _, card in self.cards.values()]
        playing = [card for card in cards if card.state in ("playing", "buffering")]
        return max(playing or cards, key=lambda c: c.updated_at or 0, default=None)

    @property
    def status(self) -> dict[str, str]:
        return {
            "presence": self.presence.status if self.presence else "off",
            "webhooks": self.webhooks.status if self.webhooks else "off",
        }

    @property
    def preview(self) -> dict:
        """What Discord shows now: the presence activity, the latest embed, the text card.
        With a part switched off, what it would show, so the panel still previews."""
        current = self.current
        return {
            "activity": self.presence.preview
            if self.presence
            else (activity(current, self.wall()) if current else None),
            "embed": self.webhooks.last_embed
            if self.webhooks
            else (embed(current) if current else None),
            "text": text_card(current),
        }

    # --- running -------------------------------------------------------------------------

    async def run(self) -> None:
        """Keep presence and webhooks going until cancelled; then await `stop()`."""
        jobs = [part.run() for part in (self.presence, self.webhooks) if part is not None]
        await asyncio.gather(*jobs)

    async def stop(self) -> None:
        """Clear presence at once and give the webhook queue a last chance to send."""
        for task in list(self._tasks):
            task.cancel()
        if self.presence is not None:
            await self.presence.stop()
        if self.webhooks is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.webhooks.flush(), 5)


def mirror_from_settings(
    discord: DiscordSettings,
    account: str | None,
    *,
    library_titles: Mapping[str, str] | None = None,
    poster: PosterFetch | None = None,
) -> Mirror:
    """The Mirror `Settings.discord` asks for; `account` is the Plex account of the token."""
    presence_cfg, webhook_cfg = discord.presence, discord.webhook
    presence = None
    if presence_cfg.enabled:
        presence = Presence(presence_cfg.client_id, pause_timeout=presence_cfg.pause_timeout)
    webhooks = None
    if webhook_cfg.enabled and webhook_cfg.urls:
        webhooks = Webhooks(webhook_cfg.urls, attach_poster=webhook_cfg.attach_poster)
    return Mirror(
        presence,
        webhooks,
        Filter(
            account=account,
            users=_tuple(presence_cfg.users),
            ignore_players=_tuple(presence_cfg.ignore_players),
            ignore_libraries=_tuple(presence_cfg.ignore_libraries),
        ),
        library_titles=library_titles,
        poster=poster,
    )


def _tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v for v in values if v)
