"""Sign in with Plex: show a code for plex.tv/link, wait for it in a thread, then pick a server.

The plex.tv token lives only in this screen's memory; the chosen server's token goes
straight into the config file and is never drawn on screen.
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from plextui import config
from plextui.errors import PlextuiError
from plextui.plex import account
from plextui.ui.widgets.footer import KeyFooter

from .homeusers import HomeUsersScreen


class SignInScreen(ModalScreen[config.ServerEntry | None]):
    """Dismisses with the saved ServerEntry, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="signin.cancel"),
        Binding("ctrl+r", "restart", "New code", id="signin.restart"),
    ]

    def __init__(self, client_id: str, interval: float = 1.0, path: Path | None = None) -> None:
        super().__init__()
        self._client_id, self._interval, self._path = client_id, interval, path
        self._login: account.PinLogin | None = None
        self._token = ""
        self._user = ""
        self._resources: list[account.Resource] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog signin"):
            yield Label("Sign in with Plex", classes="dialog-title")
            yield Static("Asking plex.tv for a code…", id="signin-code")
            yield Static("", id="signin-status")
            yield OptionList(id="signin-servers")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#signin-servers", OptionList).display = False
        self.wait_for_link()

    def _show(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(text)

    @work(thread=True, exclusive=True, group="signin")
    def wait_for_link(self) -> None:
        call = self.app.call_from_thread
        self._login = login = account.PinLogin(self._client_id, interval=self._interval)
        try:
            pin = login.create()
            call(
                self._show,
                "#signin-code",
                f"Go to [b]{pin.link}[/b] and enter the code\n\n[b reverse] {pin.code} [/]",
            )
            if login.notice:
                call(self.notify, login.notice, title="Clock", severity="warning")
            call(self._show, "#signin-status", "[dim]Waiting for plex.tv… (Esc cancels)[/dim]")
            self._token = login.wait()
            call(self._show, "#signin-status", "Signed in. Looking for your servers…")
            users = account.home_users(self._token, self._client_id)
        except account.LoginCancelled:
            return
        except PlextuiError as error:
            call(
                self._show,
                "#signin-status",
                f"[$error]{escape(str(error))}[/]\n[dim]ctrl+r new code[/dim]",
            )
            return
        if len(users) > 1:
            call(self._ask_user, users)
        else:
            self.find_servers()

    def _ask_user(self, users: list[account.HomeUser]) -> None:
        self.app.push_screen(HomeUsersScreen(self._token, self._client_id, users), self._as_user)

    def _as_user(self, switched: tuple[str, str] | None) -> None:
        if switched is not None:
            self._user, self._token = switched
        self.find_servers()

    @work(thread=True, exclusive=True, group="signin")
    def find_servers(self) -> None:
        call = self.app.call_from_thread
        try:
            self._resources = account.servers(self._token, self._client_id)
        except PlextuiError as error:
            call(self._show, "#signin-status", f"[$error]{escape(str(error))}[/]")
            return
        call(self._list_servers)

    def _list_servers(self) -> None:
        who = f" as {self._user}" if self._user else ""
        self._show("#signin-code", f"Signed in{who}. Choose a server:")
        self._show("#signin-status", "")
        servers = self.query_one("#signin-servers", OptionList)
        servers.clear_options()
        for n, r in enumerate(self._resources):
            kinds = sorted({c.kind for c in r.connections})
            servers.add_option(Option(f"{r.name}  [dim]{', '.join(kinds)}[/dim]", id=str(n)))
        servers.display = True
        servers.highlighted = 0
        servers.focus()

    @on(OptionList.OptionSelected, "#signin-servers")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        resource = self._resources[int(event.option.id)]
        self._show("#signin-status", f"Testing connections to {resource.name}…")
        self.connect(resource)

    @work(thread=True, exclusive=True, group="signin")
    def connect(self, resource: account.Resource) -> None:
        call = self.app.call_from_thread
        try:
            choice = account.pick_connection(resource, self._client_id)
            entry = config.ServerEntry(
                resource.name,
                choice.connection.uri,
                resource.access_token,
                self._client_id,
                self._user,
            )
            config.save_server(entry, self._path)
        except PlextuiError as error:
            call(self._show, "#signin-status", f"[$error]{escape(str(error))}[/]")
            return
        if choice.notice:
            call(self.notify, choice.notice, title="Clock", severity="warning")
        call(self.dismiss, entry)

    def action_cancel(self) -> None:
        if self._login is not None:
            self._login.cancel()
        self.dismiss(None)

    def action_restart(self) -> None:
        if self._login is not None:
            self._login.cancel()
        self.query_one("#signin-servers", OptionList).display = False
        self.wait_for_link()
