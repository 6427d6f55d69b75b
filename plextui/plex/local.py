"""LocalPlayer: "This computer" — plays in mpv and reports to the server like any Plex player.

Quality lives here because only a stream we open ourselves can be shaped: the decision
comes from core.quality, the URL from plexapi (the part's download URL for direct play,
the universal transcoder otherwise), and Auto moves down or up the ladder on what the
server's TranscodeSession and mpv's buffering say. Progress goes to `/:/timeline` (see
reporting.py), so the server keeps resume points, marks items watched and lists the
session in `/status/sessions`. URLs carry the token, so none reaches a message or log.
Which audio and subtitles play, and switching them, is localtracks.py's (a mixin).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from plextui.core.autoquality import AutoQuality
from plextui.core.models import MediaItem, PlaybackState, PlayerInfo, PlayState
from plextui.core.quality import (
    Decision,
    QualityLimits,
    QualityProfile,
    auto_ladder,
    available_profiles,
    decide,
    profile,
)
from plextui.core.timecode import SeekTarget
from plextui.core.tracks import Tracks
from plextui.core.volume import VolumeChange
from plextui.errors import StreamError
from plextui.plex import convert
from plextui.plex.localtracks import LocalTracks
from plextui.plex.mpv import MpvClient, MpvState
from plextui.plex.players import fetch_media, seek_position
from plextui.plex.reporting import TimelineReporter
from plextui.plex.server import PlexService
from plextui.plex.tracks import tracks_of

log = logging.getLogger(__name__)
SETTLE_STEPS = 100  # × 10 ms: how long to wait for mpv to echo a property we set

INFO = PlayerInfo(
    name="This computer",
    product="plextui (mpv)",
    local=True,
    capabilities=frozenset({"playback", "timeline"}),
)


class LocalPlayer(LocalTracks):
    """A Player over one lazily started mpv; a crashed mpv is replaced on next play."""

    info = INFO

    def __init__(
        self,
        service: PlexService,
        limits: QualityLimits,
        *,
        headless: bool = False,
        quality: str = "auto",
        clock: Callable[[], float] = time.monotonic,
        report_interval: float = 10.0,
        notify: Callable[[str], None] | None = None,
        metrics: Any = None,
        poll_interval: float = 1.0,
    ) -> None:
        self.service = service
        self.limits = limits
        self.headless = headless
        self.metrics = metrics
        self.error: str | None = None  # why playback last ended badly (mpv crash, bad stream)
        self._clock = clock
        self._notify = notify or (lambda message: None)
        self._poll_interval = poll_interval
        self._profile = self._offered(profile(quality))
        self._auto: AutoQuality | None = None
        self._mpv: MpvClient | None = None
        self._plex_item: Any = None  # the plexapi item: URLs and media details
        self._item: MediaItem | None = None
        self._decision: Decision | None = None
        self._media_index = 0  # the version of the item that plays
        self._tracks = Tracks(None, (), ())  # its tracks, selected as mpv plays them
        self._sids: dict[int, int] = {}  # subtitle stream id → mpv sid, for this load
        self._switching = False  # a loadfile of ours is replacing the current file
        self._was_buffering = False
        self._repeat = "off"
        self._lock = asyncio.Lock()  # one play / restart / stop at a time
        self._ticker: asyncio.Task[None] | None = None
        self._reporter = TimelineReporter(service, clock, report_interval, self._terminated)

    @property
    def session_name(self) -> str:
        """How this computer appears as a player in the server's sessions: its host name."""
        return self._reporter.device_name

    # --- quality -----------------------------------------------------------------------

    def _offered(self, chosen: QualityProfile) -> QualityProfile:
        offered = available_profiles(self.limits)
        if chosen not in offered:
            names = ", ".join(p.name for p in offered)
            raise StreamError(f"{chosen.label} is above the configured limits; choose {names}")
        return chosen

    def _new_auto(self) -> AutoQuality | None:
        ladder = auto_ladder(self.limits)
        return AutoQuality(ladder, now=self._clock()) if self._profile.is_auto and ladder else None

    @property
    def quality_label(self) -> str:
        """`Auto · 720p 4 Mbps` under Auto, else the chosen rung (what the stream is held to)."""
        if self._decision is None:
            return self._profile.label
        label = self._decision.profile.label
        return f"Auto · {label}" if self._profile.is_auto else label

    async def set_quality(self, name: str) -> str:
        """Choose a rung; a playing stream restarts at the same position with the new URL.

        A rung the file cannot have (transcoding off) leaves the old choice in place.
        """
        before = self._profile, self._auto, self._decision
        self._profile = self._offered(profile(name))
        self._auto, self._decision = self._new_auto(), None
        try:
            await self._restart()
        except StreamError:
            self._profile, self._auto, self._decision = before
            raise
        return self.quality_label

    def _decide(self) -> Decision:
        media = convert.media_item(self._plex_item).media
        if not media:
            raise StreamError("this item has no playable file")
        rung = self._auto.current if self._auto is not None else self._profile
        return decide(media[min(self._media_index, len(media) - 1)], rung, self.limits)

    def _stream_url(self, decision: Decision, offset_s: int) -> str:
        """Runs in the pool. Our client id in the URL ties the stream to our timeline session."""
        client = {"X-Plex-Client-Identifier": self.service.client_id}
        index = min(self._media_index, len(self._plex_item.media) - 1)
        if decision.kind == "directplay":
            part = self._plex_item.media[index].parts[0]
            return self.service.plex.url(f"{part.key}?{urlencode(client)}", includeToken=True)
        audio = self._tracks.selected_audio  # a transcode carries this one audio track
        chosen = {"audioStreamID": audio.id} if audio is not None else {}
        return self._plex_item.getStreamURL(
            **decision.params, offset=offset_s, mediaIndex=index, **chosen, **client
        )

    # --- mpv ---------------------------------------------------------------------------

    async def _player(self) -> MpvClient:
        if self._mpv is None or not self._mpv.alive:
            self._mpv = await MpvClient.start(headless=self.headless)
            self._mpv.subscribe(self._on_mpv)
        return self._mpv

    def _on_mpv(self, event: str, state: MpvState) -> None:
        """mpv's pushed changes: report state changes, notice ends, crashes and stalls."""
        if self._item is None or self._switching:
            return
        self._reporter.saw(state)
        if event == "crashed":
            self._mpv = None
            self._end("mpv stopped unexpectedly; play again to start it afresh")
        elif event == "end-file" and state.ended_reason == "eof":
            self._end(None, at_end=True)
        elif event == "end-file" and state.ended_reason == "error":
            self._end(f"the stream failed ({state.error or 'mpv error'})")
        elif event == "property-change":
            if state.buffering and not self._was_buffering:
                self._feed_auto(buffering=True)
            self._was_buffering = state.buffering
            self._reporter.changed(self._play_state(state))

    def _end(self, error: str | None, at_end: bool = False) -> None:
        self.error = error
        if error:
            self._notify(error)
        self._reporter.stopped(at_end=at_end)
        self._item = None

    def _terminated(self, reason: str) -> None:
        """The server ended our session (an admin's "stop stream"): stop and say why."""
        if self._item is None:
            return
        self._end(f"the server stopped playback: {reason}")
        if self._mpv is not None and self._mpv.alive:
            self._reporter.keep(asyncio.ensure_future(self._mpv.stop()))

    @staticmethod
    def _play_state(state: MpvState) -> PlayState:
        if state.idle or state.path is None:
            return "stopped"
        if state.paused:
            return "paused"
        return "buffering" if state.buffering else "playing"

    # --- Player ------------------------------------------------------------------------

    async def play(self, item: MediaItem, offset_ms: int = 0, media_index: int = 0) -> None:
        """Start `item` (its version `media_index`) at `offset_ms` (the caller decides
        resume: `service.view_offset`), on the tracks the server has selected for it."""
        async with self._lock:
            if self._item is not None:
                self._reporter.stopped()
            self.error = None
            plex_item = await self.service.run(lambda: fetch_media(self.service.plex, item))
            self._plex_item, self._item = plex_item, item
            self._media_index = media_index
            self._tracks = tracks_of(plex_item, media_index)
            self._auto = self._new_auto()
            try:
                await self._load(offset_ms)
            except BaseException:
                self._item = None
                raise
        self._start_ticker()

    async def _load(self, offset_ms: int) -> None:
        """Decide, build the URL, (re)open it in mpv at `offset_ms`, and report it."""
        assert self._item is not None
        began = time.perf_counter()
        decision = self._decide()
        url = await self.service.run(self._stream_url, decision, offset_ms // 1000)
        mpv = await self._player()
        self._switching = True
        try:
            self._reporter.begin(self._plex_item, self._item, offset_ms)
            await mpv.loadfile(url, offset_ms / 1000, self._track_options())
            await self._load_tracks(mpv, one_audio=decision.kind != "directplay")
        finally:
            self._switching = False
        self._decision = decision
        self._reporter.saw(mpv.state)
        if self.metrics is not None:
            self.metrics.record("stream.start", time.perf_counter() - began)
        await self._reporter.report("paused" if mpv.state.paused else "playing")

    async def _restart(self) -> None:
        """Reopen the current item at its position with a fresh decision (quality change)."""
        async with self._lock:
            if self._item is not None and self._mpv is not None and self._mpv.alive:
                await self._load(self._reporter.position_ms)

    async def pause(self) -> None:
        await self._set_pause(True)

    async def resume(self) -> None:
        await self._set_pause(False)

    async def _set_pause(self, paused: bool) -> None:
        """mpv pushes the new `pause` a moment after its reply; wait for it, so `state()`
        and the events that follow agree with the report sent here."""
        mpv = self._require()
        await mpv.set_pause(paused)
        for _ in range(SETTLE_STEPS):
            if mpv.state.paused == paused:
                break
            await asyncio.sleep(0.01)
        await self._reporter.report("paused" if paused else "playing")

    def _require(self) -> MpvClient:
        if self._item is None or self._mpv is None or not self._mpv.alive:
            raise StreamError(self.error or "nothing is playing on this computer")
        return self._mpv

    async def stop(self) -> None:
        mpv = self._require()
        self._reporter.stopped()
        self._item = None  # before mpv's own end events, which are ours and not news
        await mpv.stop()
        await self._reporter.flush()

    async def seek(self, target: SeekTarget) -> int:
        mpv = self._require()
        position = seek_position(target, await self.state())
        await mpv.seek(position / 1000)
        self._reporter.moved(position)
        await self._reporter.report(self._play_state(mpv.state))
        return position

    async def next(self) -> None:
        raise StreamError("This computer plays one item at a time; play the next one by name")

    async def prev(self) -> None:
        raise StreamError("This computer plays one item at a time; play the previous one by name")

    async def shuffle(self, on: bool) -> bool:
        raise StreamError("This computer plays one item at a time; there is nothing to shuffle")

    async def repeat(self, mode: str) -> str:
        """Only `one` (mpv loops the file) and `off` make sense without a queue."""
        mpv = self._require()
        if mode == "all":
            raise StreamError("This computer plays one item at a time: repeat one or off")
        await mpv.command("set_property", "loop-file", "inf" if mode == "one" else "no")
        self._repeat = mode
        return mode

    async def volume(self, change: VolumeChange) -> int:
        mpv = self._require()
        level = change.apply(round(mpv.state.volume))
        await mpv.set_volume(level)
        return level

    async def state(self, max_age: float = 0.0) -> PlaybackState:
        """mpv pushes its changes, so what is known here is always fresh."""
        mpv = self._mpv
        if self._item is None or mpv is None or not mpv.alive:
            return PlaybackState(player=self.info.name, quality=self.quality_label)
        return PlaybackState(
            player=self.info.name,
            item=self._item,
            state=self._play_state(mpv.state),
            position_ms=self._reporter.position_ms,
            duration_ms=self._reporter.duration_ms,
            volume=round(mpv.state.volume),
            repeat=self._repeat,  # type: ignore[arg-type]
            quality=self.quality_label,
            decision=self._decision.kind if self._decision else None,
            media_index=self._media_index,
            audio_id=audio.id if (audio := self._tracks.selected_audio) else None,
            subtitle_id=subtitle.id if (subtitle := self._tracks.selected_subtitle) else 0,
        )

    # --- periodic work -------------------------------------------------------------------

    def _start_ticker(self) -> None:
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.create_task(self._tick_forever(), name="local-player")

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self._poll_interval)
            try:
                await self.tick()
            except Exception as error:  # noqa: BLE001 - the next tick tries again
                log.warning("local player tick failed: %s", error)

    async def tick(self) -> None:
        """Work due by the injected clock: the periodic timeline and the transcoder check."""
        if self._item is None or self._switching or not self._reporter.due():
            return
        await self._reporter.report()
        if self._decision is not None and self._decision.kind != "directplay":
            found = await self._reporter.transcoder()
            if found is not None:
                speed, throttled = found
                if self.metrics is not None:
                    self.metrics.record("transcode.speed", speed)
                await self._feed_auto_now(speed=speed, throttled=throttled)

    def _feed_auto(self, **report: Any) -> None:
        self._reporter.keep(asyncio.ensure_future(self._feed_auto_now(**report)))

    async def _feed_auto_now(self, **report: Any) -> None:
        """One observation for Auto; a step it takes restarts the stream and is announced."""
        if self._auto is None:
            return
        change = self._auto.report(self._clock(), **report)
        if change is not None:
            await self._restart()
            self._notify(change.message)

    async def close(self) -> None:
        """Report the end of anything playing, stop the ticker and quit mpv."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self._item is not None:
            self._reporter.stopped()
            self._item = None
        await self._reporter.flush()
        if self._mpv is not None:
            await self._mpv.close()
            self._mpv = None
