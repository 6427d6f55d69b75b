"""The emulator's shared heart: library, state, notifier, clock and the playback simulation.

Routes, players and the harness all talk to one Core, always on the loop thread.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .faults import Faults
from .gdm import Listener
from .library import Library
from .media import MediaFiles
from .notify import Notifier
from .state import State

if TYPE_CHECKING:
    from .players import Player

log = logging.getLogger(__name__)
VERSION = "1.41.3.9314-a0bfb8370"


class Core:
    def __init__(
        self,
        *,
        token: str,
        size: int,
        seed: int,
        clock,
        files: MediaFiles,
        friendly_name: str = "plextui demo",
    ) -> None:
        self.token, self.clock, self.files = token, clock, files
        self.library = Library(seed=seed, size=size)
        self.state = State(self.library, clock.now)
        self.notifier = Notifier()
        self.faults = Faults()
        self.friendly_name = friendly_name
        self.machine_identifier = hashlib.sha1(f"plextui-emu-{seed}".encode()).hexdigest()
        self.players: list[Player] = []
        self.gdm = Listener()  # the players heard by GDM (HELLO / BYE): /clients
        self.requests: list[tuple[str, str, dict]] = []
        self.url = ""
        self._last_tick = clock.now()
        # Tokens of Plex Home / shared users (as plex.tv hands out per server): token -> account.
        self.user_tokens: dict[str, tuple[int, str]] = {}
        # /security/token hands out transient tokens with the caller's access: token -> the
        # token it was made from (valid until the server restarts, like PMS's).
        self.transient_tokens: dict[str, str] = {}
        # Every client that has talked to us, for /devices: identifier -> Device attributes.
        self.devices: dict[str, dict] = {}
        # HLS transcode sessions (routes_media): session id -> ratingKey.
        self.hls_sessions: dict[str, int] = {}
        # Running activities (library scans …), for /activities: uuid -> Activity attributes.
        self.activities: dict[str, dict] = {}

    def token_ok(self, token: str | None) -> bool:
        if self.faults.token_revoked or not token:
            return False
        token = self.transient_tokens.get(token, token)
        return token == self.token or token in self.user_tokens

    def account_of(self, token: str | None) -> tuple[int, str] | None:
        """The non-admin account a token belongs to; None for the owner's token."""
        token = self.transient_tokens.get(token or "", token)
        return self.user_tokens.get(token or "")

    def saw_device(self, identifier: str, value: Callable[[str], str | None]) -> None:
        """Remember a client by its X-Plex-* values (`value` reads header or query), once."""
        if identifier in self.devices:
            return
        self.devices[identifier] = {
            "id": len(self.devices) + 100,
            "name": value("X-Plex-Device-Name") or value("X-Plex-Product") or "",
            "platform": value("X-Plex-Platform") or "",
            "clientIdentifier": identifier,
            "createdAt": int(self.clock.now()),
        }

    def player_by_id(self, machine_id: str) -> Player | None:
        return next((p for p in self.players if p.machine_identifier == machine_id), None)

    async def report(self, client_id: str, player: dict, rk: int, state: str, offset: int, **kw):
        """Route a timeline report into sessions and push the resulting `playing` notifications."""
        session, notes = self.state.report(client_id, player, rk, state, offset, **kw)
        if notes:
            await self.notifier.publish("playing", "PlaySessionStateNotification", notes)
        return session

    async def tick(self) -> None:
        """Advance every player to the clock's now: positions, item ends, sessions, stats."""
        now = self.clock.now()
        elapsed, self._last_tick = max(now - self._last_tick, 0.0), now
        for player in self.players:
            await player.simulate()
        if elapsed:
            self.state.account_bytes(elapsed)
        for session in list(self.state.sessions.values()):
            if session.extra.get("foreign"):
                item = self.library.get(session.rk)
                if session.state == "playing" and item is not None:
                    session.offset = min(session.offset + int(elapsed * 1000), item.duration)

    async def touch_section(self, section_id: int) -> None:
        """What a library scan looks like on the wire: activity start/update/end plus timeline entries."""
        section = self.library.sections[int(section_id)]
        uuid = f"scan-{section_id}-{int(self.clock.now())}"
        for event, progress in (("started", 0), ("updated", 50), ("ended", 100)):
            self.activities[uuid] = activity = {
                "uuid": uuid,
                "type": "library.update.section",
                "cancellable": False,
                "userID": 1,
                "title": f"Scanning {section.title}",
                "subtitle": "",
                "progress": progress,
                "Context": {"librarySectionID": str(section.id)},
            }
            await self.notifier.publish(
                "activity",
                "ActivityNotification",
                [{"event": event, "uuid": uuid, "Activity": activity}],
            )
        del self.activities[uuid]
        items = next(iter(section.by_type.values()), [])[:3]
        entries = [
            {
                "identifier": "com.plexapp.plugins.library",
                "sectionID": str(section.id),
                "itemID": str(i.rk),
                "type": {"movie": 1, "show": 2, "artist": 8}[section.kind],
                "title": i.title,
                "state": 5,
                "metadataState": "created",
                "updatedAt": int(self.clock.now()),
            }
            for i in items
        ]
        section.updated_at = int(self.clock.now())
        await self.notifier.publish("timeline", "TimelineEntry", entries)
