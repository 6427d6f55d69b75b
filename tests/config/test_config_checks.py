"""What the config refuses, and in one form: every `config set` refusal begins with
`config set:`, a file's with its path, an environment variable's with its name. A keymap
entry is set by its binding id; an id or a theme that does not exist is refused when the
file is read or set, naming what exists."""

from __future__ import annotations

import tomllib

import pytest
from textual.app import App

from plextui import config
from plextui.config.schema import BINDING_IDS, THEMES
from plextui.errors import ConfigError
from plextui.ui import keys


@pytest.fixture
def path(tmp_path):
    return tmp_path / "config.toml"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("plex.url", "foo"),
        ("quality.max_bitrate", "abc"),  # was "plextui: quality.max_bitrate must be …"
        ("quality.transcoding", "maybe"),  # likewise
        ("plex.urll", "x"),
        ("ui.theme", "nope"),
        ("ui.keymap.togle", "k"),
        ("discord.remote.public_key", "abc"),
    ],
)
def test_every_set_refusal_begins_the_same(path, key, value):
    with pytest.raises(ConfigError) as refused:
        config.set_value(key, value, path)
    assert str(refused.value).startswith("config set: "), refused.value
    assert not path.exists()


def test_an_environment_refusal_names_the_variable_once():
    with pytest.raises(ConfigError) as refused:
        config.values_from_env({"PLEX_CACHE_TTL": "soon"})
    assert str(refused.value) == "$PLEX_CACHE_TTL: cache.ttl must be a whole number, got 'soon'"


def test_a_keymap_entry_is_set_by_its_binding_id(path):
    config.set_value("ui.theme", "nord", path)
    config.set_value("ui.keymap.discord", "ctrl+d", path)  # was "unknown key"
    config.set_value("ui.keymap.sessions.back", "ctrl+b", path)  # an id with a dot
    config.set_value("ui.keymap.discord", "ctrl+g", path)  # again: replaced, not added
    settings = config.load(path, environ={})
    assert settings.ui.keymap == {"discord": "ctrl+g", "sessions.back": "ctrl+b"}
    assert settings.ui.theme == "nord"
    assert 'ui.keymap = {discord = "ctrl+g", "sessions.back" = "ctrl+b"}' in config.show(settings)
    assert tomllib.loads(path.read_text())["ui"]["keymap"]["sessions.back"] == "ctrl+b"


def test_an_unquoted_dotted_id_in_the_file_is_read_as_the_id(path):
    path.write_text('[ui.keymap]\nsessions.back = "ctrl+b"\n')
    assert config.load(path, environ={}).ui.keymap == {"sessions.back": "ctrl+b"}


def test_an_unknown_binding_id_in_the_file_is_reported_with_the_ids(path):
    path.write_text('[ui.keymap]\ntogle = "k"\n')
    with pytest.raises(ConfigError) as refused:
        config.load(path, environ={})
    message = str(refused.value)
    assert message.startswith(f"{path}: ui.keymap: unknown binding id 'togle' (did you mean")
    assert "toggle, stop, seek_back" in message and "\n" not in message


def test_an_unknown_theme_in_the_file_is_reported_with_the_themes(path):
    path.write_text('[ui]\ntheme = "solarised"\n')
    with pytest.raises(ConfigError, match=r"ui.theme must be one of textual-dark, .*nord"):
        config.load(path, environ={})


def test_a_public_key_is_checked_when_set(path):
    key = "ab" * 32
    config.set_value("discord.remote.public_key", key, path)
    assert config.load(path, environ={}).discord.remote.public_key == key


def test_the_binding_ids_are_the_apps():
    """config cannot import the UI (a lower layer), so it lists the ids; this keeps them equal."""
    bound = [b.id for group in (keys.PLAYBACK, keys.GLOBAL, keys.BROWSE, keys.SESSIONS)
             for b in group]  # fmt: skip
    assert sorted(bound) == sorted(BINDING_IDS)


def test_the_themes_are_textuals():
    assert sorted(THEMES) == sorted(App().available_themes)


def test_a_file_that_is_not_utf8_is_one_line(path):
    path.write_bytes(b'[plex]\nurl = "http://caf\xe9"\n')
    with pytest.raises(ConfigError) as refused:
        config.load(path, environ={})
    assert str(refused.value) == (
        f"{path}: not UTF-8 text (line 2); save it as UTF-8 (TOML files are UTF-8)"
    )
