"""What `plextui demo` keeps from its Settings screen for the next demo: the `[ui]` and
`[playback]` keys only, never the demo's server, token or player, nor the user's file."""

from __future__ import annotations

import tomllib

from plextui import config
from plextui.config import Settings, paths
from plextui.entry.demo import _keep_known_servers, _with_saved


def test_only_ui_and_playback_keys_are_kept_for_the_next_demo(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch.toml"
    for name, value in (
        ("ui.theme", "nord"),
        ("playback.audio_language", "fr"),
        ("plex.token", ""),
        ("plex.default_player", "Living Room TV"),
    ):
        config.set_value(name, value, scratch)
    _keep_known_servers(tmp_path / "no-servers.json", scratch)
    kept = tomllib.loads(paths.demo_config_path().read_text())
    assert set(kept) == {"config_version", "ui", "playback"}
    assert not config.config_path().exists()  # the user's config is never written

    monkeypatch.setenv("PLEXTUI_CONFIG", str(scratch))  # an old demo file with plex keys
    base = Settings()
    token = config.replaced(base, "plex.token", "the-users-token")
    settings = _with_saved(token)
    assert settings.ui.theme == "nord" and settings.playback.audio_language == "fr"
    assert settings.plex.token == "the-users-token" and settings.plex.default_player == ""
