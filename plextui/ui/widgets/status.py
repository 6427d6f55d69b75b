"""StatusLine: the top line naming the server and whether updates are live."""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Static

MODES = {
    "live": "[$success]● live[/]",
    "polling": "[$warning]● polling[/]",
    "offline": "[$error]● offline[/]",
    "stale": "[$error]● offline[/] [dim]· showing cached data[/dim]",
    "connecting": "[dim]● connecting[/dim]",
    "connected": "[$success]● connected[/]",
    "cached": "[$warning]● cached[/] [dim]· from the last visit, refreshing[/dim]",
}


def status_text(server: str, mode: str) -> str:
    return f"[b]plextui[/b] · {escape(server)} · {MODES.get(mode, mode)}"


class StatusLine(Static):
    """Reads the app's status on mount; the app pushes changes with `show`."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; }
    """

    def on_mount(self) -> None:
        server, mode = getattr(self.app, "status", ("", "connecting"))
        self.show(server, mode)

    def show(self, server: str, mode: str) -> None:
        self.update(status_text(server, mode))
