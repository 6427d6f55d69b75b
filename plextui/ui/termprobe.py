"""What the terminal can draw images with, asked on a thread while the TUI is imported.

textual-image asks the terminal itself when it is imported (Sixel? the kitty graphics
protocol? cell size in pixels?): one question at a time, each waiting up to 0.1 s for an
answer a terminal may never give, and Pillow imported first. It only works before Textual
owns stdin, and done on the way to the first rows it cost them both the waits and the
imports. So plextui asks here, with the standard library alone, as the first thing
`plextui` does: `start()` writes every question at once, the primary device attributes
(which every terminal answers) last, so their answer says the others are in or never will
be (the kitty graphics protocol's documented way to ask) and nothing waits for a timeout;
a thread reads the answers while the rest is imported. `settle()` waits for it before
`App.run` (and before any exit, so the terminal's mode is always given back). The poster
(widgets/poster.py) imports textual-image when it is first drawn and hands it these
answers instead of letting it ask.

Asked only when stdin and stdout are both a terminal and `PLEXTUI_POSTERS` is not off;
anywhere else (pipes, pytest, headless apps) nothing is asked and posters use half blocks.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import sys
import termios
import threading
import time
import tty
from typing import NamedTuple

ENV = "PLEXTUI_POSTERS"
KITTY = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"  # a 1x1 image, queried, not stored
CELL = b"\x1b[16t"  # the cell size in pixels, asked when the window size does not carry it
ATTRIBUTES = b"\x1b[c"  # primary device attributes: answered by every terminal, and last
WAIT = 0.5  # seconds for the device attributes' answer before taking no answer at all
_ATTRIBUTES = re.compile(rb"\x1b\[\?([0-9;]*)c")
_KITTY = re.compile(rb"\x1b_Gi=31;([^\x1b]*)\x1b\\")
_CELL = re.compile(rb"\x1b\[6;([0-9]+);([0-9]+)t")


class Answers(NamedTuple):
    graphics: str  # "sixel", "tgp" (the kitty graphics protocol) or "halfcell"
    cell: tuple[int, int] | None  # (width, height) of a cell in pixels, when known


_thread: threading.Thread | None = None
_answered: list[Answers] = []  # one entry once the terminal answered


def wanted() -> bool:
    """True when the terminal should be asked: a real one, and posters not turned off."""
    if os.environ.get(ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return False
    try:
        return all(s is not None and s.isatty() for s in (sys.__stdin__, sys.__stdout__))
    except (ValueError, OSError):  # a closed stream
        return False


def _window_cell(fd: int) -> tuple[int, int] | None:
    """The cell size from the window size, when the terminal fills in its pixels."""
    rows, columns, width, height = struct.unpack(
        "HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    )
    if rows and columns and width and height:
        return width // columns, height // rows
    return None


def _read(fd: int) -> bytes:
    """What the terminal wrote until the device attributes' answer, or WAIT seconds."""
    seen = b""
    deadline = time.monotonic() + WAIT
    while not _ATTRIBUTES.search(seen):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        seen += os.read(fd, 1024)
    return seen


def parse(seen: bytes, cell: tuple[int, int] | None) -> Answers:
    """The answers in what the terminal wrote (Sixel is preferred, as textual-image does)."""
    attributes = _ATTRIBUTES.search(seen)
    kitty = _KITTY.search(seen)
    sized = _CELL.search(seen)
    if cell is None and sized:
        cell = (int(sized.group(2)), int(sized.group(1)))
    if attributes and b"4" in attributes.group(1).split(b";"):
        return Answers("sixel", cell)
    if kitty and kitty.group(1) == b"OK":
        return Answers("tgp", cell)
    return Answers("halfcell", cell)


def _ask() -> None:
    try:
        stdin, stdout = sys.__stdin__.fileno(), sys.__stdout__.fileno()  # type: ignore[union-attr]
        cell = _window_cell(stdout)
        mode = termios.tcgetattr(stdin)
        tty.setcbreak(stdin, termios.TCSANOW)
        try:
            os.write(stdout, KITTY + (b"" if cell else CELL) + ATTRIBUTES)
            seen = _read(stdin)
        finally:
            termios.tcsetattr(stdin, termios.TCSANOW, mode)
        _answered.append(parse(seen, cell))
    except Exception:  # noqa: BLE001, S110 - no answer, or no terminal after all:
        pass  # the poster then draws half blocks without asking


def start() -> None:
    """Begin asking, once, where `wanted()`; returns at once."""
    global _thread
    if _thread is not None or not wanted():
        return
    _thread = threading.Thread(target=_ask, name="plextui-terminal-probe", daemon=True)
    _thread.start()


def answers() -> Answers | None:
    """What the terminal answered, None when it was not asked or did not answer (waits
    for a probe under way; never starts one: after `App.run` Textual owns stdin)."""
    if _thread is not None:
        _thread.join()
    return _answered[0] if _answered else None


def answered() -> bool:
    """True when the terminal was asked and answered."""
    return answers() is not None


def settle() -> bool:
    """Ask now if `start` was not called, wait for the answers; what `answered` says.
    Called before `App.run` and before any exit, so the terminal's mode is given back."""
    start()
    return answered()
