"""PIN sign-in against the plex.tv emulator: linked, expired, cancelled, offline; `plextui login`."""

from __future__ import annotations

import argparse
import io
import stat
import threading
import time

import pytest
import requests

from plextui import config
from plextui.emulators.plextv import PlexTvEmulator
from plextui.entry import login
from plextui.errors import AuthError, CommandError, UnreachableError
from plextui.plex import account


@pytest.fixture(scope="module")
def tv():
    with PlexTvEmulator() as emulator:
        emulator.start_servers(2, slow=0.3)
        yield emulator


@pytest.fixture
def plextv_env(tv, monkeypatch):
    monkeypatch.setenv("PLEXTUI_PLEXTV_URL", tv.url)
    return tv


def link_soon(tv: PlexTvEmulator, known: int, **kw) -> threading.Thread:
    """Type the next new code at "plex.tv/link" once the client has created it."""

    def run() -> None:
        for _ in range(200):
            if len(tv.pins()) > known:
                tv.link(tv.pins()[-1].code, **kw)
                return
            time.sleep(0.02)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_pin_is_a_short_code_for_plex_tv_link(tv):
    pin = account.PinLogin("cid-1", url=tv.url).create()
    assert len(pin.code) == 4 and pin.code.isalnum()
    assert pin.link == "plex.tv/link"
    assert pin.expires_at > time.time() + 600


def test_linked_pin_gives_the_account_token(tv):
    login_ = account.PinLogin("cid-2", url=tv.url, interval=0.02)
    login_.create()
    assert login_.check() is None
    link_soon(tv, len(tv.pins()) - 1)
    assert login_.wait(timeout=5) == tv.token


def test_expired_pin_says_start_again(tv):
    login_ = account.PinLogin("cid-3", url=tv.url, interval=0.02)
    pin = login_.create()
    tv.expire(pin.code)
    with pytest.raises(account.PinExpired, match="the code expired; start again"):
        login_.wait()


def test_cancel_stops_the_wait(tv):
    login_ = account.PinLogin("cid-4", url=tv.url, interval=0.05)
    login_.create()
    threading.Timer(0.1, login_.cancel).start()
    with pytest.raises(account.LoginCancelled):
        login_.wait(timeout=5)


def test_offline_is_unreachable():
    with pytest.raises(UnreachableError, match="cannot reach"):
        account.PinLogin("cid", url="http://127.0.0.1:9").create()


def test_plextv_wants_a_client_identifier_and_a_token(tv):
    bare = requests.post(f"{tv.url}/api/v2/pins", headers={"Accept": "application/json"})
    assert bare.status_code == 400
    assert bare.json()["errors"][0]["code"] == 1000
    with pytest.raises(AuthError, match="User could not be authenticated"):
        account.servers("not-a-token", "cid", url=tv.url)


def test_clock_skew_is_noticed(tv):
    tv.clock_skew = 3600
    try:
        login_ = account.PinLogin("cid-5", url=tv.url)
        login_.create()
    finally:
        tv.clock_skew = 0
    assert "clock is 60 minutes behind" in login_.notice


def test_login_saves_the_server_without_printing_the_token(plextv_env, capsys):
    tv = plextv_env
    link_soon(tv, len(tv.pins()))
    args = argparse.Namespace(server="server 2", home_user=None)
    assert login.main(args, interval=0.02) == 0
    out = capsys.readouterr()
    settings = config.select_server(config.load())
    assert settings.plex.server == "Server 2"
    assert settings.plex.token and settings.plex.token not in out.out + out.err
    assert tv.token not in out.out + out.err
    assert "plex.tv/link" in out.out and "Saved 'Server 2'" in out.out
    assert stat.S_IMODE(config.config_path().stat().st_mode) == 0o600


def test_login_as_a_home_user_without_a_pin(plextv_env, capsys):
    tv = plextv_env
    link_soon(tv, len(tv.pins()))
    args = argparse.Namespace(server="Server 1", home_user="bob")
    assert login.main(args, interval=0.02) == 0
    entry = config.load().servers[0]
    assert entry.user == "bob" and entry.token.startswith("srv-3-")


def test_login_with_several_servers_and_no_choice_is_a_usage_error(plextv_env, monkeypatch):
    tv = plextv_env
    monkeypatch.setattr("sys.stdin", io.StringIO())
    link_soon(tv, len(tv.pins()))
    with pytest.raises(CommandError, match="several servers"):
        login.main(argparse.Namespace(server=None, home_user=None), interval=0.02)
