"""The CLI as a user runs it: a real subprocess, exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plextui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_help_lists_every_command():
    out = run("--help")
    assert out.returncode == 0
    for name in ("tui", "demo", "serve-demo", "ctl", "relay", "config", "discord"):
        assert name in out.stdout


def test_config_set_show_path(isolated_user_dirs):
    path = run("config", "path").stdout.strip()
    assert path == os.environ["PLEXTUI_CONFIG"]
    done = run("config", "set", "plex.token", "abcdefgh12345678")
    assert done.returncode == 0 and "abcdefgh" not in done.stdout
    shown = run("config", "show")
    assert shown.returncode == 0
    assert 'plex.token = "••••5678"' in shown.stdout
    assert "abcdefgh" not in shown.stdout + shown.stderr


def test_bad_config_exits_2_without_traceback(isolated_user_dirs):
    cfg = os.environ["PLEXTUI_CONFIG"]
    os.makedirs(os.path.dirname(cfg), exist_ok=True)
    with open(cfg, "w") as handle:
        handle.write("[quality]\nmax_sessions = 3\n")
    out = run("config", "show")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "unknown key 'quality.max_sessions'" in out.stderr
    assert cfg in out.stderr


def test_set_bad_value_exits_2():
    out = run("config", "set", "quality.max_quality", "8k")
    assert out.returncode == 2
    assert "quality.max_quality must be one of" in out.stderr


def test_relay_listen_needs_host_and_port():
    out = run("relay", "--listen", "nonsense")
    assert out.returncode == 2
    assert "--listen takes HOST:PORT" in out.stderr and "Traceback" not in out.stderr
