"""Poster: the highlighted item's poster, drawn by textual-image where the terminal can.

textual-image draws with Sixel or the kitty graphics protocol when the terminal says it
can, and with coloured half blocks (▀, two pixels a cell) otherwise, which every colour
terminal shows. The terminal is asked by plextui.ui.termprobe on a thread while the TUI
is imported, off the path to the first rows; this module imports textual-image and picks
the renderer from those answers when the first poster is shown, after the rows around
it are drawn. Anywhere nothing was asked (pipes, pytest,
`PLEXTUI_POSTERS=off`) it draws half blocks; headless apps (`App.run_test`) always draw
half blocks, so snapshots do not depend on the terminal the tests run in.

Bytes come from `service.poster` (cached, off the event loop); the latest item wins.
No thumb, a failed fetch, or bytes that are not an image leave one dim line, no notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import sys
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from plextui.core.models import MediaItem
from plextui.errors import PlextuiError
from plextui.ui import termprobe

WIDTH = 20  # cells; the height follows the image's shape
MIN_ROWS, MAX_ROWS, LOADING_ROWS = 4, 18, 15
DEBOUNCE = 0.1  # seconds: holding j fetches only where the cursor rests
KEEP = 2  # decoded posters kept (~400 KB each): the one shown and the last; the rest are cached


@contextlib.contextmanager
def _terminal_hidden() -> Iterator[None]:
    """textual-image queries the terminal only when `sys.__stdout__` is a tty."""
    real = sys.__stdout__
    sys.__stdout__ = io.StringIO()  # type: ignore[misc]
    try:
        yield
    finally:
        sys.__stdout__ = real  # type: ignore[misc]


def _load() -> tuple[str, Any, Any]:
    """(renderer name, best widget class, half-block widget class); ("none", None, None)
    when textual-image or Pillow cannot be imported at all. Never asks the terminal:
    termprobe did, before Textual took stdin, or nothing is asked; textual-image is told
    the cell size it found and imported with the terminal hidden, so it asks nothing."""
    answers = termprobe.answers()
    logging.getLogger("textual_image").addHandler(logging.NullHandler())
    try:
        from textual_image import _terminal

        if answers is not None and answers.cell is not None:
            _terminal.get_cell_size._result = _terminal.CellSize(*answers.cell)  # type: ignore[attr-defined]
        with _terminal_hidden():
            from textual_image import widget
    except Exception:  # noqa: BLE001 - Pillow or textual-image missing or broken
        return "none", None, None
    if answers is not None and answers.graphics == "sixel":
        return "sixel", widget.SixelImage, widget.HalfcellImage
    if answers is not None and answers.graphics == "tgp":
        return "tgp", widget.TGPImage, widget.HalfcellImage
    return "halfcell", widget.HalfcellImage, widget.HalfcellImage


# Picked by `renderers()` when the first poster is composed (None until then).
RENDERER: str | None = None
_BEST: Any = None
_HALFCELL: Any = None


def renderers() -> tuple[str, Any, Any]:
    """(renderer name, best widget class, half-block widget class), picked once."""
    global RENDERER, _BEST, _HALFCELL
    if RENDERER is None:
        RENDERER, _BEST, _HALFCELL = _load()
    return RENDERER, _BEST, _HALFCELL


def _decode(data: bytes) -> Any:
    """PNG/JPEG bytes → a loaded RGB PIL image (raises on anything else)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


class Poster(Widget):
    """The image, blank while it loads, or a one-line dim note when there is none."""

    DEFAULT_CSS = """
    Poster { height: auto; }
    Poster > .poster-note { height: 1; color: $text-muted; }
    """

    def __init__(self, width: int = WIDTH, max_rows: int = MAX_ROWS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cells, self.max_rows = width, max_rows
        self.thumb: str | None = None
        self.renderer = "none"
        self.image: Widget | None = None
        # held, not queried: a late fetch may land while the app takes its children down
        self.note = Static("", classes="poster-note")
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._built = False  # the image widget is made (or known impossible)
        self._building = False  # it will be, after the next refresh
        self._waiting: MediaItem | None = None  # shown before it was made

    def compose(self) -> ComposeResult:
        if RENDERER is not None:  # picked already: the image widget goes in at once
            self._build()
            if self.image is not None:
                yield self.image
        yield self.note

    def _build(self) -> None:
        """The image widget of the renderer picked (importing textual-image, once)."""
        renderer, best, halfcell = renderers()
        self._built = True
        self.renderer = "halfcell" if self.app.is_headless and halfcell else renderer
        kind = halfcell if self.renderer == "halfcell" else best
        if kind is not None:
            self.image = kind(classes="poster-image")
            self.image.styles.width = self.cells
            self.image.styles.height = self._rows(None)
            self.image.display = False

    def _build_late(self) -> None:
        """The first poster asked for: textual-image is imported now, after the refresh
        that drew the rows around it (importing it costs more than drawing them)."""
        if not self.is_attached:
            return
        self._build()
        self.note.styles.height = None  # the space held while waiting goes to the image
        if self.image is not None:
            self.mount(self.image, before=self.note)
        self.show(self._waiting)

    @property
    def shown(self) -> bool:
        """True when an image (not the note, not the blank) is on screen."""
        return self.image is not None and self.image.display and self.image.image is not None  # type: ignore[attr-defined]

    def show(self, item: MediaItem | None) -> None:
        """Draw `item`'s poster; None hides the whole widget (playlists, empty lists)."""
        self.display = item is not None
        if not self._built:
            if not self._building:
                self._building = True
                self.call_after_refresh(self._build_late)
            self.note.styles.height = self._rows(None)  # the poster's space, held
            self._waiting = item
            return
        thumb = item.thumb if item else None
        if item is None or (thumb == self.thumb and thumb is not None):
            return
        self.thumb = thumb
        self.workers.cancel_group(self, "poster")
        glyph = "♫" if item.kind in ("track", "album", "artist") else "▣"
        if self.image is None:
            self._note(f"{glyph} no artwork in this terminal")
        elif not thumb:
            self._note(f"{glyph} no poster")
        elif thumb in self._cache:
            self._cache.move_to_end(thumb)
            self._draw(self._cache[thumb])
        else:
            self._draw(None)  # keep the space, so the text below does not jump twice
            self.fetch(thumb, glyph)

    def _note(self, text: str) -> None:
        if self.image is not None:
            self.image.display = False
            self.image.image = None  # type: ignore[attr-defined]
        self.note.update(text)
        self.note.display = True

    def resize(self, width: int, max_rows: int) -> None:
        """Draw at `width` cells, at most `max_rows` tall (the now-playing art follows the
        terminal's size); the image keeps its shape, so a short limit narrows it."""
        if (width, max_rows) == (self.cells, self.max_rows):
            return
        self.cells, self.max_rows = width, max_rows
        if self.image is not None and self.image.display:
            self._draw(self.image.image)  # type: ignore[attr-defined]

    def _rows(self, image: Any) -> int:
        """Rows for `image` at the current width (cells are twice as tall as wide)."""
        if image is None:
            return min(self.max_rows, round(self.cells * LOADING_ROWS / WIDTH))
        rows = round(self.cells * image.height / image.width / 2)
        return max(MIN_ROWS, min(self.max_rows, rows))

    def _draw(self, image: Any) -> None:
        assert self.image is not None
        rows = self._rows(image)
        width = self.cells
        if image is not None:  # too tall for the rows allowed: narrower, same shape
            width = min(width, max(1, round(rows * 2 * image.width / image.height)))
        self.image.styles.width = width
        self.image.styles.height = rows
        self.image.image = image  # type: ignore[attr-defined]
        self.image.display = True
        self.note.display = False

    @work(group="poster", exclusive=True)
    async def fetch(self, thumb: str, glyph: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        rt = getattr(self.app, "rt", None)
        try:
            if rt is None:
                raise PlextuiError("not connected")
            image = await asyncio.to_thread(_decode, await rt.service.poster(thumb))
        except Exception:  # noqa: BLE001 - PlextuiError, or any of Pillow's kinds of bad bytes
            image = None
        if self.thumb != thumb or not self.is_attached:  # moved on, or the cell was removed
            return
        if image is None:
            self._note(f"{glyph} no poster")
            return
        self._cache[thumb] = image
        while len(self._cache) > KEEP:
            self._cache.popitem(last=False)
        self._draw(image)
