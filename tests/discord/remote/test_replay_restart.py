"""A captured, validly signed interaction replayed after `kill -9` and a restart of the real
`plextui relay --listen` process is refused, and the TV (the emulated player's own timeline
and command log) stays as it was. The seen-set lives in a file under the user state dir."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from plextui.core.commands import parse_command
from plextui.emulators.discord.interactions import complete

from .conftest import ALICE, BOT_TOKEN, PLEX_TOKEN, TV
from .test_interactions import sub

REPLAYS = 3


@pytest.fixture
def relay_env(discord, plex, isolated_user_dirs, tmp_path) -> dict:
    config = Path(os.environ["PLEXTUI_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[plex]\ndefault_player = "{TV}"\n'
        "[discord.presence]\nenabled = false\n"
        "[discord.remote]\n"
        f'application_id = "{discord.application_id}"\n'
        f'control_users = ["{ALICE}"]\n'
    )
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    return os.environ | {
        "PLEX_SERVER_URL": plex.url,
        "PLEX_API_TOKEN": PLEX_TOKEN,
        "DISCORD_API_URL": discord.api_url,
        "DISCORD_BOT_TOKEN": BOT_TOKEN,
        "DISCORD_PUBLIC_KEY": discord.public_key_hex,
        "XDG_RUNTIME_DIR": str(runtime),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay:
    """`plextui relay --listen` as a user starts it, in its own process."""

    def __init__(self, env: dict, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/interactions"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "plextui", "relay", "--listen", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_ready(self, signer) -> None:
        """Until a signed PING is answered (each PING is a new request, never a replay)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            try:
                if post(self.url, *sign(signer, {"type": 1, "id": str(time.time_ns())})) == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the relay did not start listening")

    def kill(self) -> str:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        return self.proc.stderr.read().decode()


def sign(signer, payload: dict) -> tuple[bytes, dict]:
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()))
    return body, {
        "X-Signature-Ed25519": signer.sign(stamp, body),
        "X-Signature-Timestamp": stamp,
        "Content-Type": "application/json",
    }


def post(url: str, body: bytes, headers: dict) -> int:
    return requests.post(url, data=body, headers=headers, timeout=10).status_code


async def test_a_replay_after_kill_9_and_restart_is_refused(
    discord, channel, plex, controller, movie, relay_env
):
    tv = plex.player(TV)

    async def run(line: str) -> None:
        assert (await controller.execute(parse_command(line))).ok, line

    await run(f'play "{movie}" on "{TV}"')
    assert tv.timeline()["state"] == "playing"
    port = free_port()
    relay = Relay(relay_env, port)
    captured = []
    try:
        relay.wait_ready(discord.signer)
        for options in (sub("pause"), sub("volume", level="37"), sub("seek", time="0:42")):
            payload = discord.slash_command("plex", options, channel_id=channel, user_id=ALICE)
            captured.append(sign(discord.signer, complete(discord.store, payload)))
            assert post(relay.url, *captured[-1]) == 200
        assert tv.timeline()["state"] == "paused" and tv.timeline()["volume"] == 37
        # put the TV somewhere no captured command would leave it
        await run("resume")
        await run("volume 80")
        assert post(relay.url, *captured[0]) == 401  # while it runs
    finally:
        stderr = relay.kill()
    assert "Traceback" not in stderr

    before = tv.timeline()["state"], tv.timeline()["volume"], len(tv.commands)
    relay = Relay(relay_env, port)
    try:
        relay.wait_ready(discord.signer)
        refused = sum(post(relay.url, body, headers) == 401 for body, headers in captured)
        assert (tv.timeline()["state"], tv.timeline()["volume"], len(tv.commands)) == before
        assert refused == REPLAYS, f"{refused} of {REPLAYS} replays refused after a restart"
        # the restarted relay still takes a fresh command
        payload = discord.slash_command("plex", sub("pause"), channel_id=channel, user_id=ALICE)
        assert post(relay.url, *sign(discord.signer, complete(discord.store, payload))) == 200
        assert tv.timeline()["state"] == "paused"
    finally:
        relay.kill()
        await run("stop")
    seen = Path(os.environ["XDG_STATE_HOME"]) / "plextui" / "interactions-seen.json"
    assert seen.stat().st_mode & 0o777 == 0o600
    assert all(headers["X-Signature-Ed25519"] not in seen.read_text() for _, headers in captured)
