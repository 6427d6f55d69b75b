"""Plex Home user picker: choose who is watching, with their PIN when they have one.

Dismisses with (user title, that user's plex.tv token) or None to stay as the account owner.
"""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from plextui.errors import PlextuiError
from plextui.plex import account


class HomeUsersScreen(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="homeusers.cancel")]

    def __init__(self, token: str, client_id: str, users: list[account.HomeUser]) -> None:
        super().__init__()
        self._token, self._client_id, self._users = token, client_id, users
        self._chosen: account.HomeUser | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Who is watching?", classes="dialog-title")
            yield OptionList(
                *(
                    Option(u.title + ("  🔒" if u.protected else ""), id=str(u.id))
                    for u in self._users
                ),
                id="homeusers-list",
            )
            yield Input(placeholder="PIN", password=True, id="homeusers-pin", max_length=4)
            yield Static("", id="homeusers-status")

    def on_mount(self) -> None:
        self.query_one("#homeusers-pin", Input).display = False
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#homeusers-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._chosen = next(u for u in self._users if str(u.id) == event.option.id)
        if self._chosen.admin:
            self.dismiss(None)
        elif self._chosen.protected:
            pin = self.query_one("#homeusers-pin", Input)
            pin.display = True
            pin.value = ""
            pin.focus()
            self._say(f"Enter {self._chosen.title}'s PIN")
        else:
            self.switch(None)

    @on(Input.Submitted, "#homeusers-pin")
    def _pin(self, event: Input.Submitted) -> None:
        self.switch(event.value.strip())

    @work(thread=True, exclusive=True, group="homeusers")
    def switch(self, pin: str | None) -> None:
        user = self._chosen
        try:
            token = account.switch_user(self._token, user.id, self._client_id, pin=pin)
        except PlextuiError as error:
            self.app.call_from_thread(self._say, f"[$error]{escape(str(error))}[/]")
            return
        self.app.call_from_thread(self.dismiss, (user.title, token))

    def _say(self, text: str) -> None:
        self.query_one("#homeusers-status", Static).update(text)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
