"""One event bus, fed by PMS websocket notifications with polling as the fallback.

Subscribers (TUI, Rich Presence, webhook cards, remote replies) never poll Plex
themselves: the SessionWatcher turns `playing` notifications into session start /
update / end events by diffing `/status/sessions`, and turns `timeline` / `activity`
notifications into library updates. When the websocket drops it polls and keeps trying
to reconnect with backoff, announcing each change of mode on the bus.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from plextui.core.models import PlaybackState, SessionInfo
from plextui.errors import PlextuiError
from plextui.plex.server import PlexService

log = logging.getLogger("plextui.events")


@dataclass(frozen=True)
class SessionStarted:
    session: SessionInfo


@dataclass(frozen=True)
class SessionUpdated:
    session: SessionInfo


@dataclass(frozen=True)
class SessionEnded:
    session: SessionInfo


@dataclass(frozen=True)
class LibraryUpdated:
    section_key: str


@dataclass(frozen=True)
class ConnectionChanged:
    mode: Literal["live", "polling", "offline"]
    message: str


@dataclass(frozen=True)
class PlayerStateChanged:
    """A watched player's playback changed (playerwatch.py): state, item, volume, or a
    position that moved other than by playing on."""

    player: str  # the player's name, as the Controller knows it
    machine_id: str  # "" for a player known only from the server's sessions
    state: PlaybackState
    session_name: str = ""  # its name in the server's sessions (this computer: the host)


@dataclass(frozen=True)
class PlayerUnreachable:
    """A watched player stopped answering: published once per outage, not once per poll."""

    player: str
    machine_id: str
    message: str


OFFLINE_POLL = 1.0  # seconds between tries while the server is away: back within 5 s

Event = (
    SessionStarted
    | SessionUpdated
    | SessionEnded
    | LibraryUpdated
    | ConnectionChanged
    | PlayerStateChanged
    | PlayerUnreachable
)
Subscriber = Callable[[Event], Any]


class EventBus:
    """Synchronous fan-out; a failing subscriber is logged and never stops the others."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    def publish(self, event: Event) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # noqa: BLE001 - one bad subscriber must not silence the rest
                log.exception("event subscriber failed on %s", type(event).__name__)


class SessionWatcher:
    """Keeps the bus current with the server's sessions and library changes."""

    def __init__(
        self,
        service: PlexService,
        bus: EventBus,
        *,
        poll_interval: float = 5.0,
        refresh_interval: float = 10.0,
        max_backoff: float = 30.0,
    ) -> None:
        self.service = service
        self.bus = bus
        self.poll_interval = poll_interval
        self.refresh_interval = refresh_interval
        self.max_backoff = max_backoff
        self.mode: str = "offline"
        self.sessions: dict[str, SessionInfo] = {}
        self._wake = asyncio.Event()
        self._listener: Any = None
        self._dead = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- websocket ---------------------------------------------------------------------

    def _on_alert(self, data: dict) -> None:
        """Runs in plexapi's listener thread: hand over to the loop."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._handle, data)

    def _on_error(self, error: Any) -> None:
        self._dead.set()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def _handle(self, data: dict) -> None:
        kind = data.get("type")
        if kind == "playing":
            self._wake.set()
        elif kind == "timeline":
            for entry in data.get("TimelineEntry", []):
                if entry.get("identifier") == "com.plexapp.plugins.library" and entry.get(
                    "sectionID"
                ):
                    self.bus.publish(LibraryUpdated(str(entry["sectionID"])))
        elif kind == "activity":
            for note in data.get("ActivityNotification", []):
                activity = note.get("Activity", {})
                section = activity.get("Context", {}).get("librarySectionID")
                if note.get("event") == "ended" and section:
                    self.bus.publish(LibraryUpdated(str(section)))

    async def _start_listener(self) -> bool:
        self._dead.clear()
        try:
            self._listener = await self.service.run(
                lambda: self.service.plex.startAlertListener(self._on_alert, self._on_error)
            )
        except PlextuiError:
            return False
        await asyncio.sleep(0.2)
        return self._listener.is_alive() and not self._dead.is_set()

    def _listener_alive(self) -> bool:
        return self._listener is not None and self._listener.is_alive() and not self._dead.is_set()

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.stop()
            except Exception:  # noqa: BLE001 - it may never have connected
                pass

    # --- the loop ----------------------------------------------------------------------

    def _set_mode(self, mode: Literal["live", "polling", "offline"], message: str) -> None:
        if mode != self.mode:
            self.mode = mode
            self.bus.publish(ConnectionChanged(mode, message))

    async def refresh(self) -> None:
        """Diff the server's sessions against the last view and publish the changes."""
        current = {s.session_key: s for s in await self.service.sessions()}
        for key, session in current.items():
            if key not in self.sessions:
                self.bus.publish(SessionStarted(session))
            elif session != self.sessions[key]:
                self.bus.publish(SessionUpdated(session))
        for key, session in self.sessions.items():
            if key not in current:
                self.bus.publish(SessionEnded(session))
        self.sessions = current

    async def run(self) -> None:
        """Forever: live on the websocket when possible, polling when not."""
        self._loop = asyncio.get_running_loop()
        backoff = 1.0
        next_attempt = 0.0
        while True:
            now = self._loop.time()
            if self._listener is not None and not self._listener_alive():
                self._listener = None  # the socket dropped: poll, and retry after a pause
                next_attempt = now + backoff
                backoff = min(self.max_backoff, backoff * 2)
                self._set_mode("polling", "live updates lost; polling the server")
            if self._listener is None and now >= next_attempt:
                if await self._start_listener():
                    backoff = 1.0
                    self._set_mode("live", "connected to the Plex server")
                else:
                    self._listener = None
                    next_attempt = now + backoff
                    backoff = min(self.max_backoff, backoff * 2)
            try:
                await self.refresh()
            except PlextuiError as error:
                self._set_mode("offline", str(error))
            else:
                if self._listener_alive():  # back from an HTTP fault the socket outlived
                    self._set_mode("live", "connected to the Plex server")
                elif self.mode == "offline":  # the server is back: try the socket at once
                    backoff, next_attempt = 1.0, 0.0
                    self._set_mode("polling", "the server answers again; reconnecting")
                    continue
                else:
                    self._set_mode("polling", "live updates lost; polling the server")
            interval = self.refresh_interval if self._listener_alive() else self.poll_interval
            if self.mode == "offline":
                interval = min(interval, OFFLINE_POLL)
            await self._pause(interval)

    async def _pause(self, seconds: float) -> None:
        """Sleep until a notification, the interval, or the websocket dying (checked twice a second)."""
        was_alive = self._listener_alive()
        self._wake.clear()
        end = asyncio.get_running_loop().time() + seconds
        while (left := end - asyncio.get_running_loop().time()) > 0:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=min(left, 0.5))
                await asyncio.sleep(0.05)  # let a burst of notifications settle
                return
            except TimeoutError:
                if was_alive and not self._listener_alive():
                    return
