"""The IPC emulator driven by the real pypresence client over a real Unix socket."""

from __future__ import annotations

import json
import socket
import struct
import time

import pytest
from pypresence import Presence
from pypresence.exceptions import (
    DiscordError,
    DiscordNotFound,
    InvalidID,
    PipeClosed,
    ResponseTimeout,
    ServerError,
)
from pypresence.types import ActivityType, StatusDisplayType

from plextui.emulators.discord import DiscordIPCEmulator

CLIENT_ID = "123456789012345678"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def runtime_dir(tmp_path, monkeypatch):
    """A private XDG_RUNTIME_DIR nested one level down, so pypresence's `..` scan stays ours."""
    run = tmp_path / "run"
    run.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def ipc(runtime_dir):
    emulator = DiscordIPCEmulator(runtime_dir, client_ids={CLIENT_ID})
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def presence(ipc):
    client = Presence(CLIENT_ID, response_timeout=2)
    client.connect()
    yield client
    if not client.loop.is_closed():
        client.close()


def wait_until(predicate, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_handshake_ready_and_probe_connection_tolerated(ipc, presence):
    assert ipc.frames[0] == (0, {"v": 1, "client_id": CLIENT_ID})
    assert ipc.connections_seen == 2  # pypresence's probe, then the real one
    assert ipc.connected == 1
    assert ipc.current is None


def test_update_is_recorded_and_echoed(ipc, presence):
    reply = presence.update(
        activity_type=ActivityType.WATCHING,
        status_display_type=StatusDisplayType.DETAILS,
        details="Alien (1979)",
        state="Paused · 1080p",
        start=1_700_000_000,
        end=1_700_007_000,
        large_image="https://example.org/poster.jpg",
        large_text="Alien",
        buttons=[{"label": "IMDb", "url": "https://www.imdb.com/title/tt0078748/"}],
    )
    assert reply["evt"] is None
    assert reply["data"]["details"] == "Alien (1979)"
    assert reply["data"]["application_id"] == CLIENT_ID
    assert reply["nonce"] == ipc.frames[-1][1]["nonce"]
    activity = ipc.current
    assert activity["type"] == 3
    assert activity["status_display_type"] == 2
    assert activity["timestamps"] == {"start": 1_700_000_000, "end": 1_700_007_000}
    assert activity["assets"] == {
        "large_image": "https://example.org/poster.jpg",
        "large_text": "Alien",
    }
    assert [when for when, _ in ipc.activities] == sorted(when for when, _ in ipc.activities)
    assert ipc.activities[-1][1] == activity


def test_clear_sends_no_activity_and_clears(ipc, presence):
    presence.update(activity_type=ActivityType.LISTENING, details="Song two", state="Artist")
    reply = presence.clear()
    assert reply["data"] is None
    assert "activity" not in ipc.frames[-1][1]["args"]
    assert ipc.current is None
    assert ipc.activities[-1][1] is None


def test_client_close_clears_presence(ipc, presence):
    presence.update(details="Watching something")
    presence.close()
    assert wait_until(lambda: ipc.frames[-1][0] == 2)
    assert wait_until(lambda: ipc.current is None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"details": "x"},
            'Child "activity" fails because child "details" fails because '
            '"details" length must be at least 2 characters long',
        ),
        (
            {"state": "y" * 129},
            'Child "activity" fails because child "state" fails because '
            '"state" length must be less than or equal to 128 characters long',
        ),
        (
            {"details": "ok", "large_image": "k", "large_text": ""},
            'Child "activity" fails because child "assets" fails because child "large_text" '
            'fails because "large_text" is not allowed to be empty',
        ),
        (
            {"details": "ok", "buttons": [{"label": "L" * 33, "url": "https://x.org"}]},
            'Child "activity" fails because child "buttons" fails because "buttons" at '
            'position 0 fails because child "label" fails because "label" length must be '
            "less than or equal to 32 characters long",
        ),
        (
            {"details": "ok", "buttons": [{"label": "a", "url": "https://a.org"}] * 3},
            'Child "activity" fails because child "buttons" fails because "buttons" must '
            "contain less than or equal to 2 items",
        ),
        (
            {"details": "ok", "party_id": "p", "party_size": [1, 0]},
            'Child "activity" fails because child "party" fails because child "size" fails '
            'because "size" at position 1 fails because "1" must be larger than or equal to 1',
        ),
    ],
)
def test_constraints_become_server_errors(ipc, presence, kwargs, message):
    with pytest.raises(ServerError) as caught:
        presence.update(**kwargs)
    assert str(caught.value) == message
    assert ipc.current is None


def test_constraints_can_be_switched_off(runtime_dir):
    ipc = DiscordIPCEmulator(runtime_dir, validate=False)
    ipc.start()
    client = Presence(CLIENT_ID)
    try:
        client.connect()
        client.update(details="x")
        assert ipc.current["details"] == "x"
    finally:
        client.close()
        ipc.stop()


def test_invalid_activity_type_via_override(ipc, presence):
    bad = {"cmd": "SET_ACTIVITY", "args": {"pid": 1, "activity": {"type": 1}}, "nonce": "n"}
    with pytest.raises(ServerError, match='"type" must be one of 0, 2, 3, 5'):
        presence.update(payload_override=bad)


def test_unknown_command_and_injected_error(ipc, presence):
    with pytest.raises(ServerError, match="Invalid command: get_guilds"):
        presence.update(payload_override={"cmd": "GET_GUILDS", "args": {}, "nonce": "n"})
    ipc.fail_next("Rate limited", count=1)
    with pytest.raises(ServerError, match="^Rate limited$"):
        presence.update(details="first")
    assert presence.update(details="second")["data"]["details"] == "second"


def test_invalid_client_id(ipc):
    client = Presence("999")
    try:
        with pytest.raises(InvalidID):
            client.connect()
    finally:
        client.loop.close()
    assert ipc.frames[-1] == (0, {"v": 1, "client_id": "999"})


def test_non_numeric_id_rejected_when_any_id_accepted(runtime_dir):
    ipc = DiscordIPCEmulator(runtime_dir)
    ipc.start()
    ok, bad = Presence("42"), Presence("not-an-id")
    try:
        ok.connect()
        with pytest.raises(InvalidID):
            bad.connect()
    finally:
        ok.close()
        bad.loop.close()
        ipc.stop()


def test_discord_absent(runtime_dir):
    client = Presence(CLIENT_ID)
    try:
        with pytest.raises(DiscordNotFound):
            client.connect()
    finally:
        client.loop.close()


def test_stop_removes_socket_and_stale_socket_is_refused(runtime_dir):
    ipc = DiscordIPCEmulator(runtime_dir)
    ipc.start()
    ipc.stop()
    assert not ipc.socket_path.exists()
    ipc.start()
    ipc.stop(stale=True)
    assert ipc.socket_path.exists()
    client = Presence(CLIENT_ID)
    try:
        with pytest.raises(ConnectionRefusedError):
            client.connect()
    finally:
        client.loop.close()


def test_close_pipe_breaks_the_session_then_reconnect_works(ipc, presence):
    presence.update(details="Before the crash")
    ipc.close_pipe()
    assert wait_until(lambda: ipc.connected == 0)
    assert ipc.current is None
    with pytest.raises(PipeClosed):
        presence.update(details="After the crash")
    presence.loop.close()
    again = Presence(CLIENT_ID)
    again.connect()
    try:
        assert again.update(details="Reconnected")["data"]["details"] == "Reconnected"
        assert ipc.current["details"] == "Reconnected"
    finally:
        again.close()


def test_mute_gives_response_timeout(ipc):
    client = Presence(CLIENT_ID, response_timeout=0.2)
    client.connect()
    ipc.mute = True
    try:
        with pytest.raises(ResponseTimeout):
            client.update(details="Nobody answers")
    finally:
        client.close()


def raw_exchange(path, op: int, payload: bytes) -> tuple[int, dict]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        sock.sendall(struct.pack("<II", op, len(payload)) + payload)
        op, length = struct.unpack("<II", sock.recv(8))
        return op, json.loads(sock.recv(length))


def test_bad_payloads_close_with_codes(ipc):
    assert raw_exchange(ipc.socket_path, 0, b"{not json") == (
        2,
        {"code": 4005, "message": "Invalid Encoding"},
    )
    assert raw_exchange(ipc.socket_path, 0, b'{"v": 2, "client_id": "1"}') == (
        2,
        {"code": 4004, "message": "Invalid Version"},
    )
    assert raw_exchange(ipc.socket_path, 0, b'{"v": 1, "client_id": ""}') == (
        2,
        {"code": 4000, "message": "No Client ID Specified"},
    )


def test_other_close_codes_become_discord_error(ipc, runtime_dir):
    ipc.client_ids = None
    client = Presence("")
    try:
        with pytest.raises(DiscordError) as caught:
            client.connect()
        assert caught.value.code == 4000
        assert caught.value.message == "No Client ID Specified"
    finally:
        client.loop.close()


def test_published_presence_is_throttled_latest_wins(runtime_dir):
    clock = FakeClock()
    ipc = DiscordIPCEmulator(runtime_dir, clock=clock)
    ipc.start()
    client = Presence(CLIENT_ID)
    client.connect()
    try:
        for second, details in [(0, "one"), (1, "two"), (2, "three"), (20, "four")]:
            clock.now = 1000.0 + second
            client.update(details=details)
        clock.now = 1000.0 + 40
        shown = [(when - 1000.0, act["details"]) for when, act in ipc.published]
        assert shown == [(0, "one"), (15, "three"), (30, "four")]
        assert len(ipc.activities) == 4
    finally:
        client.close()
        ipc.stop()
