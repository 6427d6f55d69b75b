"""PlayerWatcher: the active players' playback state on the bus, read once for everyone.

Subscribers (the TUI's bar and now-playing screen, Rich Presence, the webhook card, `now`
replies, the Controller) never poll a player themselves. The watcher reads the timeline of
the players that matter: the Controller's active player and every known player the server
lists a session for. A player the server streams to but that we do not reach ourselves (a
player the server proxies, one listed but not answering, someone else's TV) is followed
through the server's session events already on the bus, at no extra request.

A round reads the due players in parallel, and only then does the loop re-arm (dolphie's
pattern): a slow player delays the next round, reads never stack up. A player that stops
answering is announced once per outage (PlayerUnreachable) and retried after a doubling
pause; `wake()` after a command starts the next round at once. A state is published only
when it changes in a way a subscriber could not predict: play state, item, volume, shuffle,
repeat, quality, or a position more than JUMP_MS from where playing on at 1x would have
taken it (subscribers interpolate between events with `interpolated`). While it plays, a
heartbeat every `heartbeat` seconds re-anchors their clocks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from plextui.core.models import PlaybackState, SessionInfo
from plextui.errors import PlextuiError
from plextui.plex.events import (
    EventBus,
    PlayerStateChanged,
    PlayerUnreachable,
    SessionEnded,
    SessionStarted,
    SessionUpdated,
)
from plextui.plex.players import Player

log = logging.getLogger("plextui.playerwatch")

JUMP_MS = 2000  # a position this far from the interpolated one is news (a seek, a stall)
STREAMING = ("playing", "paused", "buffering")


def interpolated(state: PlaybackState, elapsed_s: float) -> int:
    """Where the position is `elapsed_s` after `state` was read: on at 1x while playing,
    never past the end."""
    position = state.position_ms
    if state.state == "playing":
        position += int(elapsed_s * 1000)
    if state.duration_ms:
        position = min(position, state.duration_ms)
    return position


def _facts(state: PlaybackState) -> tuple:
    """Everything but the position; any difference is published."""
    key = state.item.rating_key if state.item else None
    return (
        state.state,
        key,
        state.duration_ms,
        state.volume,
        state.shuffle,
        state.repeat,
        state.quality,
        state.decision,
    )


def differs(old: PlaybackState, new: PlaybackState, elapsed_s: float) -> bool:
    """Whether `new` tells a subscriber that knew `old` for `elapsed_s` anything new."""
    if _facts(old) != _facts(new):
        return True
    return abs(new.position_ms - interpolated(old, elapsed_s)) > JUMP_MS


@dataclass
class _Seen:
    """What the watcher knows of one player."""

    state: PlaybackState | None = None  # the last read; None while it does not answer
    read_at: float = float("-inf")
    published: PlaybackState | None = None
    published_at: float = float("-inf")
    failing: bool = False
    backoff: float = 0.0
    retry_at: float = float("-inf")
    from_session: bool = False  # kept current by the server's session events


class PlayerWatcher:
    """Run with `run()`; read with `latest()` and `playing()`; `wake()` after a command."""

    def __init__(
        self,
        bus: EventBus,
        *,
        active: Callable[[], Player | None],
        known: Callable[[], Iterable[Player]] = tuple,
        interval: float = 1.0,
        heartbeat: float = 30.0,
        max_backoff: float = 30.0,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bus = bus
        self.active = active
        self.known = known
        self.interval = interval
        self.heartbeat = heartbeat
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.clock = clock
        self._seen: dict[str, _Seen] = {}  # by player name
        self._sessions: dict[str, SessionInfo] = {}  # by session key
        self._wake = asyncio.Event()
        bus.subscribe(self._on_event)

    # --- what is known -----------------------------------------------------------------

    @property
    def fresh(self) -> float:
        """How old a read may be and still count as current: two rounds."""
        return 2 * self.interval

    def latest(self, name: str, max_age: float | None = None) -> PlaybackState | None:
        """The player's state, its position carried on to now; None when it is not watched,
        does not answer, or was last read more than `max_age` (default: `fresh`) s ago."""
        seen = self._seen.get(name)
        if seen is None or seen.state is None:
            return None
        age = self.clock() - seen.read_at
        if not seen.from_session and age > (self.fresh if max_age is None else max_age):
            return None
        return dataclasses.replace(seen.state, position_ms=interpolated(seen.state, age))

    def playing(self) -> list[PlaybackState]:
        """The current states of watched players that are playing, paused or buffering."""
        states = (self.latest(name) for name in list(self._seen))
        return [s for s in states if s is not None and s.state in STREAMING]

    def wake(self) -> None:
        """Read at once (after a command): pending retries of silent players included."""
        for seen in self._seen.values():
            seen.retry_at = float("-inf")
        self._wake.set()

    # --- the loop ----------------------------------------------------------------------

    async def run(self) -> None:
        """Forever: a round, then a pause of `interval` that `wake()` cuts short."""
        while True:
            await self.poll_once()
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
            except TimeoutError:
                pass
            self._wake.clear()

    def targets(self) -> dict[str, Player]:
        """The players whose timeline is read: the active one, and every known player
        (answering at its address) the server lists a session for."""
        found: dict[str, Player] = {}
        active = self.active()
        if active is not None:
            found[active.info.name] = active
        streaming = {s.player for s in self._sessions.values()}
        for player in self.known():
            if player.info.reachable and player.session_name in streaming:
                found.setdefault(player.info.name, player)
        return found

    async def poll_once(self) -> None:
        """One round: read every due target in parallel; forget players no longer followed."""
        targets = self.targets()
        followed = {s.player for s in self._sessions.values()} | set(targets)
        for name in [n for n in self._seen if n not in followed]:
            del self._seen[name]
        now = self.clock()
        due = [p for name, p in targets.items() if self._entry(name).retry_at <= now]
        await asyncio.gather(*(self._read(player) for player in due))

    def _entry(self, name: str) -> _Seen:
        return self._seen.setdefault(name, _Seen())

    async def _read(self, player: Player) -> None:
        name = player.info.name
        try:
            state = await asyncio.wait_for(player.state(), self.timeout)
        except PlextuiError as error:
            self._failed(player, str(error))
            return
        except TimeoutError:
            self._failed(player, f"player '{name}' did not answer within {self.timeout:g} s")
            return
        except Exception as error:  # noqa: BLE001 - a bug in one player must not stop the watch
            log.exception("reading %s failed", name)
            self._failed(player, f"player '{name}' could not be read ({type(error).__name__})")
            return
        seen = self._entry(name)
        seen.failing, seen.backoff, seen.retry_at = False, 0.0, float("-inf")
        seen.from_session = False
        self._offer(name, player.info.machine_identifier, state, player.session_name)

    def _failed(self, player: Player, message: str) -> None:
        """Say so once per outage; retry after a pause that doubles up to `max_backoff`."""
        seen = self._entry(player.info.name)
        seen.state = seen.published = None  # unknown; the first answer again is news
        seen.backoff = min(self.max_backoff, seen.backoff * 2 or self.interval)
        seen.retry_at = self.clock() + seen.backoff
        if not seen.failing:
            seen.failing = True
            info = player.info
            self.bus.publish(PlayerUnreachable(info.name, info.machine_identifier, message))

    def _offer(self, name: str, machine_id: str, state: PlaybackState, session: str) -> None:
        """Record a read; publish it when it is news, or as the heartbeat while playing."""
        seen = self._entry(name)
        now = self.clock()
        seen.state, seen.read_at = state, now
        old, elapsed = seen.published, now - seen.published_at
        beat = state.state == "playing" and elapsed >= self.heartbeat
        if old is None or beat or differs(old, state, elapsed):
            seen.published, seen.published_at = state, now
            self.bus.publish(PlayerStateChanged(name, machine_id, state, session))

    # --- the server's sessions -----------------------------------------------------------

    def _on_event(self, event: object) -> None:
        """Track sessions (they decide whom to read); players that are not read are
        followed through their session."""
        if isinstance(event, SessionStarted | SessionUpdated):
            session = event.session
            self._sessions[session.session_key] = session
            if not self._read_directly(session.player):
                self._from_session(session.player, session.playback())
        elif isinstance(event, SessionEnded):
            session = event.session
            self._sessions.pop(session.session_key, None)
            if session.player in self._seen and not self._read_directly(session.player):
                self._from_session(session.player, PlaybackState(player=session.player))
                if session.player not in {s.player for s in self._sessions.values()}:
                    del self._seen[session.player]

    def _read_directly(self, session_name: str) -> bool:
        return any(p.session_name == session_name for p in self.targets().values())

    def _from_session(self, name: str, state: PlaybackState) -> None:
        self._entry(name).from_session = True
        self._offer(name, "", state, name)
