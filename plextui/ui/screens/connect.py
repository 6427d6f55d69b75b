"""Getting to a server: the connecting screen, and the first-run form when none is set.

The form validates the URL and token against the live server before anything is saved,
so a typo never ends up in the config file.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from plextui import config
from plextui.control import runtime as runtime_mod
from plextui.errors import PlextuiError
from plextui.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime


class ConnectScreen(Screen):
    """Shows where it is connecting; on failure says why and offers retry or setup."""

    BINDINGS = [
        Binding("r", "retry", "Retry", id="connect.retry"),
        Binding("ctrl+n", "setup", "Change server", id="connect.setup"),
    ]

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.rt = runtime

    def compose(self) -> ComposeResult:
        with Vertical(classes="centered"):
            yield Label("[b]plextui[/b]", classes="dialog-title")
            yield Static(f"Connecting to {self.rt.service.url}…", id="connect-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.connect()

    @work(group="connect", exclusive=True)
    async def connect(self) -> None:
        status = self.query_one("#connect-status", Static)
        status.update(f"Connecting to {self.rt.service.url}…")
        try:
            await runtime_mod.connect(self.rt, self.app._cache_fault)  # type: ignore[attr-defined]
        except PlextuiError as error:
            status.update(
                f"[$error]{escape(str(error))}[/]\n\n[dim]r retry · ctrl+n change server · q quit[/]"
            )
            self.notify(str(error), title="Cannot connect", severity="error")
            return
        self.app.connected()  # type: ignore[attr-defined]

    def action_retry(self) -> None:
        self.connect()

    def action_setup(self) -> None:
        self.app.switch_screen(FirstRunScreen())


class FirstRunScreen(Screen):
    """Server URL and token, checked live and saved with `config.set_value`; or the demo."""

    # priority: the URL field has focus from the start, and Input takes ctrl+d itself
    BINDINGS = [Binding("ctrl+d", "demo", "Try the demo", id="firstrun.demo", priority=True)]

    def compose(self) -> ComposeResult:
        # The buttons are docked to the dialog's foot and the rest scrolls above them, so
        # a newcomer on a short terminal still sees the ways forward.
        with VerticalScroll(classes="dialog firstrun"):
            with Horizontal(classes="dialog-buttons"):
                yield Button("Sign in with Plex", variant="primary", id="signin")
                yield Button("Connect", id="connect")
                yield Button("Try the demo", id="demo")
            yield Label("[b]Welcome to plextui[/b]", classes="dialog-title")
            yield Label(
                "Sign in with your Plex account (a code at plex.tv/link), or connect with "
                "the server URL and X-Plex-Token (Plex Web → any item → Get Info → View XML "
                "shows it in the URL).",
                classes="dialog-note",
            )
            with Horizontal(classes="field"):
                yield Label("Server URL")
                yield Input(placeholder="http://192.168.1.10:32400", id="url")
            with Horizontal(classes="field"):
                yield Label("Token")
                yield Input(placeholder="X-Plex-Token", password=True, id="token")
            yield Static("", id="firstrun-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#url", Input).focus()

    @on(Input.Submitted, "#url")
    def _next(self) -> None:
        self.query_one("#token", Input).focus()

    @on(Button.Pressed, "#connect")
    @on(Input.Submitted, "#token")
    def _connect(self) -> None:
        url = self.query_one("#url", Input).value.strip()
        token = self.query_one("#token", Input).value.strip()
        self.validate(url, token)

    @work(group="validate", exclusive=True)
    async def validate(self, url: str, token: str) -> None:
        error_line = self.query_one("#firstrun-error", Static)
        app = self.app
        settings = app.settings  # type: ignore[attr-defined]
        rt = None
        try:
            if not url or not token:
                raise PlextuiError("enter both the server URL and the token")
            if problem := config.KEYS["plex.url"].check(url):
                raise PlextuiError(f"the server URL must be {problem}")
            plex = dataclasses.replace(settings.plex, url=url, token=token)
            rt = runtime_mod.build(dataclasses.replace(settings, plex=plex))
            error_line.update("[dim]Checking…[/dim]")
            rt.service.retries = 0
            await rt.service.connect()
        except PlextuiError as error:
            error_line.update(f"[$error]{escape(str(error))}[/]")
            if rt is not None:
                rt.close()  # its thread pool and cache would outlive the failed try
            return
        try:
            config.set_value("plex.url", url)
            config.set_value("plex.token", token)
        except PlextuiError as error:
            self.notify(f"connected, but the config was not saved: {error}", severity="warning")
        self.notify(f"Connected to {rt.service.info.name if rt.service.info else url}")
        app.start(rt)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#signin")
    def _signin(self) -> None:
        from plextui.ui.screens.signin import SignInScreen

        client_id = runtime_mod.client_id(self.app.settings)  # type: ignore[attr-defined]
        self.app.push_screen(SignInScreen(client_id), self.app.use_server)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        start_demo = self.app.start_demo  # type: ignore[attr-defined]
        try:
            if start_demo is None:
                raise RuntimeError("run `plextui demo` from a shell")
            rt = start_demo(self.app)
        except Exception as error:  # noqa: BLE001 - the emulator failing must not crash setup
            self.query_one("#firstrun-error", Static).update(
                f"[$error]demo failed: {escape(str(error))}[/]"
            )
            return
        self.app.start(rt)  # type: ignore[attr-defined]
