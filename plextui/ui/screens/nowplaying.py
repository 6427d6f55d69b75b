"""NowPlayingScreen: the screen a person leaves open on a second monitor.

Large art (the same poster path as the detail pane), the title and the episode or album,
the progress bar with times, volume, shuffle and repeat, the quality and the server's
decision, the player, "Up next" from the player's play queue, and controls for the
mouse. Each control runs the app action its key runs, so a click is the same Command
as the key press. Player state comes from the bus (the app calls `show` with each
PlayerStateChanged); between those the position moves on as on the bar.

The layout follows the terminal: the art shrinks with it and gives way below ART_FROM
columns; from WIDE columns "Up next" stands beside the rest instead of under it.
"""

from __future__ import annotations

import time

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from plextui.core.models import MediaItem, PlaybackState
from plextui.errors import PlextuiError
from plextui.ui.playback import session_note
from plextui.ui.widgets.footer import KeyFooter
from plextui.ui.widgets.nowbar import position
from plextui.ui.widgets.nowcard import facts, heading, nothing_playing, progress_line, state_line
from plextui.ui.widgets.poster import Poster
from plextui.ui.widgets.status import StatusLine

ART_FROM = 70  # columns: narrower, the art gives way to the text
WIDE = 140  # columns: wider, "Up next" stands beside the rest
SHORT = 30  # rows: shorter, the blank lines between parts go
ONE_ROW = 66  # columns of text: fewer, the controls take two rows
# (id, label, the action its key runs)
CONTROLS = [
    ("np-prev", "|◀ Prev", "app.skip('prev')"),
    ("np-toggle", "‖ Pause", "app.toggle"),
    ("np-next", "Next ▶|", "app.skip('next')"),
    ("np-quieter", "− Vol", "app.volume(-5)"),
    ("np-louder", "+ Vol", "app.volume(5)"),
    ("np-quality", "Quality", "app.pick_quality"),
    ("np-tracks", "Tracks", "app.pick_tracks"),
]


def art_size(width: int, height: int) -> tuple[int, int] | None:
    """(cells, most rows) for the art on a `width` x `height` screen; None: no art.

    About a third of the width, and no wider than a 2:3 poster filling the height."""
    if width < ART_FROM:
        return None
    rows = height - 2 - (0 if height < SHORT else 2)  # status line, footer, padding
    return max(16, min(60, (width - 4) * 35 // 100, rows * 4 // 3)), max(8, rows)


def text_width(width: int, height: int) -> int:
    """Columns left for the text beside the art (padding and the gap taken off)."""
    size = art_size(width, height)
    return width - (2 if height < SHORT else 4) - (size[0] + 3 if size else 0)


class Control(Button, can_focus=False):
    """A button for the mouse; keys keep going to the app's bindings."""


class NowPlayingScreen(Screen):
    BINDINGS = [
        Binding("escape,i", "app.pop_screen", "Back", id="nowplaying.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._state: PlaybackState | None = None
        self._player = ""
        self._extra = ""
        self._shown_at = time.monotonic()
        self._queue_key: tuple[int, int | None] | None = None
        self._queued: list[MediaItem] = []

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Horizontal(id="np-body"):
            with Vertical(id="np-art"):
                yield Poster(id="np-poster")
            with VerticalScroll(id="np-text"):
                with Vertical(id="np-now"):
                    yield Static("", id="card")
                    yield Static("", id="np-progress")
                    yield Static("", id="np-facts")
                    with Horizontal(id="np-controls"):
                        for ident, label, action in CONTROLS:
                            yield Control(label, id=ident, action=action, compact=True)
                with Vertical(id="np-queue"):
                    yield Label("Up next", id="up-next-label")
                    yield OptionList(id="up-next")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._reflow(self.size.width, self.size.height)
        app = self.app
        self.show(getattr(app, "playback", None), getattr(app, "_following", ""), "")
        self.set_interval(0.5, self._tick)
        self.query_one("#up-next", OptionList).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._reflow(event.size.width, event.size.height)
        self.call_after_refresh(self._draw_progress)

    def _reflow(self, width: int, height: int) -> None:
        size = art_size(width, height)
        self.set_class(size is None, "-no-art")
        self.set_class(width >= WIDE, "-wide")
        self.set_class(height < SHORT, "-short")
        beside = 2 if width >= WIDE else 1  # "Up next" takes half the text's room
        self.set_class(text_width(width, height) // beside < ONE_ROW, "-two-rows")
        if size is not None:
            self.query_one(Poster).resize(*size)

    # --- state -------------------------------------------------------------------------

    def show(self, state: PlaybackState | None, player: str, extra: str) -> None:
        """A new state from the bus (via the app)."""
        if state is not None and (state.item is None or state.state == "stopped"):
            state = None
        self._state, self._player, self._extra = state, player or self._player, extra
        self._shown_at = time.monotonic()
        playing = state is not None
        for part in ("#np-progress", "#np-facts", "#np-queue"):
            self.query_one(part).display = playing
        self.query_one(Poster).show(state.item if state else None)
        paused = state is not None and state.state == "paused"
        self.query_one("#np-toggle", Button).label = "▶ Play" if paused else "‖ Pause"
        if state is None:
            self.query_one("#card", Static).update(nothing_playing(self._player))
        else:
            assert state.item is not None
            self.query_one("#card", Static).update(f"{heading(state.item)}\n\n{state_line(state)}")
        self._draw_facts()
        self._draw_progress()
        self._follow_queue(state)

    def _tick(self) -> None:
        self._draw_progress()
        self._draw_facts()  # the session's bandwidth changes between player states

    def _draw_progress(self) -> None:
        state = self._state
        if state is None or state.item is None:
            return
        bar = self.query_one("#np-progress", Static)
        moved = position(state, self._shown_at, time.monotonic())
        duration = state.duration_ms or state.item.duration_ms
        bar.update(progress_line(moved, duration, max(20, bar.size.width)))

    def _draw_facts(self) -> None:
        if self._state is None:
            return
        active = getattr(self.app, "active_session", None)
        stream = (session_note(active()) if active else "") or self._extra
        self.query_one("#np-facts", Static).update(facts(self._state, stream))

    # --- up next -----------------------------------------------------------------------

    def _follow_queue(self, state: PlaybackState | None) -> None:
        key = (state.queue_id, state.queue_item_id) if state and state.queue_id else None
        if key == self._queue_key:
            return
        self._queue_key = key
        if key is None:
            self._fill([], "Nothing queued")
        else:
            self.load_queue(*key)

    @work(group="up-next", exclusive=True)
    async def load_queue(self, queue_id: int, after: int | None) -> None:
        rt = getattr(self.app, "rt", None)
        if rt is None:
            return
        try:
            items = await rt.service.up_next(queue_id, after)
        except PlextuiError as error:
            self._fill([], f"Could not read the queue: {error}")
            return
        if self._queue_key == (queue_id, after):
            self._fill(items, "Nothing after this")

    def _fill(self, items: list[MediaItem], empty: str) -> None:
        self._queued = items
        queue = self.query_one("#up-next", OptionList)
        queue.clear_options()
        if not items:
            queue.add_option(Option(f"[dim]{escape(empty)}[/dim]", disabled=True))
            return
        queue.add_options(Option(escape(up_next_label(i)), id=str(n)) for n, i in enumerate(items))
        queue.highlighted = 0

    @on(OptionList.OptionSelected, "#up-next")
    def _play_next(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a queued item plays it, as enter on it in the library does."""
        index = int(event.option.id or 0)
        if index < len(self._queued):
            self.app.play(self._queued[index])  # type: ignore[attr-defined]


def up_next_label(item: MediaItem) -> str:
    """`S01E03 · Title` for episodes, `3. Title` for tracks, the title for the rest."""
    if item.kind == "episode" and item.episode_code:
        return f"{item.episode_code} · {item.title}"
    if item.kind == "track" and item.index is not None:
        return f"{item.index}. {item.title}"
    return item.display_title
