"""What the terminal can draw images with, asked on a thread while the TUI is imported.

textual-image asks the terminal (Sixel? the kitty graphics protocol? cell size in
pixels?) when it is imported, waiting up to 0.1 s for each answer a terminal may never
give. That only works before Textual owns stdin, and done in line it delayed the first
rows by as much. `start()` asks on a thread as the first thing `plextui` does, so the
waiting overlaps the imports and the first page's request; `settle()` waits for it
before `App.run` (and before any exit, so the terminal's mode is always given back).
Only the renderable half of textual-image is imported on the thread: it does not import
Textual, so the thread never races the main thread's imports of it.

Asked only when stdin and stdout are both a terminal and `PLEXTUI_POSTERS` is not off;
anywhere else (pipes, pytest, headless apps) nothing is asked and posters use half blocks.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

ENV = "PLEXTUI_POSTERS"

_thread: threading.Thread | None = None
_answered: list[bool] = []  # [True] once the terminal was asked without a fault


def wanted() -> bool:
    """True when the terminal should be asked: a real one, and posters not turned off."""
    if os.environ.get(ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return False
    try:
        return all(s is not None and s.isatty() for s in (sys.__stdin__, sys.__stdout__))
    except (ValueError, OSError):  # a closed stream
        return False


def _ask() -> None:
    try:
        from textual_image import renderable  # noqa: F401 - asks Sixel, then kitty graphics
        from textual_image._terminal import get_cell_size

        get_cell_size()  # asks the cell size; the widget module reuses the answer
        _answered.append(True)
    except Exception:  # noqa: BLE001, S110 - e.g. a terminal reporting 0 columns;
        pass  # the poster then draws half blocks without asking


def start() -> None:
    """Begin asking, once, where `wanted()`; returns at once."""
    global _thread
    if _thread is not None or not wanted():
        return
    # textual-image logs unanswered questions as warnings; Python would print them
    logging.getLogger("textual_image").addHandler(logging.NullHandler())
    _thread = threading.Thread(target=_ask, name="plextui-terminal-probe", daemon=True)
    _thread.start()


def answered() -> bool:
    """True when the terminal was asked and answered without a fault (waits for a
    probe under way; never starts one: after `App.run` Textual owns stdin)."""
    if _thread is not None:
        _thread.join()
    return bool(_answered)


def settle() -> bool:
    """Ask now if `start` was not called, wait for the answers; what `answered` says.
    Called before `App.run` and before any exit, so the terminal's mode is given back."""
    start()
    return answered()
