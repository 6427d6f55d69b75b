"""Plex Home: list users, switch with and without a PIN; the switched token sees its own activity."""

from __future__ import annotations

import pytest

from plextui.emulators.plextv import PlexTvEmulator
from plextui.errors import AuthError
from plextui.plex import account
from plextui.plex.server import PlexService


@pytest.fixture(scope="module")
def tv():
    with PlexTvEmulator() as emulator:
        emulator.servers = emulator.start_servers(1)
        pms = emulator.servers[0]
        pms.add_session(user="alice", player_name="Kitchen TV")
        pms.add_session(user="bob", player_name="Kids Tablet")
        yield emulator


def test_home_users_show_who_needs_a_pin(tv):
    users = account.home_users(tv.token, "cid", url=tv.url)
    assert [(u.title, u.admin, u.protected) for u in users] == [
        ("demo", True, False),
        ("alice", False, True),
        ("bob", False, False),
    ]


def test_wrong_or_missing_pin_is_refused(tv):
    with pytest.raises(AuthError, match="wrong PIN"):
        account.switch_user(tv.token, 2, "cid", pin="0000", url=tv.url)
    with pytest.raises(AuthError, match="needs a PIN"):
        account.switch_user(tv.token, 2, "cid", url=tv.url)


def _server_token(tv, user_token: str) -> tuple[str, str]:
    resource = account.servers(user_token, "cid", url=tv.url)[0]
    return account.pick_connection(resource, "cid", timeout=2).connection.uri, resource.access_token


async def _activity(url: str, token: str) -> tuple[set[str], set[str]]:
    service = PlexService(url, token, client_id="cid", retries=0)
    try:
        await service.connect()
        sessions = {s.user for s in await service.sessions()}
        history = {h.user for h in await service.history(size=200)}
    finally:
        service.close()
    return sessions, history


async def test_switching_user_changes_sessions_and_history(tv):
    url, owner_token = _server_token(tv, tv.token)
    sessions, history = await _activity(url, owner_token)
    assert sessions == {"alice", "bob"}
    assert {"alice", "bob"} <= history

    alice = account.switch_user(tv.token, 2, "cid", pin="1234", url=tv.url)
    assert alice != tv.token
    url, alice_server = _server_token(tv, alice)
    assert alice_server != owner_token
    sessions, history = await _activity(url, alice_server)
    assert sessions == {"alice"}
    assert history == {"alice"}

    bob = account.switch_user(tv.token, 3, "cid", url=tv.url)
    sessions, history = await _activity(*_server_token(tv, bob))
    assert sessions == {"bob"} and history == {"bob"}
