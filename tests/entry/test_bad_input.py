"""Bad input from a shell, as issue 17 met it: a config file that is not UTF-8, a relay
told to take remote commands without what they need, and `login` with no network. Each
ends in words that say what to do, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from plextui.emulators.plextv.links import dead_port


def plextui(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plextui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def write_config(text: str | bytes) -> Path:
    path = Path(os.environ["PLEXTUI_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


@pytest.mark.parametrize("args", [["config", "show"], ["ctl", "now"], ["relay"]])
def test_a_config_file_that_is_not_utf8_is_one_line_and_exit_2(args):
    path = write_config(b'[plex]\nurl = "http://caf\xe9:32400"\n')  # Latin-1, as an editor may
    done = plextui(*args)
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr
        == f"plextui: {path}: not UTF-8 text (line 2); save it as UTF-8 (TOML files are UTF-8)\n"
    )


def test_relay_says_what_remote_commands_lack_before_it_runs(emu):
    write_config(
        f'[plex]\nurl = "{emu.url}"\ntoken = "{emu.token}"\n[discord.remote]\nenabled = true\n'
    )
    relay = subprocess.Popen(
        [sys.executable, "-m", "plextui", "relay"], stdout=subprocess.PIPE, text=True
    )
    try:
        lines = [relay.stdout.readline().strip() for _ in range(5)]
    finally:
        relay.send_signal(signal.SIGINT)
        relay.wait(timeout=20)
    assert lines[0] == (
        "remote commands: no bot token to read the channel; plextui config set "
        "discord.remote.bot_token TOKEN (or $DISCORD_BOT_TOKEN)"
    )
    assert lines[1] == (
        "remote commands: no companion channel; plextui config set "
        "discord.remote.channel_id ID (or $DISCORD_CHANNEL_ID)"
    )
    assert lines[2].startswith("connected to Plex server")
    # it used to say "remote commands: channel (none)" as if it took them
    assert "remote commands: off until the settings above are set" in lines


def test_relay_listen_without_a_public_key_stops_before_connecting():
    """Exit 2 from the settings, not 3 from the unreachable server it never tried."""
    write_config(
        f'[plex]\nurl = "http://127.0.0.1:{dead_port()}"\ntoken = "t"\n'
        '[discord.remote]\nenabled = true\nbot_token = "bot"\nchannel_id = "42"\n'
    )
    done = plextui("relay", "--listen", "127.0.0.1:8787")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "plextui: relay: --listen needs the public key; plextui config set "
        "discord.remote.public_key HEX (or $DISCORD_PUBLIC_KEY)\n"
    )


def test_login_without_a_network_gives_the_manual_route():
    done = plextui("login")  # plex.tv is a port that refuses (tests/conftest.py)
    assert done.returncode == 3
    (line,) = done.stderr.splitlines()
    assert line.startswith("plextui: cannot reach ")
    assert line.endswith(
        "Without plex.tv, set the server by hand: plextui config set plex.url "
        "http://HOST:32400 and plextui config set plex.token TOKEN"
    )
