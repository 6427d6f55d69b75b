"""Servers from plex.tv resources: connection choice, errors naming what was tried, several servers."""

from __future__ import annotations

import dataclasses

import pytest

from plextui import config
from plextui.emulators.plextv import PlexTvEmulator
from plextui.emulators.plextv.store import connection
from plextui.errors import ConfigError, PlexError, UnreachableError
from plextui.plex import account


@pytest.fixture(scope="module")
def tv():
    with PlexTvEmulator() as emulator:
        emulator.servers = emulator.start_servers(2, slow=0.4)
        yield emulator


def test_resources_list_servers_with_their_connections(tv):
    found = account.servers(tv.token, "cid", url=tv.url)
    assert [r.name for r in found] == ["Server 1", "Server 2"]
    first = found[0]
    assert first.access_token == tv.servers[0].token
    assert first.client_identifier == tv.servers[0].machine_identifier
    assert [c.protocol for c in first.connections] == ["https", "http", "http"]
    assert first.connections[1].local and not first.connections[2].local


def test_the_good_connection_wins_over_dead_and_slow(tv):
    resource = account.servers(tv.token, "cid", url=tv.url)[0]
    choice = account.pick_connection(resource, "cid", timeout=2)
    assert choice.connection.uri == tv.servers[0].url


def test_slow_answers_beat_none(tv):
    resource = account.servers(tv.token, "cid", url=tv.url)[0]
    without_good = dataclasses.replace(
        resource, connections=tuple(c for c in resource.connections if not c.local)
    )
    choice = account.pick_connection(without_good, "cid", timeout=2)
    assert choice.connection.kind == "remote" and choice.seconds >= 0.4


def test_no_connection_answered_lists_what_was_tried(tv):
    resource = account.servers(tv.token, "cid", url=tv.url)[0]
    remote = tuple(c for c in resource.connections if not c.local)
    with pytest.raises(UnreachableError) as caught:
        account.pick_connection(
            dataclasses.replace(resource, connections=remote), "cid", timeout=0.2
        )
    message = str(caught.value)
    assert message.startswith("Server 1: no connection answered: https://127.0.0.1:")
    assert "(refused)" in message and "(timed out)" in message
    assert resource.access_token not in message


def test_no_servers_on_the_account():
    with (
        PlexTvEmulator() as empty,
        pytest.raises(PlexError, match="no servers on this account"),
    ):
        account.servers(empty.token, "cid", url=empty.url)


def test_relay_and_https_rank(tv):
    https_dead, *_ = account.servers(tv.token, "cid", url=tv.url)[0].connections
    ranked = sorted(
        [
            account.Connection("http://relay:1", "http", False, True),
            account.Connection("http://lan:1", "http", True, False),
            https_dead,
        ],
        key=account._rank,
    )
    assert [c.kind for c in ranked] == ["remote", "local", "relay"]
    assert connection("https://10.0.0.2:32400")["port"] == 32400


def test_several_servers_saved_and_switched(tv):
    for resource in account.servers(tv.token, "cid", url=tv.url):
        url = account.pick_connection(resource, "cid", timeout=2).connection.uri
        config.save_server(config.ServerEntry(resource.name, url, resource.access_token, "cid"))
    settings = config.load()
    assert [s.name for s in settings.servers] == ["Server 1", "Server 2"]
    assert config.select_server(settings).plex.url == tv.servers[1].url  # the last login
    picked = config.select_server(settings, "server 1")
    assert picked.plex.url == tv.servers[0].url and picked.plex.token == tv.servers[0].token
    with pytest.raises(ConfigError, match="no server named 'nope'"):
        config.select_server(settings, "nope")
