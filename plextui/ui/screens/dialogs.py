"""Small modal dialogs: pick one of a list, type a line, confirm a destructive action.

Each dismisses with its answer (None when cancelled), so callers use
`push_screen(dialog, callback)` and never block the loop waiting.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

# Ctrl+C closes a dialog as escape does: Textual binds it to copy (skipped when nothing is
# selected) and to "how to quit" (silent under a modal screen), so without this it did nothing.
CANCEL = [Binding("escape,ctrl+c", "cancel", "Cancel", id="dialog.cancel")]


class ChoiceDialog(ModalScreen[str | None]):
    """A titled list of choices; `note` explains what picking means."""

    BINDINGS = CANCEL

    def __init__(
        self,
        title: str,
        choices: list[tuple[str, str]],
        note: str = "",
        current: str | None = None,
        marked: tuple[str, ...] = (),  # marked ● like `current`, which alone is highlighted
    ) -> None:
        super().__init__()
        self.title_text, self.choices, self.note, self.current = title, choices, note, current
        self.marked = (current, *marked)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.note:
                yield Label(self.note, classes="dialog-note")
            options = [
                Option(("● " if key in self.marked else "  ") + label, id=key)
                for key, label in self.choices
            ]
            keys = [key for key, _ in self.choices]
            choices = OptionList(*options, id="choices")
            if self.current in keys:
                choices.highlighted = keys.index(self.current)
            yield choices

    def add_choices(self, choices: list[tuple[str, str]], note: str | None = None) -> None:
        """Add the choices not listed yet (a search that ended while the list was open),
        and say so in the note; the highlight stays where the user put it."""
        listed = {key for key, _ in self.choices}
        new = [(key, label) for key, label in choices if key not in listed]
        self.choices += new
        if note is not None and self.note:
            self.note = note
        # not composed yet (compose lists them) or already closed: no widgets to update
        for listing in self.query("#choices").results(OptionList):
            listing.add_options(
                Option(("● " if key in self.marked else "  ") + label, id=key) for key, label in new
            )
        for label in self.query(".dialog-note").results(Label):
            label.update(self.note)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class InputDialog(ModalScreen[str | None]):
    """One line of text (a playlist name); empty input counts as cancel."""

    BINDINGS = CANCEL

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder, self.value = title, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Label("enter to accept · escape to cancel", classes="dialog-note")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[str | None]):
    """Yes/no for destructive actions; with `reason` it also asks why (sent to the viewer).

    Dismisses with the reason ("" when none was typed) on yes, None on no.
    """

    BINDINGS = CANCEL

    def __init__(self, question: str, yes: str = "Delete", reason: str | None = None) -> None:
        super().__init__()
        self.question, self.yes, self.reason = question, yes, reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            if self.reason is not None:
                # not selected on focus: Ctrl+C would copy that selection instead of closing
                yield Input(
                    self.reason,
                    placeholder="Reason shown to the viewer",
                    id="reason",
                    select_on_focus=False,
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.reason is None else "#reason").focus()

    @on(Button.Pressed, "#yes")
    @on(Input.Submitted)
    def _yes(self) -> None:
        reason = self.query("#reason")
        self.dismiss(reason.first(Input).value.strip() if reason else "")

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(None)
