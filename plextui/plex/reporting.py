"""TimelineReporter: tells the server what the local player is doing, as Plex players do.

PMS learns about a player's stream only from its `/:/timeline` reports: they create the
`/status/sessions` entry, store the resume point and, on a stop past 90 %, the watch
history. We report on every state change and every `interval` seconds (by the injected
clock), in order, from the pool; a failed report is logged and never stops playback.
The item is also scrobbled once when playback crosses 90 %, so it shows as watched even
if the app quits before the stop report.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from plextui.core.models import MediaItem, PlayState
from plextui.errors import PlextuiError
from plextui.plex.mpv import MpvState
from plextui.plex.server import PlexService

log = logging.getLogger(__name__)
WATCHED_AT = 0.9
LIBRARY = "com.plexapp.plugins.library"


@dataclass(frozen=True)
class _Report:
    """One timeline report, captured when queued so later changes cannot alter it."""

    rating_key: str
    key: str
    state: PlayState
    time_ms: int
    duration_ms: int | None


class TimelineReporter:
    """Position bookkeeping and ordered timeline reports for one item at a time."""

    def __init__(
        self,
        service: PlexService,
        clock: Callable[[], float],
        interval: float,
        on_terminated: Callable[[str], None],
    ) -> None:
        self.service = service
        self.interval = interval
        self.device_name = socket.gethostname() or "plextui"
        self._clock = clock
        self._on_terminated = on_terminated
        self._lock = asyncio.Lock()  # reports leave in the order they were queued
        self._tasks: set[asyncio.Future[Any]] = set()
        self._item: MediaItem | None = None
        self._key = ""
        self.position_ms = 0
        self.duration_ms: int | None = None
        self._state: PlayState = "stopped"
        self._last_report = float("-inf")
        self._scrobbled = False

    @property
    def headers(self) -> dict[str, str]:
        return {
            "X-Plex-Client-Identifier": self.service.client_id,
            "X-Plex-Product": "plextui",
            "X-Plex-Device-Name": self.device_name,
        }

    def begin(self, plex_item: Any, item: MediaItem, offset_ms: int) -> None:
        """A new stream of `item` (or the same one restarted) from `offset_ms`."""
        if self._item is None or self._item.rating_key != item.rating_key:
            self._scrobbled = False
            self.duration_ms = item.duration_ms
        self._item, self._key = item, plex_item.key
        self.position_ms = offset_ms

    def saw(self, state: MpvState) -> None:
        """Track mpv's position and duration (the file's own, which the server should get)."""
        if state.duration_s:
            self.duration_ms = int(state.duration_s * 1000)
        if state.position_s is not None:
            self.position_ms = int(state.position_s * 1000)
        if not self._scrobbled and self._past_watched(self.position_ms):
            self._scrobble()

    def moved(self, position_ms: int) -> None:
        self.position_ms = position_ms

    def _past_watched(self, position_ms: int) -> bool:
        return bool(self.duration_ms) and position_ms >= self.duration_ms * WATCHED_AT

    def changed(self, state: PlayState) -> None:
        """A state seen in mpv's events; reported only when it differs from the last one."""
        if self._item is not None and state != self._state and state != "stopped":
            self.keep(asyncio.ensure_future(self.report(state)))

    def due(self) -> bool:
        return self._item is not None and self._clock() - self._last_report >= self.interval

    async def report(self, state: PlayState | None = None) -> None:
        """Report now (`state`, or the last one again, as the periodic report does)."""
        if self._item is None:
            return
        self._state = state or self._state
        await self._send(self._snapshot(self._state, self.position_ms))

    def stopped(self, *, at_end: bool = False) -> None:
        """Queue the final report of the current item; `at_end` means it played to the end."""
        if self._item is None:
            return
        position = self.duration_ms if at_end and self.duration_ms else self.position_ms
        if at_end and not self._scrobbled:
            self._scrobble()
        self.keep(asyncio.ensure_future(self._send(self._snapshot("stopped", position))))
        self._item, self._state = None, "stopped"

    def _snapshot(self, state: PlayState, position_ms: int) -> _Report:
        assert self._item is not None
        return _Report(self._item.rating_key, self._key, state, position_ms, self.duration_ms)

    async def _send(self, report: _Report) -> None:
        async with self._lock:
            self._last_report = self._clock()
            try:
                terminated = await self.service.run(self._post, report)
            except PlextuiError as error:
                log.warning("timeline report failed: %s", error)
                return
        if terminated and report.state != "stopped":
            self._on_terminated(terminated)

    def _post(self, report: _Report) -> str | None:
        """Runs in the pool; returns the server's termination text when it ended our session."""
        params: dict[str, Any] = {
            "ratingKey": report.rating_key,
            "key": report.key,
            "identifier": LIBRARY,
            "state": report.state,
            "time": report.time_ms,
        }
        if report.duration_ms:
            params["duration"] = report.duration_ms
        data = self.service.plex.query(f"/:/timeline?{urlencode(params)}", headers=self.headers)
        return data.attrib.get("terminationText") if data is not None else None

    def _scrobble(self) -> None:
        assert self._item is not None
        self._scrobbled = True
        self.keep(asyncio.ensure_future(self._watched(self._item)))

    async def _watched(self, item: MediaItem) -> None:
        """Through the service, so cached rows stop showing the item as unwatched."""
        try:
            await self.service.mark_watched(item, True)
        except PlextuiError as error:
            log.warning("marking watched failed: %s", error)

    async def transcoder(self) -> tuple[float, bool] | None:
        """Our session's TranscodeSession (speed, throttled) from `/status/sessions`, if any."""

        def fetch() -> tuple[float, bool] | None:
            for elem in self.service.plex.query("/status/sessions"):
                player = elem.find("Player")
                if player is None or player.attrib.get("machineIdentifier") != (
                    self.service.client_id
                ):
                    continue
                transcode = elem.find("TranscodeSession")
                if transcode is None:
                    return None
                speed = float(transcode.attrib.get("speed") or 0)
                return speed, transcode.attrib.get("throttled") in ("1", "true")
            return None

        try:
            return await self.service.run(fetch)
        except PlextuiError as error:
            log.warning("transcoder check failed: %s", error)
            return None

    def keep(self, task: asyncio.Future[Any]) -> None:
        """Hold a background task until it finishes (asyncio keeps only weak references)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def flush(self) -> None:
        """Wait for every queued report and scrobble."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
