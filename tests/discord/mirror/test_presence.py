"""Rich Presence with the real pypresence against the IPC emulator, time moved by hand."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from pypresence.utils import get_ipc_path

from plextui.core.models import NowPlaying
from plextui.discord.mirror.card import activity
from plextui.discord.mirror.presence import (
    STATUS_ABSENT,
    STATUS_DISABLED,
    STATUS_INVALID_ID,
    Presence,
    find_socket,
)
from plextui.emulators.discord import DiscordIPCEmulator

CLIENT_ID = "123456789012345678"
WALL = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def short_tmp():
    """Socket paths must fit in 107 bytes, which pytest's tmp_path may not."""
    with tempfile.TemporaryDirectory(prefix="ptd", dir="/tmp") as name:
        yield Path(name)


@pytest.fixture
def run_dir(short_tmp, monkeypatch):
    run = short_tmp / "run"
    run.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def clock():
    return Clock()


def make(run_dir: Path, clock: Clock, client_id: str = CLIENT_ID, **kwargs) -> Presence:
    env = {"XDG_RUNTIME_DIR": str(run_dir)}
    return Presence(
        client_id,
        clock=clock,
        wall=lambda: WALL + clock.now - 1000.0,
        find=lambda: find_socket(env),
        timeout=2.0,
        **kwargs,
    )


@pytest.fixture
def ipc(run_dir, clock):
    emulator = DiscordIPCEmulator(run_dir, client_ids={CLIENT_ID}, clock=clock)
    emulator.start()
    yield emulator
    emulator.stop()


def card(state: str = "playing", position_ms: int = 60_000, title: str = "Alien (1979)"):
    return NowPlaying(
        title=title,
        state=state,
        position_ms=position_ms,
        duration_ms=7_020_000,
        player="Living Room TV",
        guids=("imdb://tt0078748",),
    )


def sent(ipc: DiscordIPCEmulator) -> list[dict | None]:
    return [entry for _, entry in ipc.activities]


async def test_play_pause_seek_next_stop_at_most_one_update_per_15s(ipc, run_dir, clock):
    presence = make(run_dir, clock)
    presence.show(card())
    await presence.sync()
    assert presence.status == "connected"
    assert sent(ipc) == [activity(card(), WALL)]
    assert sent(ipc)[0]["timestamps"] == {"start": int(WALL - 60), "end": int(WALL - 60) + 7020}

    clock.now += 5
    presence.show(card("paused", 65_000))
    await presence.sync()
    assert len(ipc.activities) == 1  # inside the 15 s window: held back
    clock.now += 3
    presence.show(card("playing", 3_600_000))  # seek while paused, then resumed
    presence.show(card("playing", 3_600_000, title="Aliens (1986)"))  # next: latest wins
    await presence.sync()
    assert len(ipc.activities) == 1
    clock.now += 7
    await presence.sync()
    assert sent(ipc)[-1]["details"] == "Aliens (1986)"

    clock.now += 15
    presence.show(card("paused", 3_700_000, title="Aliens (1986)"))
    await presence.sync()
    paused = sent(ipc)[-1]
    assert "timestamps" not in paused
    assert paused["state"] == "Paused · 01:01:40 / 01:57:00"

    clock.now += 1
    presence.show(None)
    await presence.sync()
    clock.now += 14
    await presence.sync()
    assert sent(ipc)[-1] is None  # cleared at the end
    times = [when for when, _ in ipc.activities]
    assert all(b - a >= 15 for a, b in zip(times, times[1:], strict=False))
    assert len(ipc.activities) == 4


async def test_unchanged_state_is_not_resent(ipc, run_dir, clock):
    presence = make(run_dir, clock)
    presence.show(card())
    await presence.sync()
    for step in range(1, 5):
        clock.now += 16
        presence.show(card(position_ms=60_000 + 16_000 * step))  # progress ticks, same bar
        await presence.sync()
    assert len(ipc.activities) == 1


async def test_pause_timeout_clears(ipc, run_dir, clock):
    presence = make(run_dir, clock, pause_timeout=60)
    presence.show(card("paused"))
    await presence.sync()
    assert sent(ipc)[-1]["state"].startswith("Paused")
    clock.now += 30
    presence.show(card("paused"))  # the same pause reported again does not restart the timer
    clock.now += 31
    await presence.sync()
    assert sent(ipc)[-1] is None
    assert presence.preview is None


async def test_discord_absent_then_appearing(run_dir, clock):
    presence = make(run_dir, clock)
    presence.show(card())
    await presence.sync()
    assert presence.status == STATUS_ABSENT
    emulator = DiscordIPCEmulator(run_dir, client_ids={CLIENT_ID}, clock=clock)
    emulator.start()
    try:
        await presence.sync()  # inside the backoff: no attempt yet
        assert not emulator.activities
        clock.now += 31
        await presence.sync()
        assert presence.status == "connected"
        assert sent(emulator) == [activity(card(), WALL + 31)]
    finally:
        emulator.stop()


async def test_pipe_closed_mid_session_reconnects_and_resends(ipc, run_dir, clock):
    presence = make(run_dir, clock)
    presence.show(card())
    await presence.sync()
    ipc.close_pipe()
    clock.now += 20
    presence.show(card(title="Aliens (1986)"))
    await presence.sync()
    assert "reconnecting" in presence.status
    clock.now += 20
    await presence.sync()
    assert presence.status == "connected"
    assert ipc.current["details"] == "Aliens (1986)"


async def test_discord_restart_with_stale_socket(ipc, run_dir, clock):
    presence = make(run_dir, clock)
    presence.show(card())
    await presence.sync()
    ipc.stop(stale=True)
    clock.now += 20
    presence.show(card(title="Aliens (1986)"))
    await presence.sync()
    await presence.sync()
    assert presence.status == STATUS_ABSENT
    restarted = DiscordIPCEmulator(run_dir, client_ids={CLIENT_ID}, clock=clock)
    restarted.start()
    try:
        clock.now += 60
        await presence.sync()
        assert restarted.current["details"] == "Aliens (1986)"
    finally:
        restarted.stop()


async def test_invalid_client_id_is_a_status(ipc, run_dir, clock):
    presence = make(run_dir, clock, client_id="999999999999999999")
    presence.show(card())
    await presence.sync()
    assert presence.status == STATUS_INVALID_ID
    assert not presence.connected and not ipc.activities


async def test_rejected_activity_is_a_status_not_a_crash(ipc, run_dir, clock):
    presence = make(run_dir, clock)
    ipc.fail_next('child "activity" fails because ["details" is not allowed to be empty]')
    presence.show(card())
    await presence.sync()
    assert presence.status.startswith("Discord rejected the activity: Child")
    clock.now += 15
    presence.show(card(title="Aliens (1986)"))
    await presence.sync()
    assert presence.status == "connected" and ipc.current["details"] == "Aliens (1986)"


async def test_no_client_id_is_disabled(run_dir, clock):
    presence = make(run_dir, clock, client_id="")
    presence.show(card())
    await presence.sync()
    assert presence.status == STATUS_DISABLED


async def test_stop_clears_at_once(ipc, run_dir, clock):
    presence = make(run_dir, clock)
    presence.show(card())
    await presence.sync()
    await presence.stop()  # no 15 s wait for the last word
    assert sent(ipc)[-1] is None and presence.status == "stopped"


@pytest.mark.parametrize(
    "sub",
    [".flatpak/dev.vencord.Vesktop/xdg-run", ".flatpak/com.discordapp.Discord/xdg-run"],
)
async def test_sockets_pypresence_misses_are_found(short_tmp, monkeypatch, clock, sub):
    run = short_tmp / "r"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    emulator = DiscordIPCEmulator(run / sub, client_ids={CLIENT_ID}, clock=clock)
    emulator.start()
    try:
        assert get_ipc_path() is None  # pypresence alone would say Discord is not running
        presence = make(run, clock)
        presence.show(card())
        await presence.sync()
        assert emulator.current["details"] == "Alien (1979)"
    finally:
        emulator.stop()


def test_tmpdir_and_flatpak_app_dirs_are_searched(short_tmp, clock):
    emulator = DiscordIPCEmulator(short_tmp / "t" / "app/com.discordapp.Discord", pipe=3)
    emulator.start()
    try:
        env = {"XDG_RUNTIME_DIR": str(short_tmp / "empty"), "TMPDIR": str(short_tmp / "t")}
        assert find_socket(env) == emulator.socket_path
    finally:
        emulator.stop()
