"""Mutable server state: accounts, history, playlists, play queues and playback sessions.

All methods run on the emulator's event loop thread; the harness hops there first.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from . import versions
from .library import Item, Library
from .xml import VIDEO_BITRATES

ACCOUNTS = ((1, "demo"), (2, "alice"), (3, "bob"), (4, "carol"))
DEVICES = ((1, "Living Room TV"), (2, "Kitchen Plexamp"), (3, "Bedroom Roku"), (4, "Phone"))
SCROBBLE_AT = 0.9


@dataclass
class Playlist:
    id: int
    title: str
    kind: str  # video | audio
    items: list[tuple[int, int]]  # (playlistItemID, ratingKey)
    added_at: int
    updated_at: int
    summary: str = ""
    content: str = ""  # a smart playlist's rules (its generator URI); "" for a dumb one


@dataclass
class PlayQueue:
    id: int
    kind: str
    items: list[tuple[int, int]]  # (playQueueItemID, ratingKey)
    selected: int = 0
    version: int = 1
    shuffled: bool = False
    source: str = ""


@dataclass
class Session:
    key: int
    rk: int
    client_id: str
    player: dict
    user: tuple[int, str]
    state: str = "playing"
    offset: int = 0
    transcode: bool = False
    lan: bool = True
    session_id: str = ""
    started: float = 0.0
    transcode_started: float = 0.0
    transcode_from: int = 0
    play_queue_item: int = 0
    extra: dict = field(default_factory=dict)


class State:
    def __init__(self, lib: Library, now) -> None:
        self.lib, self.now = lib, now
        self._ids = itertools.count(1000)
        self._session_keys = itertools.count(1)
        self.history: list[dict] = []
        self.playlists: dict[int, Playlist] = {}
        self.play_queues: dict[int, PlayQueue] = {}
        self.sessions: dict[str, Session] = {}  # by client id
        self.bandwidth: list[dict] = []
        self.terminated: dict[str, str] = {}  # client id -> reason, told on its next /:/timeline
        # client id -> (started, from offset ms): universal-transcoder requests that named
        # their client, so that client's timeline session carries a TranscodeSession
        self.transcodes: dict[str, tuple[float, int]] = {}
        self.media_of: dict[str, int] = {}  # client → the version (Media) its stream is of
        for rk, account, viewed_at in lib.history_seed:
            self.history.append(self._history_entry(rk, account, viewed_at, (account % 4) + 1))
        self._seed_playlists()

    def next_id(self) -> int:
        return next(self._ids)

    # ----- history -----
    def _history_entry(self, rk: int, account: int, viewed_at: int, device: int) -> dict:
        return {
            "id": self.next_id(),
            "rk": rk,
            "account": account,
            "viewedAt": int(viewed_at),
            "device": device,
        }

    def add_history(self, item: Item, account: int, device: int) -> None:
        self.history.append(self._history_entry(item.rk, account, self.now(), device))

    # ----- playlists -----
    def _seed_playlists(self) -> None:
        rng = random.Random(self.lib.seed + 7)
        pools = {
            "Movie Night": ("video", self.lib.sections[1].by_type.get(1, [])),
            "Binge Queue": ("video", self.lib.sections[2].by_type.get(4, [])),
            "Kitchen Mix": ("audio", self.lib.sections[3].by_type.get(10, [])),
        }
        for title, (kind, pool) in pools.items():
            picks = rng.sample(pool, min(len(pool), 12))
            self.create_playlist(title, kind, [i.rk for i in picks], stamp=1_700_000_000)

    def create_playlist(
        self, title: str, kind: str, rks: list[int], stamp: int | None = None
    ) -> Playlist:
        now = int(stamp or self.now())
        pl = Playlist(self.next_id(), title, kind, [(self.next_id(), rk) for rk in rks], now, now)
        self.playlists[pl.id] = pl
        return pl

    # ----- play queues -----
    def create_play_queue(
        self, kind: str, rks: list[int], start_rk: int | None, shuffle: bool, source: str
    ) -> PlayQueue:
        if shuffle:
            rks = rks[:]
            random.Random(len(rks)).shuffle(rks)
        pq = PlayQueue(
            self.next_id(),
            kind,
            [(self.next_id(), rk) for rk in rks],
            shuffled=shuffle,
            source=source,
        )
        if start_rk is not None:
            pq.selected = next((n for n, (_, rk) in enumerate(pq.items) if rk == start_rk), 0)
        self.play_queues[pq.id] = pq
        return pq

    # ----- sessions -----
    def report(
        self,
        client_id: str,
        player: dict,
        rk: int,
        state: str,
        offset: int,
        *,
        user: tuple[int, str] = ACCOUNTS[0],
        transcode: bool = False,
        lan: bool = True,
        play_queue_item: int = 0,
        duration: int | None = None,
        media_index: int | None = None,
    ) -> tuple[Session | None, list[dict]]:
        """A player's timeline report: create/update/stop its session; returns notifications."""
        item = self.lib.get(rk)
        session = self.sessions.get(client_id)
        notes: list[dict] = []
        if session is not None and session.rk == rk and duration:
            session.extra["duration"] = duration
        if session is not None and (session.rk != rk or state == "stopped"):
            notes.append(self._end(session, session.offset if session.rk != rk else offset))
            session = None
        if item is None or state == "stopped":
            return None, notes
        if session is None:
            key = next(self._session_keys)
            started, start_offset = self.transcodes.get(client_id, (self.now(), offset))
            session = Session(
                key,
                rk,
                client_id,
                player,
                user,
                transcode=transcode or client_id in self.transcodes,
                lan=lan,
                session_id=f"{self.lib.seed:x}{key:06x}session",
                started=self.now(),
                transcode_started=started,
                transcode_from=start_offset,
            )
            session.extra["views"] = item.view_count
            self.sessions[client_id] = session
        session.state, session.offset, session.player = state, int(offset), player
        session.play_queue_item = play_queue_item
        session.extra["media_index"] = (
            self.media_of.get(client_id, 0) if media_index is None else media_index
        )
        if duration:
            session.extra["duration"] = duration
        item.view_offset = int(offset)
        item.last_viewed_at = int(self.now())
        notes.append(self.playing_note(session))
        return session, notes

    def _end(self, session: Session, offset: int) -> dict:
        """Stopping writes the resume point, or scrobbles and records history past 90%."""
        self.sessions.pop(session.client_id, None)
        self.transcodes.pop(session.client_id, None)
        item = self.lib.get(session.rk)
        # A player that really plays the emulator's 20 s stand-in media reports that length.
        duration = min(item.duration, session.extra.get("duration") or item.duration) if item else 0
        if item is not None:
            if duration and offset >= duration * SCROBBLE_AT:
                if item.view_count == session.extra.get("views", item.view_count):
                    item.view_count += 1  # once per play, even if the player also scrobbled
                item.view_offset = 0
                item.last_viewed_at = int(self.now())
                device = next((d for d, name in DEVICES if name == session.player.get("title")), 4)
                self.add_history(item, session.user[0], device)
                self.lib.invalidate_sorts()
            else:
                item.view_offset = int(offset)
        session.state = "stopped"
        session.offset = int(offset)
        return self.playing_note(session)

    def stop_session(self, client_id: str) -> dict | None:
        session = self.sessions.get(client_id)
        return None if session is None else self._end(session, session.offset)

    def playing_note(self, s: Session) -> dict:
        note = {
            "sessionKey": str(s.key),
            "clientIdentifier": s.client_id,
            "guid": "",
            "ratingKey": str(s.rk),
            "url": "",
            "key": f"/library/metadata/{s.rk}",
            "viewOffset": int(s.offset),
            "state": s.state,
            "playQueueItemID": s.play_queue_item,
        }
        if s.transcode:
            note["transcodeSession"] = transcode_key(s)
        return note

    def start_transcode(self, client_id: str, offset_ms: int) -> None:
        """A universal-transcoder start for a client: its (next) session is a transcode."""
        self.transcodes[client_id] = (self.now(), offset_ms)
        if (session := self.sessions.get(client_id)) is not None:
            session.transcode = True
            session.transcode_started, session.transcode_from = self.now(), offset_ms

    def end_transcode(self, client_id: str) -> None:
        """The client fetched a part directly: it direct plays now."""
        self.transcodes.pop(client_id, None)
        if (session := self.sessions.get(client_id)) is not None:
            session.transcode = False

    def transcode_info(self, s: Session, speed: float | None = None) -> dict:
        """Simulated transcoder: runs ahead at `speed` (default 4×) and throttles once 60 s
        are buffered; a speed below 1 (Faults.transcoder_speed) falls behind playback."""
        speed = 4.0 if speed is None else speed
        item = self.lib.get(s.rk)
        duration = item.duration if item else 1
        elapsed = max(self.now() - s.transcode_started, 0.0)
        buffered = min(duration, s.transcode_from + int(elapsed * speed * 1000))
        throttled = buffered - s.offset > 60_000
        return {
            "progress": round(100.0 * buffered / max(duration, 1), 1),
            "speed": 0.0 if throttled else speed,
            "throttled": throttled,
            "complete": buffered >= duration,
            "maxOffsetAvailable": round(buffered / 1000, 3),
            "remaining": max(int((duration - buffered) / (1000 * max(speed, 0.01))), 0),
        }

    def session_bandwidth(self, s: Session) -> int:
        """kbps: the transcode target, or the file's own bitrate when direct playing."""
        item = self.lib.get(s.rk)
        if item is None or s.state != "playing":
            return 0
        if s.transcode:
            return 4000
        if item.kind == "track":
            return 900
        found = versions.versions(item.kind, item.rk, item.resolution)
        playing = found[min(s.extra.get("media_index", 0), len(found) - 1)]
        return VIDEO_BITRATES.get(playing.resolution, 8000)

    def account_bytes(self, seconds: float) -> None:
        """Accumulate bandwidth statistics for every playing session."""
        now = int(self.now())
        for s in self.sessions.values():
            kbps = self.session_bandwidth(s)
            if kbps:
                device = next((d for d, name in DEVICES if name == s.player.get("title")), 4)
                self.bandwidth.append(
                    {
                        "accountID": s.user[0],
                        "deviceID": device,
                        "timespan": 6,
                        "at": now,
                        "lan": s.lan,
                        "bytes": int(kbps * 125 * seconds),
                    }
                )
        del self.bandwidth[:-500]


def transcode_key(s: Session) -> str:
    return f"{s.session_id}-transcode"
