"""LocalPlayer: the real mpv (headless) playing the emulator's media, reporting to it."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import uuid

import pytest

from plextui.core.commands import VolumeChange
from plextui.core.metrics import Metrics
from plextui.core.quality import QualityLimits
from plextui.core.timecode import SeekTarget
from plextui.emulators.plex.clock import ManualClock
from plextui.errors import StreamError
from plextui.plex.local import LocalPlayer


class FakeClock:
    """The player's clock: periodic reports and Auto's calm period move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def until(predicate, timeout: float = 8.0, what: str = "condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": "local-token", "size": 200, "seed": 11, "players": 0, "clock": ManualClock()}


@pytest.fixture
def service_options() -> dict:
    return {"client_id": f"plextui-local-{uuid.uuid4().hex[:8]}"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def notes() -> list[str]:
    return []


@pytest.fixture
async def make(service, clock, notes):
    players: list[LocalPlayer] = []

    def build(limits: QualityLimits | None = None, **kw) -> LocalPlayer:
        kw.setdefault("clock", clock)
        local = LocalPlayer(
            service, limits or QualityLimits(), headless=True, notify=notes.append, **kw
        )
        players.append(local)
        return local

    yield build
    for local in players:
        await local.close()


def pick(emu, kind: str, test) -> str:
    """A rating key of the emulated library matching `test` (its media follows from rk)."""
    types = {"movie": 1, "track": 10}
    section = next(s for s in emu.library.sections.values() if types[kind] in s.by_type)
    return str(next(i.rk for i in section.by_type[types[kind]] if test(i)))


def ours(emu, service) -> dict | None:
    return next((s for s in emu.sessions() if s["machineIdentifier"] == service.client_id), None)


def transcodes(emu) -> list[str]:
    return [path for _m, path, _h in emu.requests if "/transcode/universal/start" in path]


def position(local: LocalPlayer) -> float:
    return (local._mpv.state.position_s or 0) if local._mpv else 0


async def test_plays_a_track_and_reports_every_change(emu, service, make, clock):
    local = make()
    item = await service.item(pick(emu, "track", lambda i: True))
    await local.play(item)
    await until(lambda: position(local) > 0.3, what="audio to play")
    state = await local.state()
    assert (state.state, state.item, state.decision) == ("playing", item, "directplay")
    session = ours(emu, service)
    assert session["state"] == "playing" and session["player"] == local.session_name
    assert not session["transcode"]

    await local.pause()
    assert (await local.state()).state == "paused" and ours(emu, service)["state"] == "paused"
    await local.resume()
    assert ours(emu, service)["state"] == "playing"

    assert await local.seek(SeekTarget(12_000)) == 12_000
    await until(lambda: position(local) >= 12, what="the seek")
    assert ours(emu, service)["viewOffset"] == 12_000
    assert await local.volume(VolumeChange(-30, relative=True)) == 70
    await until(lambda: local._mpv.state.volume == 70, what="the volume")

    clock.now += 10  # the periodic report, by the player's clock
    # mpv's own clock, as the reporter has taken it in (mpv's state runs ahead of it)
    await until(lambda: local._reporter.position_ms > 12_000, what="playback past the seek")
    await local.tick()
    assert ours(emu, service)["viewOffset"] > 12_000

    await local.stop()
    assert ours(emu, service) is None and (await local.state()).state == "stopped"
    assert emu.library.get(item.rating_key).view_offset >= 12_000
    assert await local.service.view_offset(item) >= 12_000


async def test_video_to_the_end_is_watched_and_in_history(emu, service, make):
    local = make(quality="original")
    rk = pick(
        emu,
        "movie",
        lambda i: i.resolution == "1080" and i.rk % 14 in (2, 4, 6, 8, 10, 12) and not i.view_count,
    )
    item = await service.item(rk)
    await local.play(item, offset_ms=item.duration_ms - 1_500)  # parts last as long as items
    assert (await local.state()).decision == "directplay"
    await until(lambda: ours(emu, service) is None, what="the stop report at the end")
    assert (await local.state()).state == "stopped" and local.error is None
    entry = next(h for h in emu.history() if h["ratingKey"] == rk)
    assert entry["type"] == "movie"
    assert emu.library.get(rk).view_count >= 1 and emu.library.get(rk).view_offset == 0
    assert any(p.startswith("/:/scrobble") and f"key={rk}" in p for _m, p, _h in emu.requests)


async def test_resume_offset_is_honoured(emu, service, make):
    local = make()
    rk = pick(emu, "track", lambda i: i.view_count == 0)
    item = await service.item(rk)
    await local.play(item, offset_ms=7_000)
    await until(lambda: position(local) >= 7, what="playback at the offset")
    await local.stop()
    offset = await local.service.view_offset(item)
    assert 7_000 <= offset < 10_000
    await local.play(item, offset_ms=offset)
    await until(lambda: position(local) > 0, what="playback")
    assert position(local) >= offset / 1000


async def test_a_killed_mpv_is_reported_and_replaced(emu, service, make, notes):
    local = make()
    item = await service.item(pick(emu, "track", lambda i: True))
    await local.play(item)
    await until(lambda: position(local) > 0.2, what="playback")
    os.kill(local._mpv.process.pid, signal.SIGKILL)
    await until(lambda: any("mpv stopped unexpectedly" in n for n in notes), what="the notice")
    assert (await local.state()).state == "stopped" and "mpv stopped" in local.error
    with pytest.raises(StreamError, match="mpv stopped"):
        await local.pause()
    await until(lambda: ours(emu, service) is None, what="the stop report")

    await local.play(item)
    await until(lambda: position(local) > 0.2, what="playback in a new mpv")
    assert local.error is None and (await local.state()).state == "playing"


async def test_quality_change_restarts_at_the_same_position(emu, service, make):
    local = make(quality="original")
    rk = pick(emu, "movie", lambda i: i.resolution == "1080" and i.rk % 2 == 0 and i.rk % 7)
    await local.play(await service.item(rk), offset_ms=6_000)
    await until(lambda: position(local) >= 6.3, what="playback")
    before = position(local)
    assert ours(emu, service)["transcode"] is False

    assert await local.set_quality("720p") == "720p 4 Mbps"
    latest = transcodes(emu)[-1]
    assert "maxVideoBitrate=4000" in latest and "videoResolution=1280x720" in latest
    assert f"X-Plex-Client-Identifier={service.client_id}" in latest
    state = await local.state()
    assert (state.decision, state.quality) == ("transcode", "720p 4 Mbps")
    assert abs(state.position_ms / 1000 - before) < 1.5
    await until(lambda: position(local) > 1, what="the new stream to play")
    assert abs(position(local) - before) < 1.5
    assert ours(emu, service)["transcode"] is True


async def test_auto_steps_down_for_a_slow_transcoder_and_back_up(emu, service, make, clock, notes):
    metrics = Metrics()
    local = make(quality="auto", metrics=metrics)
    rk = pick(emu, "movie", lambda i: i.resolution == "4k")
    await local.play(await service.item(rk))
    assert (await local.state()).quality == "Auto · 1080p 20 Mbps"
    assert "maxVideoBitrate=20000" in transcodes(emu)[-1]
    emu.faults.transcoder_speed = 0.5
    try:
        for _ in range(3):
            clock.now += 10
            await local.tick()
    finally:
        emu.faults.transcoder_speed = None
    assert (await local.state()).quality == "Auto · 1080p 10 Mbps"
    assert "maxVideoBitrate=10000" in transcodes(emu)[-1]
    assert notes[-1] == "Auto quality: 1080p 10 Mbps (transcoder is behind, 0.5×)"

    for _ in range(7):  # a calm minute at full speed
        clock.now += 10
        await local.tick()
    assert (await local.state()).quality == "Auto · 1080p 20 Mbps"
    assert "stable" in notes[-1]
    names = {s.name: s.count for s in metrics.summary()}
    assert names["stream.start"] == 3 and names["transcode.speed"] >= 10


async def test_transcoding_off_refuses_a_file_above_the_limits(emu, service, make):
    local = make(QualityLimits(transcoding=False))
    item = await service.item(pick(emu, "movie", lambda i: i.resolution == "4k"))
    with pytest.raises(StreamError, match="transcoding is off.*2160p is above 1080p"):
        await local.play(item)
    assert local._mpv is None and (await local.state()).state == "stopped"
    with pytest.raises(StreamError, match="above the configured limits"):
        await make(QualityLimits(max_quality="720p")).set_quality("1080p")


async def test_a_stream_the_server_terminates_stops_with_its_reason(
    emu, service, make, clock, notes
):
    local = make()
    await local.play(await service.item(pick(emu, "track", lambda i: True)))
    await service.terminate(ours(emu, service)["sessionKey"], reason="Go away")
    clock.now += 10
    await local.tick()  # the next report hears the termination
    assert (
        notes[-1] == "the server stopped playback: Admin terminated playback with reason: Go away"
    )
    await until(lambda: local._mpv.state.idle, what="mpv to stop")
    assert (await local.state()).state == "stopped" and ours(emu, service) is None


async def test_the_first_local_play_opens_plexapi_off_the_loop(emu, service, make):
    """plexapi's server opens at its first use (a ~0.1 s import when nothing loaded it
    yet). A first local play asked for it on the loop, where the TUI would freeze."""
    opened_on = []
    real = service._open

    def recorded(machine_id):
        opened_on.append(threading.current_thread())
        real(machine_id)

    local = make()
    item = await service.item(pick(emu, "track", lambda i: True))
    service._plex = None  # as in a TUI whose first screen never needed plexapi
    service._open = recorded
    await local.play(item)
    assert opened_on and threading.main_thread() not in opened_on
