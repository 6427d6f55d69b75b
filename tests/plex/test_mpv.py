"""The mpv client against the real mpv, headless, on media generated here."""

from __future__ import annotations

import asyncio
import math
import os
import signal
import struct
import wave
from pathlib import Path

import pytest

from plextui.errors import StreamError
from plextui.plex.mpv import INSTALL_HINT, MpvClient, MpvState


def write_wav(path: Path, seconds: float) -> Path:
    rate = 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        samples = (
            int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(rate * seconds))
        )
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


def write_y4m(path: Path, seconds: int = 10, fps: int = 5) -> Path:
    width, height = 64, 36
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in range(seconds * fps):
            out.write(b"FRAME\n" + bytes([frame * 5 % 256]) * (width * height))
            out.write(bytes([128]) * (width * height // 2))
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("media")
    return {
        "wav": write_wav(root / "tone.wav", 10),
        "short": write_wav(root / "short.wav", 0.6),
        "y4m": write_y4m(root / "clip.y4m"),
    }


@pytest.fixture
async def mpv(tmp_path):
    client = await MpvClient.start(headless=True, socket_dir=tmp_path)
    yield client
    await client.close()


async def until(predicate, timeout: float = 5.0) -> None:
    """Poll cheaply until `predicate()` holds; fail the test instead of hanging."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


def all_threads_stopped(pid: int) -> bool:
    stats = Path(f"/proc/{pid}/task").glob("*/stat")
    return all(stat.read_text().rsplit(")", 1)[1].split()[0] == "T" for stat in stats)


def near(value: float | None, target: float, tolerance: float = 0.6) -> bool:
    return value is not None and abs(value - target) <= tolerance


async def test_plays_audio_and_position_advances(mpv, media):
    await mpv.loadfile(str(media["wav"]))
    await until(lambda: (mpv.state.position_s or 0) > 0.3)
    assert near(mpv.state.duration_s, 10, 0.1)
    assert mpv.state.path == str(media["wav"])
    assert not mpv.state.idle and not mpv.state.paused


async def test_pause_holds_position_and_resume_continues(mpv, media):
    await mpv.loadfile(str(media["wav"]))
    await until(lambda: (mpv.state.position_s or 0) > 0.2)
    await mpv.set_pause(True)
    await until(lambda: mpv.state.paused)
    held = await mpv.get("time-pos")
    await asyncio.sleep(0.3)
    assert await mpv.get("time-pos") == pytest.approx(held, abs=0.01)
    await mpv.set_pause(False)
    await until(lambda: not mpv.state.paused and mpv.state.position_s > held + 0.2)


async def test_start_offset_options_and_seeks(mpv, media):
    await mpv.loadfile(str(media["wav"]), start_seconds=4, options={"pause": True})
    await until(lambda: near(mpv.state.position_s, 4, 0.05) and mpv.state.paused)
    await mpv.seek(7)
    await until(lambda: near(mpv.state.position_s, 7, 0.05))
    await mpv.seek(-2.5, absolute=False)
    await until(lambda: near(mpv.state.position_s, 4.5, 0.05))


async def test_volume_is_clamped_and_observed(mpv, media):
    await mpv.loadfile(str(media["wav"]))
    await mpv.set_volume(35)
    await until(lambda: mpv.state.volume == 35)
    assert await mpv.get("volume") == 35
    await mpv.set_volume(250)
    await until(lambda: mpv.state.volume == 100)


async def test_stop_goes_idle(mpv, media):
    await mpv.loadfile(str(media["wav"]))
    await mpv.stop()
    await until(lambda: mpv.state.idle)
    assert mpv.state.ended_reason == "stop"
    assert mpv.state.position_s is None


async def test_end_of_file_is_reported(mpv, media):
    events: list[tuple[str, MpvState]] = []
    mpv.subscribe(lambda event, state: events.append((event, state)))
    await mpv.loadfile(str(media["short"]))
    await until(lambda: mpv.state.ended_reason == "eof" and mpv.state.idle)
    assert ("end-file", "eof") in [(event, state.ended_reason) for event, state in events]


async def test_plays_video(mpv, media):
    await mpv.loadfile(str(media["y4m"]), start_seconds=8)
    assert await mpv.get("width") == 64
    await until(lambda: near(mpv.state.duration_s, 10, 0.3))
    await until(lambda: mpv.state.ended_reason == "eof", timeout=6)


async def test_bad_url_is_a_clear_error(mpv, tmp_path):
    events: list[str] = []

    async def on_event(event: str, state: MpvState) -> None:
        events.append(event)

    mpv.subscribe(on_event)
    with pytest.raises(StreamError, match="could not open the stream"):
        await mpv.loadfile(str(tmp_path / "missing.wav"))
    assert mpv.state.ended_reason == "error" and mpv.state.error
    await until(lambda: "end-file" in events)
    assert mpv.alive


async def test_failed_command_carries_mpv_error(mpv):
    with pytest.raises(StreamError, match="property not found"):
        await mpv.get("no-such-property")


async def test_missing_mpv_says_how_to_install(tmp_path):
    with pytest.raises(StreamError) as raised:
        await MpvClient.start(headless=True, socket_dir=tmp_path, mpv_path="/nonexistent/mpv")
    assert str(raised.value) == INSTALL_HINT
    assert list(tmp_path.iterdir()) == []


async def test_killed_mpv_is_reported_and_a_new_one_starts(mpv, media, tmp_path):
    events: list[str] = []
    mpv.subscribe(lambda event, state: events.append(event))
    await mpv.loadfile(str(media["wav"]))
    os.kill(mpv.process.pid, signal.SIGSTOP)  # frozen, so the next command stays pending
    await until(lambda: all_threads_stopped(mpv.process.pid))
    pending = asyncio.create_task(mpv.command("get_property", "time-pos"))
    await asyncio.sleep(0.05)
    os.kill(mpv.process.pid, signal.SIGKILL)
    with pytest.raises(StreamError, match=r"stopped unexpectedly \(exit code -9\)"):
        await asyncio.wait_for(pending, 5)
    await until(lambda: "crashed" in events)
    assert not mpv.alive and mpv.state.ended_reason == "crashed"
    with pytest.raises(StreamError, match="stopped unexpectedly"):
        await mpv.set_pause(True)

    async with await MpvClient.start(headless=True, socket_dir=tmp_path) as fresh:
        await fresh.loadfile(str(media["wav"]))
        await until(lambda: (fresh.state.position_s or 0) > 0.1)


async def test_close_quits_and_reaps(tmp_path):
    client = await MpvClient.start(headless=True, socket_dir=tmp_path)
    events: list[str] = []
    client.subscribe(lambda event, state: events.append(event))
    pid = client.process.pid
    await client.close()
    assert client.process.returncode == 0 and not client.alive
    assert not client.socket_dir.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
    assert "crashed" not in events
    await client.close()  # idempotent
    with pytest.raises(StreamError, match="closed"):
        await client.command("get_property", "pause")


async def test_a_token_across_the_cut_of_an_over_long_line_never_reaches_the_log():
    """mpv's output read in 64 KiB chunks: an unfinished line past LINE_MAX is left out
    whole, not cut where its tail would start inside a token's value."""
    from plextui.config.paths import debug_log_path
    from plextui.plex.mpv import LINE_MAX, _keep_messages

    secret = "SECRETTOKENVALUE42"
    head = b"A" * ((1 << 16) - LINE_MAX - 13) + b"X-Plex-Token="
    stream = asyncio.StreamReader()
    stream.feed_data(head + secret.encode() + b"B" * 9000 + b"\nnext line\n")
    stream.feed_eof()
    await _keep_messages(stream)
    logged = debug_log_path().read_text()
    assert secret not in logged and "TOKENVALUE" not in logged
    assert f"a line over {LINE_MAX} bytes left out" in logged and "next line" in logged
