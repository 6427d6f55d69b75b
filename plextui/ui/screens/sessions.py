"""SessionsScreen: every stream on the server, live bandwidth, history, and terminate.

Rows come from the app's session events (the bus), refreshed on demand; the live
sparkline samples the sum of session bandwidth each time the table changes or every
two seconds, and the server's own bandwidth history sits under it.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label, Sparkline

from plextui.core.models import SessionInfo
from plextui.core.text import human_bitrate, human_size
from plextui.core.timecode import format_clock
from plextui.errors import PlextuiError
from plextui.ui import keys
from plextui.ui.screens.dialogs import ConfirmDialog
from plextui.ui.widgets.footer import KeyFooter
from plextui.ui.widgets.nowbar import DECISIONS, NowPlayingBar

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime

COLUMNS = ("User", "Player", "Title", "Progress", "State", "Net", "Bandwidth", "Decision", "Speed")
SAMPLES = 60


def session_row(s: SessionInfo) -> tuple[Text, ...]:
    """Cells as plain Text: names and titles come from the server and may hold brackets,
    which a DataTable would otherwise read as markup."""
    return tuple(Text(cell) for cell in _cells(s))


def _cells(s: SessionInfo) -> tuple[str, ...]:
    title = s.item.display_title if s.item else "?"
    progress = f"{format_clock(s.progress_ms)} / {format_clock(s.duration_ms)}"
    speed = f"{s.transcode_speed:.1f}x" if s.transcode_speed else ""
    if s.throttled:
        speed += " throttled"
    return (
        s.user,
        s.player,
        title,
        progress,
        s.state,
        s.location.upper(),
        human_bitrate(s.bandwidth_kbps),
        DECISIONS.get(s.decision, s.decision),
        speed,
    )


class SessionsScreen(Screen):
    BINDINGS = keys.SESSIONS

    def __init__(self, runtime: Runtime, sessions: list[SessionInfo]) -> None:
        super().__init__()
        self.rt = runtime
        self.sessions = sessions
        self.live: deque[float] = deque([0.0] * SAMPLES, maxlen=SAMPLES)

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-body"):
            yield Label("[b]Sessions[/b]", id="sessions-title")
            yield Label("[dim]Nobody is playing right now[/dim]", id="sessions-empty")
            yield DataTable(id="sessions", cursor_type="row")
            yield Label("Live bandwidth", id="live-label")
            yield Sparkline(list(self.live), id="live")
            yield Label("Server bandwidth history", id="history-label")
            yield Sparkline([], id="history")
        yield NowPlayingBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.show_sessions(self.sessions)
        self.refresh_sessions()
        self.load_history()
        # rows then follow the bus; this polls nothing
        self.sampler = self.set_interval(2.0, self._sample)

    def show_sessions(self, sessions: list[SessionInfo]) -> None:
        self.sessions = sessions
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for s in sessions:
            table.add_row(*session_row(s), key=s.session_key)
        if sessions:
            table.move_cursor(row=min(cursor, len(sessions) - 1))
        self.query_one("#sessions-empty").display = not sessions
        total = sum(s.bandwidth_kbps or 0 for s in sessions)
        title = f"[b]Sessions[/b]  [dim]{len(sessions)} streaming · {human_bitrate(total) or '0 kbps'}[/dim]"
        self.query_one("#sessions-title", Label).update(title)
        self._sample()

    def _sample(self) -> None:
        total = sum(s.bandwidth_kbps or 0 for s in self.sessions)
        self.live.append(float(total))
        self.query_one("#live", Sparkline).data = list(self.live)
        self.query_one("#live-label", Label).update(
            f"Live bandwidth  [dim]{human_bitrate(total) or '0 kbps'} now[/dim]"
        )

    @work(group="sessions", exclusive=True)
    async def refresh_sessions(self) -> None:
        try:
            sessions = await self.rt.service.sessions()
        except PlextuiError as error:
            self.notify(str(error), title="Sessions", severity="error")
            return
        self.show_sessions(sessions)

    @work(group="bandwidth", exclusive=True)
    async def load_history(self) -> None:
        try:
            samples = await self.rt.service.bandwidth()
        except PlextuiError as error:
            self.query_one("#history-label", Label).update(
                f"Server bandwidth history  [dim]unavailable: {error}[/dim]"
            )
            return
        data = [float(s.total_bytes) for s in samples]
        self.query_one("#history", Sparkline).data = data
        total = sum(s.total_bytes for s in samples)
        self.query_one("#history-label", Label).update(
            f"Server bandwidth history  [dim]{len(samples)} samples · {human_size(total)} sent[/dim]"
        )

    def action_refresh(self) -> None:
        self.refresh_sessions()
        self.load_history()

    def action_terminate(self) -> None:
        table = self.query_one(DataTable)
        if not self.sessions or table.cursor_row < 0:
            return
        session = self.sessions[min(table.cursor_row, len(self.sessions) - 1)]
        title = session.item.display_title if session.item else "this stream"

        def answered(reason: str | None) -> None:
            if reason is not None:
                self.terminate(session, reason)

        question = f"Stop {session.user}'s stream of {title} on {session.player}?"
        self.app.push_screen(
            ConfirmDialog(question, yes="Terminate", reason="The server admin stopped this stream"),
            answered,
        )

    @work(group="terminate")
    async def terminate(self, session: SessionInfo, reason: str) -> None:
        try:
            await self.rt.service.terminate(session.session_key, reason)
        except PlextuiError as error:
            self.notify(str(error), title="Terminate", severity="error")
            return
        self.notify(f"Stopped {session.user}'s stream on {session.player}")
        self.refresh_sessions()
