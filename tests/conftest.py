"""Isolation for every test: no user config, cache or environment leaks in."""

from __future__ import annotations

import pytest

from plextui.config import ENV_KEYS

pytest_plugins = ["tests.fixtures"]  # the shared emulated Plex: emu, make_plex, service, controller


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point config, cache and runtime dirs at a fresh temp dir and drop plextui env vars."""
    home = tmp_path_factory.mktemp("home")
    for var in ENV_KEYS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PLEXTUI_CONFIG", str(home / "config" / "config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    # no GDM search (a real player another test runs must not join this one's players),
    # and no request ever reaches the real plex.tv (port 9 refuses at once)
    monkeypatch.setenv("PLEXTUI_GDM_TIMEOUT", "0")
    monkeypatch.setenv("PLEXTUI_PLEXTV_URL", "http://127.0.0.1:9")
    return home
