"""Pilot tests: the sign-in screen against the plex.tv emulator, the Home picker, the switcher."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, OptionList, Static

from plextui import config
from plextui.emulators.plextv import PlexTvEmulator
from plextui.ui.screens.homeusers import HomeUsersScreen
from plextui.ui.screens.servers import ServersScreen
from plextui.ui.screens.signin import SignInScreen


@pytest.fixture(scope="module")
def tv():
    with PlexTvEmulator() as emulator:
        emulator.servers = emulator.start_servers(2, slow=0.2)
        yield emulator


class Host(App):
    def __init__(self, screen) -> None:
        super().__init__()
        self._screen, self.result = screen, "pending"

    def on_mount(self) -> None:
        self.push_screen(self._screen, self._done)

    def _done(self, result) -> None:
        self.result = result


async def until(pilot, check, seconds: float = 10.0):
    for _ in range(int(seconds / 0.05)):
        if value := check():
            return value
        await pilot.pause(0.05)
    raise AssertionError("the screen never got there")


def text(app: App, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_sign_in_shows_the_code_and_saves_the_chosen_server(tv, monkeypatch):
    monkeypatch.setenv("PLEXTUI_PLEXTV_URL", tv.url)
    known = len(tv.pins())
    app = Host(SignInScreen("cid-tui", interval=0.05))
    async with app.run_test(size=(90, 30)) as pilot:
        pin = await until(pilot, lambda: len(tv.pins()) > known and tv.pins()[-1])
        await until(pilot, lambda: pin.code in text(app, "#signin-code"))
        assert "plex.tv/link" in text(app, "#signin-code")
        tv.link(pin.code)
        await until(pilot, lambda: isinstance(app.screen, HomeUsersScreen))
        await pilot.press("down", "enter")  # alice, who has a PIN
        await until(pilot, lambda: app.screen.query_one("#homeusers-pin", Input).display)
        await pilot.press(*"0000", "enter")
        await until(pilot, lambda: "wrong PIN" in text(app, "#homeusers-status"))
        app.screen.query_one("#homeusers-pin", Input).value = ""
        await pilot.press(*"1234", "enter")
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await until(pilot, lambda: app.screen.query_one("#signin-servers", OptionList).display)
        assert "as alice" in text(app, "#signin-code")
        await pilot.press("down", "enter")
        entry = await until(pilot, lambda: app.result != "pending" and app.result)
        shown = "".join(str(s.render()) for s in app.screen.query(Static))
    assert entry.name == "Server 2" and entry.user == "alice"
    assert entry.url == tv.servers[1].url
    assert entry.token and entry.token not in shown
    assert config.select_server(config.load()).plex.server == "Server 2"


async def test_esc_cancels_and_an_expired_code_says_so(tv, monkeypatch):
    monkeypatch.setenv("PLEXTUI_PLEXTV_URL", tv.url)
    known = len(tv.pins())
    app = Host(SignInScreen("cid-tui-2", interval=0.05))
    async with app.run_test() as pilot:
        pin = await until(pilot, lambda: len(tv.pins()) > known and tv.pins()[-1])
        tv.expire(pin.code)
        await until(pilot, lambda: "expired" in text(app, "#signin-status"))
        await pilot.press("escape")
        await until(pilot, lambda: app.result is None)


async def test_server_switcher_returns_the_chosen_name():
    settings = config.Settings(
        servers=(
            config.ServerEntry("Home", "http://10.0.0.2:32400"),
            config.ServerEntry("Cabin", "http://10.0.0.9:32400", user="bob"),
        ),
        plex=config.PlexSettings(server="Home"),
    )
    app = Host(ServersScreen(settings))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 2
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.result == "Cabin")
