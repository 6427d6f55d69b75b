"""What the server is doing and has done: history, sessions, bandwidth, settings.

Never cached: sessions and history change by the second and are shown as they are.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from plextui.core.models import BandwidthSample, HistoryEntry, MediaItem, SessionInfo
from plextui.errors import MediaError
from plextui.plex import convert


class ActivityOps:
    """Mixed into PlexService; uses its run plumbing, its reads (`_get`) and plexapi."""

    def _account_names(self) -> dict[int, str]:
        if self._accounts is None:
            data = self.plex.query("/accounts")
            self._accounts = {int(a.attrib.get("id", -1)): a.attrib.get("name", "") for a in data}
        return self._accounts

    async def history(
        self, *, user: str | None = None, item: MediaItem | None = None, size: int = 50
    ) -> list[HistoryEntry]:
        def fetch() -> list[HistoryEntry]:
            accounts = self._account_names()
            params: dict[str, Any] = {"sort": "viewedAt:desc"}
            if user:
                ids = [i for i, name in accounts.items() if name.lower() == user.lower()]
                if not ids:
                    raise MediaError(f"no Plex user named '{user}'")
                params["accountID"] = ids[0]
            if item is not None:
                params["metadataItemID"] = item.rating_key
            key = "/status/sessions/history/all?" + urlencode(params)
            headers = {"X-Plex-Container-Start": "0", "X-Plex-Container-Size": str(size)}
            data = self.plex.query(key, headers=headers)
            return [convert.history_entry(e, accounts) for e in self.plex.findItems(data)]

        return await self.run(fetch)

    def _sessions(self) -> list[Any]:
        """One request: plexapi's own sessions() pages until the answer's totalSize, which a
        garbled server could set to anything."""
        path = "/status/sessions"
        return self.plex.findItems(self.plex.query(path), initpath=path)

    async def sessions(self) -> list[SessionInfo]:
        """What streams now, read from the XML (the Controller asks before every transport
        command: plexapi's objects for it cost more than the parse)."""

        def fetch() -> list[SessionInfo]:
            answer = self._get("/status/sessions")
            return [convert.session(e) for e in answer if e.tag in convert.ITEM_TAGS]

        return await self.run(fetch)

    async def terminate(self, session_key: str, reason: str = "") -> None:
        def stop() -> None:
            for s in self._sessions():
                if str(s.sessionKey) == str(session_key):
                    s.stop(reason=reason)
                    return
            raise MediaError(f"no session {session_key} is playing")

        await self.run(stop)

    async def bandwidth(self, timespan: str = "seconds") -> tuple[BandwidthSample, ...]:
        return await self.run(lambda: convert.bandwidth(self.plex.bandwidth(timespan=timespan)))

    async def server_settings(self) -> dict[str, str]:
        """The transcoder preferences a user asks about, read from `/:/prefs`."""
        wanted = (
            "TranscoderQuality",
            "TranscoderH264Preset",
            "FriendlyName",
            "TranscoderThrottleBuffer",
        )

        def fetch() -> dict[str, str]:
            data = self.plex.query("/:/prefs")
            return {
                s.attrib["id"]: s.attrib.get("value", "")
                for s in data
                if s.attrib.get("id") in wanted
            }

        return await self.run(fetch)

    async def account_name(self) -> str | None:
        """Who the token belongs to: the plex.tv username, else the server's owner account
        (id 1 in `/accounts`), for mirroring "my" sessions only."""

        def fetch() -> str:
            name = getattr(self.plex, "myPlexUsername", "") or ""
            return name or self._account_names().get(1) or ""

        # cached per token (hashed): `ctl now` would otherwise ask /accounts on every run
        key = "account:" + hashlib.sha256(self.token.encode()).hexdigest()[:16]
        return await self._ask(key, str, fetch) or None
