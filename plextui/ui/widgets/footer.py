"""KeyFooter: the compact footer, with Help, Quit and the palette key pinned to its right.

Textual's footer lays keys out left to right and cuts whatever does not fit, so on a
narrow terminal `q Quit` was the first to go. The pinned keys sit in one group docked
right and stay; the other keys fill the room left of them, and a key that would be cut
is left out whole rather than shown in part. Where `q` would type into an input, the
footer offers ctrl+q (Textual's own quit key) instead.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED = ("help", "quit")  # actions whose keys are always shown


def cells(key: FooterKey) -> int:
    """Columns a compact key takes, with the one between it and the next."""
    return cell_len(key.key_display) + (1 + cell_len(key.description)) * bool(key.description) + 1


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter > .pinned { dock: right; width: auto; height: 1; background: $footer-background; }
    KeyFooter > .pinned FooterKey { margin: 0 0 0 1; }
    KeyFooter > .pinned FooterKey.-command-palette { dock: none; }
    """

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(compact=True, **kwargs)
        self._width = 0
        self._composed: tuple = ()
        self._due = False  # a recompose is queued for after the next refresh

    def shown(self) -> tuple:
        """What the keys would show now: the bindings as compose reads them, and the width."""
        if not self._bindings_ready:
            return ()
        bindings = self.screen.active_bindings.values()
        return (
            self._width,
            self.show_command_palette,
            *(
                (b.key, b.action, b.description, enabled, tooltip)
                for _, b, enabled, tooltip in bindings
                if b.show
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        """Recompose once per burst of signals, and only when what the keys show changed.
        Textual signals on every focus change and queued a recompose for each signal:
        starting up queued seven, 10-20 ms each, after the first rows were drawn."""
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._recompose_soon()

    def _recompose_soon(self) -> None:
        if not self._due:
            self._due = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._due = False
        if self.is_attached and self.shown() != self._composed:
            await self.recompose()

    def compose(self) -> ComposeResult:
        self._composed = self.shown()
        keys = list(super().compose())
        for key in keys:  # compact from the start: binding `compact` then restyles nothing
            if isinstance(key, FooterKey):
                key.set_class(self.compact, "-compact", update=False)
        pinned = [
            k
            for k in keys
            if isinstance(k, FooterKey) and (k.action in PINNED or k.has_class("-command-palette"))
        ]
        if not any(k.action == "quit" for k in pinned):  # q types into a focused input
            pinned.insert(0, FooterKey("ctrl+q", "^q", "Quit", "quit"))
        room = (self._width or 10_000) - sum(cells(k) for k in pinned) - 1  # 1: the bar
        for key in keys:
            if key in pinned:
                continue
            room -= cells(key)
            if room < 0:
                break
            yield key
        yield HorizontalGroup(*pinned, classes="pinned")

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._recompose_soon()
