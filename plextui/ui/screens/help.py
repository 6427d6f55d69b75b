"""HelpScreen: every binding with its current key (after the keymap), filtered as you type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label

from plextui.ui import keys
from plextui.ui.screens.dialogs import CANCEL

GROUPS = [
    ("Playback", keys.PLAYBACK),
    ("Everywhere", keys.GLOBAL),
    ("Browsing", keys.BROWSE),
    ("Sessions", keys.SESSIONS),
]


def rows(keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(group, keys, what, id) for every binding, keys as remapped by `[ui] keymap`."""
    out = []
    for group, bindings in GROUPS:
        for binding in bindings:
            keys_text = keymap.get(binding.id or "", binding.key)
            out.append((group, pretty(keys_text), binding.description, binding.id or ""))
    out += [("Typing", k, what, "") for k, what in keys.EXTRA_HELP]
    return out


def pretty(keys_text: str) -> str:
    names = {
        "question_mark": "?",
        "slash": "/",
        "plus": "+",
        "equals_sign": "=",
        "minus": "-",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "left": "←",
        "right": "→",
    }
    parts = []
    for key in keys_text.split(","):
        *mods, base = key.strip().split("+")
        parts.append("+".join([*mods, names.get(base, base)]))
    return ", ".join(parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = CANCEL + [Binding("question_mark", "cancel", "Close", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label("Keys  [dim](type to filter; ids remap in \\[ui] keymap)[/dim]")
            yield Input(placeholder="Filter keys…", id="help-filter")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Does", "Id")
        self._fill("")
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        wanted = text.casefold()
        keymap = getattr(self.app, "settings", None)
        keymap = keymap.ui.keymap if keymap else {}
        for row in rows(keymap):
            if wanted in " ".join(row).casefold():
                table.add_row(*row)

    def action_cancel(self) -> None:
        self.dismiss(None)
