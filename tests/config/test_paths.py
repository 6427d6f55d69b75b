"""Every file plextui keeps lives under the right user dir, and what writes it uses it."""

from __future__ import annotations

import dataclasses
import os
import stat

import pytest

from plextui import config
from plextui.config import paths
from plextui.control import runtime
from plextui.discord.mirror.webhook import Webhooks
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.authorizer import Caller
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.replay import ReplayGuard

CACHE = [paths.sqlite_cache_path, paths.demo_cache_path, paths.demo_known_servers_path]
STATE = [
    paths.client_id_path,
    paths.known_servers_path,
    paths.known_players_path,
    paths.webhook_queue_path,
    paths.audit_path,
    paths.interactions_seen_path,
    lambda: paths.channel_state_path("1234"),
]


def test_the_config_file_is_the_env_one_or_in_the_config_dir(isolated_user_dirs, monkeypatch):
    assert paths.config_path() == isolated_user_dirs / "config" / "config.toml"  # $PLEXTUI_CONFIG
    monkeypatch.delenv("PLEXTUI_CONFIG")
    assert paths.config_path() == isolated_user_dirs / "config" / "plextui" / "config.toml"
    assert config.config_path is paths.config_path


@pytest.mark.parametrize("where", CACHE)
def test_cache_files_are_under_the_cache_dir(where, isolated_user_dirs):
    assert where().is_relative_to(isolated_user_dirs / "cache" / "plextui")


@pytest.mark.parametrize("where", STATE)
def test_state_files_are_under_the_state_dir(where, isolated_user_dirs):
    assert where().parent == isolated_user_dirs / "state" / "plextui"


def test_names_are_the_ones_earlier_versions_wrote():
    """A renamed file would lose the user's queue, cursor or client id on upgrade."""
    names = [where().name for where in [*CACHE, *STATE]]
    assert names == [
        "cache.sqlite3",
        "cache.db",
        "servers.json",
        "client_id",
        "servers.json",
        "players.json",
        "webhook-queue.json",
        "audit.log",
        "interactions-seen.json",
        "discord-relay-1234.json",
    ]


def test_an_empty_cache_url_opens_the_cache_file(isolated_user_dirs):
    from plextui.cache import sqlite_path

    assert sqlite_path("") == paths.sqlite_cache_path()


def test_what_plextui_writes_to_the_state_dir_is_private(isolated_user_dirs):
    """Every writer uses the locations above, and the state dir and its files are owner-only
    (the client id and known servers used to be written with the umask's mode)."""
    settings = config.load()
    client_id = runtime.client_id(settings)
    assert runtime.client_id(settings) == client_id  # kept, not made anew
    runtime.remember_machine_id("http://pms:32400", "abc")
    assert runtime.known_machine_id("http://pms:32400") == "abc"
    AuditLog().record(source="test", caller=Caller("1", "ann"), text="pause", allowed=True)
    guard = ReplayGuard()
    guard.first_time(b"signature", sent=1.0, now=1.0)
    guard.save()
    queue = Webhooks(["https://discord.test/api/webhooks/1/t"])
    assert queue.path == paths.webhook_queue_path()
    remote = dataclasses.replace(settings.discord.remote, channel_id="1234")
    discord = dataclasses.replace(settings.discord, remote=remote)
    relay = ChannelPoller(dataclasses.replace(settings, discord=discord), None, None)
    assert relay.state_path == paths.channel_state_path("1234")

    state = paths.state_dir()
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    written = sorted(p.name for p in state.iterdir())
    assert written == ["audit.log", "client_id", "interactions-seen.json", "servers.json"]
    assert all(stat.S_IMODE(os.stat(state / name).st_mode) == 0o600 for name in written)
