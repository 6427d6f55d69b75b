"""Server switcher: the saved `[[servers]]`, the active one marked; dismisses with a name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from plextui.config import Settings


class ServersScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="servers.cancel")]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings

    def compose(self) -> ComposeResult:
        active = self._settings.plex.server.casefold()
        with Vertical(classes="dialog"):
            yield Label("Switch server", classes="dialog-title")
            if not self._settings.servers:
                yield Label("No saved servers yet: run plextui login.", classes="dialog-note")
            options = [
                Option(
                    ("● " if s.name.casefold() == active else "  ")
                    + s.name
                    + (f"  [dim]{s.user}[/dim]" if s.user else ""),
                    id=s.name,
                )
                for s in self._settings.servers
            ]
            yield OptionList(*options, id="servers-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#servers-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
