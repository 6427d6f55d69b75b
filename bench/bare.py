"""The yardstick of start-up: a bare Textual app that paints one line (`python -m bench.bare`)."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "bare textual: ready"


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    Bare().run()
