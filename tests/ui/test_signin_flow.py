"""A fresh install signs in with a plex.tv/link code and browses without seeing a token;
then the server switcher moves the running app to another saved server."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from plextui import config
from plextui.config import Settings
from plextui.emulators.plextv import PlexTvEmulator
from plextui.ui.app import make_app
from plextui.ui.screens.connect import FirstRunScreen
from plextui.ui.screens.homeusers import HomeUsersScreen
from plextui.ui.screens.servers import ServersScreen
from plextui.ui.screens.signin import SignInScreen
from tests.ui.conftest import SIZE, main_screen, wait_for


@pytest.fixture
def tv(monkeypatch):
    with PlexTvEmulator() as emulator:
        emulator.servers = emulator.start_servers(2, slow=0.2)
        monkeypatch.setenv("PLEXTUI_PLEXTV_URL", emulator.url)
        yield emulator


def everything_shown(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_sign_in_from_first_run_then_browse(tv):
    app = make_app(Settings(), watch_events=False, poll_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        await pilot.click("#signin")
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen))
        await wait_for(pilot, lambda: tv.pins())
        code = tv.pins()[-1].code
        await wait_for(pilot, lambda: code in everything_shown(app))
        tv.link(code)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeUsersScreen))
        await pilot.press("enter")  # the owner
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.pause(0.3)
        await pilot.press("enter")  # the first server
        await wait_for(pilot, lambda: main_screen(app) is not None, timeout=15)
        await wait_for(pilot, lambda: main_screen(app).items.total > 0, timeout=15)
        saved = config.select_server(config.load())
        assert saved.plex.url == tv.servers[0].url
        assert saved.plex.token not in everything_shown(app)


async def test_server_switcher_moves_to_another_saved_server(tv):
    first, second = tv.servers
    for name, server in (("Home", first), ("Cabin", second)):
        config.save_server(config.ServerEntry(name, server.url, server.token))
    settings = config.select_server(config.load(), "Home")
    app = make_app(settings, watch_events=False, poll_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: main_screen(app) is not None and main_screen(app).items.total > 0
        )
        assert app.rt.service.url == first.url
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ServersScreen))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.rt is not None and app.rt.service.url == second.url)
        await wait_for(
            pilot, lambda: main_screen(app) is not None and main_screen(app).items.total > 0
        )
        assert app.settings.plex.server == "Cabin"


def app_whose_demo_fails() -> tuple:
    """A first-run app handed a demo that cannot start, and the apps it was asked by."""
    asked = []

    def start_demo(app):
        asked.append(app)
        raise OSError("port 32499 is taken")

    return make_app(Settings(), watch_events=False, start_demo=start_demo), asked


async def test_first_run_demo_button_uses_the_entry_points_demo():
    """The UI does not import the demo (an entry point): the app is handed it, and a
    demo that fails to start says why on the first-run screen."""
    app, asked = app_whose_demo_fails()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        await pilot.click("#demo")
        await wait_for(pilot, lambda: "demo failed: port 32499 is taken" in everything_shown(app))
        assert asked == [app]


async def test_ctrl_d_starts_the_demo_while_the_url_field_has_focus():
    """The footer offers ctrl+d for the demo; the URL field, focused from the start, took
    the key as "delete right" and the demo never started."""
    app, asked = app_whose_demo_fails()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        assert app.focused is app.screen.query_one("#url")
        shown = [k.description for k in app.screen.query(FooterKey)]
        assert "Try the demo" in shown
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: "demo failed: port 32499 is taken" in everything_shown(app))
        assert asked == [app]
