"""SettingsScreen: every key of the config schema, with its help, type and value, editable.

The rows are generated from `config.KEYS`, so a key added to the schema appears here by
itself. A typed value is checked by the schema before anything is written (the error is
shown under the field and nothing is saved), then saved with `config.set_value`, the
same atomic writer as `plextui config set`. Secrets are never displayed: the row says
whether one is set, and the field takes a new one hidden as it is typed; enter on the
empty field keeps the secret, and `-` (the placeholder says so) clears it.

Above the keys, the libraries: enter hides or shows one in the sidebar, `[`/`]` move it,
written to `ui.hidden_libraries` / `ui.library_order` by title; the sidebar follows at once.
"""

from __future__ import annotations

import os
import typing
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from plextui import config
from plextui.config import store
from plextui.config.keys import Key, _type_name
from plextui.errors import ConfigError
from plextui.ui.arrange import arranged

HINT = "enter edit · [ ] move a library · esc back"
# read once, when plextui starts (playback and quality: by the players it makes then)
RESTART = ("plex.", "cache.", "discord.", "ui.mirror_discord", "playback.", "quality.")
CLEAR = "-"  # typed in a secret's field to erase it (enter alone keeps the secret)
ENV_FOR = {name: var for var, name in config.ENV_KEYS.items()}


def shown(key: Key, value: Any) -> str:
    """A value as the list shows it; a secret only says whether it is set."""
    if key.secret:
        return "•••• set" if value else "not set"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items()) if value else "(none)"
    if isinstance(value, str):
        return store.without_password(value) if value else '""'
    return str(value)


def as_text(key: Key, value: Any) -> str:
    """A value as the edit field starts with it (what `checked` reads back); a secret
    starts empty."""
    if key.secret:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if typing.get_origin(key.type) is list:
        return ", ".join(value)
    if typing.get_origin(key.type) is dict:
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


class SettingsScreen(Screen[None]):
    DEFAULT_CSS = """
    #settings { padding: 0 1; }
    #settings-list { height: 1fr; }
    #settings-about { height: auto; min-height: 2; padding: 0 1; }
    #settings-error { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="settings.back"),
        Binding("left_square_bracket", "move(-1)", "Library up", id="settings.up"),
        Binding("right_square_bracket", "move(1)", "Library down", id="settings.down"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.editing: Key | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="settings"):
            yield Label(f"[b]Settings[/b]  [dim]{escape(str(config.config_path()))}[/dim]")
            yield OptionList(id="settings-list")
            yield Static("", id="settings-about")
            yield Input(id="settings-edit")
            yield Static("", id="settings-error")
            yield Label(HINT, classes="dialog-note")

    def on_mount(self) -> None:
        self.query_one("#settings-edit").display = False
        self.query_one("#settings-list").focus()
        self.call_after_refresh(self._fill)  # highlighted once the list is laid out

    # --- the rows -------------------------------------------------------------------------

    @property
    def settings(self) -> config.Settings:
        return self.app.settings  # type: ignore[attr-defined]

    def _libraries(self) -> list[str]:
        """Every library title, in the sidebar's order (hidden ones included)."""
        main = self.app._main()  # type: ignore[attr-defined]
        libraries = main.libraries if main is not None else []
        return [lib.title for lib in arranged(libraries, (), self.settings.ui.library_order)]

    def _fill(self, keep: str | None = None) -> None:
        listing = self.query_one("#settings-list", OptionList)
        keep = keep or self._highlighted_id()
        listing.clear_options()
        hidden = {title.casefold() for title in self.settings.ui.hidden_libraries}
        titles = self._libraries()
        if titles:
            listing.add_option(Option("[b]Libraries in the sidebar[/b]", disabled=True))
            for title in titles:
                gone = title.casefold() in hidden
                mark = "[dim]✗ hidden[/dim]" if gone else "✓ shown"
                listing.add_option(Option(f"  {escape(title)}  {mark}", id=f"lib:{title}"))
            listing.add_option(None)
        room = max(12, (listing.size.width - 6) // 2)  # a narrow screen: values still fit
        width = min(room, max(len(name) for name in config.KEYS))
        for key in config.KEYS.values():
            text = escape(shown(key, store._get(self.settings, key.name)))
            listing.add_option(Option(f"{key.name:<{width}}  {text}", id=f"key:{key.name}"))
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.highlighted = ids.index(keep) if keep and keep in ids else 1 if titles else 0

    def _highlighted_id(self) -> str | None:
        listing = self.query_one("#settings-list", OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    @on(OptionList.OptionHighlighted, "#settings-list")
    def _about(self, event: OptionList.OptionHighlighted) -> None:
        about = self.query_one("#settings-about", Static)
        name = event.option.id or ""
        if name.startswith("lib:"):
            about.update(Text("enter hides or shows it in the sidebar; [ and ] move it"))
            return
        if not name.startswith("key:"):
            about.update("")
            return
        key = config.KEYS[name[4:]]
        lines = [f"[b]{key.name}[/b]  {escape(key.doc)}", f"[dim]{_type_name(key.type)}"]
        if not key.secret:
            lines[1] += f" · default {escape(shown(key, key.default))}"
        lines[1] += "[/dim]"
        if (var := ENV_FOR.get(key.name)) and os.environ.get(var):
            lines.append(f"[yellow]${var} is set and overrides the file[/yellow]")
        about.update("\n".join(lines))

    # --- editing --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#settings-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id or ""
        if name.startswith("lib:"):
            self._toggle_hidden(name[4:])
        elif name.startswith("key:"):
            self.edit(config.KEYS[name[4:]])

    def edit(self, key: Key) -> None:
        """Open the field under the list for `key`; a secret is typed hidden."""
        self.editing = key
        field = self.query_one("#settings-edit", Input)
        field.password = key.secret
        field.placeholder = (
            f"enter alone keeps it, {CLEAR} clears it (typed hidden)"
            if key.secret
            else _type_name(key.type)
        )
        field.value = as_text(key, store._get(self.settings, key.name))
        field.display = True
        self.query_one("#settings-error", Static).update("")
        field.focus()

    @on(Input.Submitted, "#settings-edit")
    def _submitted(self, event: Input.Submitted) -> None:
        key = self.editing
        if key is None:
            return
        text = event.value.strip() if not key.secret else event.value
        if key.secret and text.strip() in ("", CLEAR):
            if not text.strip():  # nothing typed: the secret stays as it is
                self._close_field()
                self.query_one("#settings-error", Static).update(f"{key.name} unchanged")
                return
            text = ""
        try:
            value = store.checked(key.name, text)
        except ConfigError as error:
            self.query_one("#settings-error", Static).update(f"[red]{escape(str(error))}[/red]")
            return
        if self.save(key.name, value):
            self._close_field()

    def _close_field(self) -> None:
        self.editing = None
        field = self.query_one("#settings-edit", Input)
        field.value = ""
        field.display = False
        self.query_one("#settings-list").focus()

    def save(self, name: str, value: Any) -> bool:
        """Write one key atomically, then use it: at once where the app can, else from
        the next start (the note says which)."""
        try:
            config.set_value(name, value)
        except (ConfigError, OSError) as error:
            text = error.strerror if isinstance(error, OSError) else str(error)
            self.query_one("#settings-error", Static).update(f"[red]Not saved: {text}[/red]")
            return False
        self.app.apply_setting(name, value)  # type: ignore[attr-defined]
        later = name.startswith(RESTART)
        self.query_one("#settings-error", Static).update(
            f"Saved {name}" + (" (used from the next start)" if later else "")
        )
        self._fill()
        return True

    def _toggle_hidden(self, title: str) -> None:
        hidden = list(self.settings.ui.hidden_libraries)
        same = [t for t in hidden if t.casefold() == title.casefold()]
        if same:
            hidden = [t for t in hidden if t not in same]
        else:
            hidden.append(title)
        self.save("ui.hidden_libraries", hidden)

    def action_move(self, delta: int) -> None:
        name = self._highlighted_id() or ""
        if not name.startswith("lib:") or self.editing is not None:
            return
        titles = self._libraries()
        here = titles.index(name[4:])
        there = here + delta
        if not 0 <= there < len(titles):
            return
        titles[here], titles[there] = titles[there], titles[here]
        self.save("ui.library_order", titles)

    def action_back(self) -> None:
        if self.editing is not None:
            self._close_field()
        else:
            self.dismiss(None)
