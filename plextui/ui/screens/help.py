"""HelpScreen: every binding with its current key (after the keymap) and its id, filtered
as you type.

The id is what `plextui config set ui.keymap.<id> <key>` remaps, so it is always shown;
the columns are sized to the dialog (the description wraps, "Where" only shows when
there is room), so nothing runs off a 60-column terminal.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
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
HEADER = "Keys  [dim]type to filter · remap one: plextui config set ui.keymap.<id> <key>[/dim]"
PADDING = 2  # a DataTable cell's padding, both sides together
SCROLLBAR = 2
ROOM_FOR_WHERE = 34  # the description's width at which the "Where" column joins


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
        "escape": "esc",
        "comma": ",",
        "number_sign": "#",
        "f2": "F2",
    }
    parts = []
    for key in keys_text.split(","):
        *mods, base = key.strip().split("+")
        parts.append("+".join([*mods, names.get(base, base)]))
    return ", ".join(parts)


def columns(table: list[tuple[str, str, str, str]], width: int) -> list[tuple[str, int]]:
    """(label, width) of each column for a table `width` cells wide: keys and id as wide
    as their longest entry, the description the rest; "Where" last, when it leaves room."""

    def widest(label: str, index: int) -> int:
        return max([cell_len(label)] + [cell_len(row[index]) for row in table])

    keys_w, id_w, where_w = widest("Keys", 1), widest("Id", 3), widest("Where", 0)
    does_w = width - SCROLLBAR - 3 * PADDING - keys_w - id_w
    out = [("Keys", keys_w), ("Does", max(12, does_w)), ("Id", id_w)]
    if does_w - where_w - PADDING >= ROOM_FOR_WHERE:
        out[1] = ("Does", does_w - where_w - PADDING)
        out.append(("Where", where_w))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = CANCEL + [Binding("question_mark", "cancel", "Close", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(HEADER, classes="dialog-note")
            yield Input(placeholder="Filter keys…", id="help-filter")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.call_after_refresh(self._refill)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._refill)

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._refill()

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        wanted = self.query_one(Input).value.casefold()
        settings = getattr(self.app, "settings", None)
        every = rows(settings.ui.keymap if settings else {})
        shown = [row for row in every if wanted in " ".join(row).casefold()]
        table.clear(columns=True)
        layout = columns(every, table.size.width)
        for label, width in layout:
            table.add_column(label, width=width)
        for group, keys_text, what, binding_id in shown:
            cells = {"Keys": keys_text, "Does": what, "Id": binding_id, "Where": group}
            table.add_row(*(Text(cells[label]) for label, _ in layout), height=None)

    def action_cancel(self) -> None:
        self.dismiss(None)
