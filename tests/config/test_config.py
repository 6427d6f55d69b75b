"""Configuration: defaults, precedence, every error message, atomic 0600 saves, redaction."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from plextui import config
from plextui.errors import ConfigError


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "config.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_seed_server_settings(path):
    s = config.load(path, environ={})
    assert s.quality.transcoding is True
    assert s.quality.max_quality == "1080p"
    assert s.quality.preferred_codec == "h264"
    assert s.quality.direct_play is True and s.quality.direct_stream is True
    assert s.quality.max_bitrate == 20000
    assert s.plex.max_sessions == 5
    assert s.cache.ttl == 3600
    assert s.plex.url == "" and s.plex.token == ""


def test_config_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PLEXTUI_CONFIG", str(tmp_path / "x.toml"))
    assert config.config_path() == tmp_path / "x.toml"
    monkeypatch.delenv("PLEXTUI_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert config.config_path() == tmp_path / "cfg" / "plextui" / "config.toml"


def test_environment_overrides_file(path):
    write(path, '[plex]\nurl = "http://file:32400"\ntoken = "filetoken"\n[cache]\nttl = 60\n')
    env = {
        "PLEX_SERVER_URL": "http://env:32400",
        "PLEX_CACHE_TTL": "120",
        "PLEX_MAX_BITRATE": "4000",
        "DISCORD_WEBHOOK_URL": "http://a/webhooks/1/x, http://b/webhooks/2/y",
        "DISCORD_CLIENT_ID": "123456789",
    }
    s = config.load(path, environ=env)
    assert s.plex.url == "http://env:32400"
    assert s.plex.token == "filetoken"
    assert s.cache.ttl == 120
    assert s.quality.max_bitrate == 4000
    assert s.discord.webhook.urls == ["http://a/webhooks/1/x", "http://b/webhooks/2/y"]
    assert s.discord.presence.client_id == "123456789"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plex\nurl = 1", "not valid TOML: "),
        ('[plex]\nurll = "http://x"', "unknown key 'plex.urll'; did you mean 'plex.url'?"),
        (
            '[quality]\nmax_bitrate = "fast"',
            "quality.max_bitrate must be a whole number, got 'fast'",
        ),
        (
            "[quality]\nmax_bitrate = 0",
            "quality.max_bitrate must be a number greater than 0, got 0",
        ),
        (
            "[plex]\nmax_sessions = 0",
            "plex.max_sessions must be a whole number of at least 1, got 0",
        ),
        (
            '[quality]\nmax_quality = "999p"',
            "quality.max_quality must be one of original, 2160p, 1080p, 720p, 480p, 360p",
        ),
        (
            '[plex]\nurl = "192.168.1.10:32400"',
            "plex.url must be a URL with a scheme, like http://192.168.1.10:32400",
        ),
        ('[quality]\ntranscoding = "yes"', "quality.transcoding must be true or false"),
        ('[discord.webhook]\nurls = "http://x"', "discord.webhook.urls must be a list of strings"),
        ("[nonsense]\nfoo = 1", "unknown key 'nonsense.foo'"),
    ],
)
def test_bad_config_is_one_clear_line(path, text, message):
    write(path, text)
    with pytest.raises(ConfigError) as info:
        config.load(path, environ={})
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_toml_syntax_error_names_the_line(path):
    write(path, '[plex]\nurl = "http://x"\ntoken = \n')
    with pytest.raises(ConfigError, match=r"line 3"):
        config.load(path, environ={})


def test_bad_environment_value_names_the_variable(path):
    with pytest.raises(
        ConfigError, match=r"\$PLEX_MAX_BITRATE: quality.max_bitrate must be a whole"
    ):
        config.load(path, environ={"PLEX_MAX_BITRATE": "lots"})


def test_newer_config_with_extra_keys_warns_and_goes_on(path):
    write(path, 'config_version = 99\n[plex]\nurl = "http://h:1"\nshiny = true\n')
    with pytest.warns(UserWarning, match="ignoring 'plex.shiny'"):
        s = config.load(path, environ={})
    assert s.plex.url == "http://h:1"


def test_set_round_trip_keeps_other_keys(path):
    write(path, '[plex]\nurl = "http://h:1"\n[ui]\ntheme = "nord"\nkeymap = { toggle = "k" }\n')
    config.set_value("quality.max_bitrate", "8000", path)
    config.set_value("discord.remote.admin_users", "1, 2", path)
    config.set_value("quality.transcoding", "off", path)
    s = config.load(path, environ={})
    assert s.quality.max_bitrate == 8000
    assert s.discord.remote.admin_users == ["1", "2"]
    assert s.quality.transcoding is False
    assert s.plex.url == "http://h:1"
    assert s.ui.theme == "nord"
    assert s.ui.keymap == {"toggle": "k"}


def test_set_rejects_unknown_key_and_bad_value(path):
    with pytest.raises(ConfigError, match="unknown key 'plex.tokn'; did you mean 'plex.token'"):
        config.set_value("plex.tokn", "x", path)
    with pytest.raises(ConfigError, match="quality.max_bitrate must be a whole number, got 'abc'"):
        config.set_value("quality.max_bitrate", "abc", path)
    assert not path.exists()


def test_saved_file_has_mode_0600(path):
    config.set_value("plex.token", "secret-token-1234", path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_failed_rename_leaves_old_file_intact(path, monkeypatch):
    config.set_value("plex.url", "http://old:1", path)
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk on fire"):
        config.set_value("plex.url", "http://new:2", path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_show_redacts_every_secret():
    s = config.load(
        Path("/nonexistent/config.toml"),
        environ={
            "PLEX_API_TOKEN": "plex-token-abcd",
            "DISCORD_BOT_TOKEN": "bot-token-secret-wxyz",
            "DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/hooksecret9876",
        },
    )
    shown = config.show(s)
    assert 'plex.token = "••••abcd"' in shown
    assert "plex-token" not in shown
    assert "bot-token-secret" not in shown and 'discord.remote.bot_token = "••••wxyz"' in shown
    assert "hooksecret" not in shown and 'discord.webhook.urls = ["••••9876"]' in shown


def test_every_key_documented_and_defaults_valid():
    for key in config.KEYS.values():
        assert key.doc
        if key.check and key.default not in ("", [], {}):
            assert key.check(key.default) is None, key.name


def test_servers_tables_select_and_save(path):
    write(
        path,
        'config_version = 1\n[plex]\nserver = "Cabin"\n'
        '[[servers]]\nname = "Home"\nurl = "http://home:32400"\ntoken = "home-token-1111"\n'
        '[[servers]]\nname = "Cabin"\nurl = "http://cabin:32400"\ntoken = "cabin-token-2222"\n',
    )
    s = config.load(path, environ={})
    assert [e.name for e in s.servers] == ["Home", "Cabin"]
    chosen = config.select_server(s)
    assert chosen.plex.url == "http://cabin:32400" and chosen.plex.token == "cabin-token-2222"
    assert config.select_server(s, "home").plex.url == "http://home:32400"
    with pytest.raises(ConfigError, match="no server named 'Attic' \\(servers: Home, Cabin\\)"):
        config.select_server(s, "Attic")
    shown = config.show(s)
    assert 'servers.2.token = "••••2222"' in shown and "cabin-token" not in shown

    config.save_server(config.ServerEntry("Attic", "http://attic:1", "attic-token-3333"), path)
    s = config.load(path, environ={})
    assert [e.name for e in s.servers] == ["Home", "Cabin", "Attic"]
    assert config.select_server(s).plex.url == "http://attic:1"


def test_env_url_beats_saved_servers(path):
    write(path, '[[servers]]\nname = "Home"\nurl = "http://home:32400"\n')
    s = config.load(path, environ={"PLEX_SERVER_URL": "http://env:1"})
    assert config.select_server(s).plex.url == "http://env:1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[servers]]\nname = "A"\n', "servers #1: needs a name and a url"),
        (
            '[[servers]]\nname = "A"\nurl = "nohost"\n',
            "servers #1: url must be a URL with a scheme",
        ),
        (
            '[[servers]]\nname = "A"\nurl = "http://a"\ntokn = "x"\n',
            "unknown key 'tokn'; did you mean 'token'?",
        ),
        ('[[servers]]\nname = 3\nurl = "http://a"\n', "servers #1: name must be a string"),
    ],
)
def test_bad_servers_tables(path, text, message):
    write(path, text)
    with pytest.raises(ConfigError, match=message):
        config.load(path, environ={})


def test_errors_never_quote_a_secret(path):
    write(path, '[discord.webhook]\nurls = "https://discord.com/api/webhooks/1/SECRETTOKEN"\n')
    with pytest.raises(ConfigError) as info:
        config.load(path, environ={})
    assert "SECRETTOKEN" not in str(info.value) and "not shown" in str(info.value)
    write(path, "[plex]\ntoken = 123456\n")
    with pytest.raises(ConfigError) as info:
        config.load(path, environ={})
    assert "123456" not in str(info.value)
    write(path, '[[servers]]\nname = "A"\nurl = "http://a"\ntoken = 987654\n')
    with pytest.raises(ConfigError) as info:
        config.load(path, environ={})
    assert "987654" not in str(info.value)


def test_show_hides_a_password_in_the_cache_url():
    s = config.load(
        Path("/nonexistent.toml"), environ={"PLEXTUI_CACHE_URL": "redis://:hunter22@cache:6379/0"}
    )
    shown = config.show(s)
    assert "hunter22" not in shown
    assert 'cache.url = "redis://:••••@cache:6379/0"' in shown


def test_the_chosen_player_is_remembered_per_saved_server(path):
    config.save_server(config.ServerEntry("Home", "http://home:1", "t-home-1111"), path)
    config.save_server(config.ServerEntry("Cabin", "http://cabin:1", "t-cabin-222"), path)
    home = config.select_server(config.load(path, environ={}), "Home")
    config.remember_player(home, "Living Room TV", path)
    cabin = config.select_server(config.load(path, environ={}), "Cabin")
    config.remember_player(cabin, "Cabin Stick", path)
    again = config.load(path, environ={})
    assert config.select_server(again, "Home").plex.default_player == "Living Room TV"
    assert config.select_server(again, "Cabin").plex.default_player == "Cabin Stick"
    assert again.plex.default_player == ""


def test_the_chosen_player_goes_to_plex_default_player_without_saved_servers(path):
    s = config.load(path, environ={"PLEX_SERVER_URL": "http://direct:1"})
    config.remember_player(s, "Kitchen", path)
    assert config.load(path, environ={}).plex.default_player == "Kitchen"
