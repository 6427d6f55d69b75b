"""A pseudo-terminal for whole-process benchmarks: start a program in it, time until a text
is on its screen.

The terminal answers what an ordinary xterm-like terminal answers without delay (primary
device attributes, text area and cell size in pixels, which the window size carries as
well) and leaves the kitty graphics query unanswered, as every terminal but kitty's
family does. What the program writes is read as it comes, escape sequences dropped, and
searched for the text: a title drawn in one style is one run of characters.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

COLUMNS, LINES = 120, 36
CELL = (10, 20)  # pixels per cell, as the window size reports them
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, APC, PM
    rb"|\x1b[()][0-~]|\x1b[@-Z\\-_=>78]"  # charset and short escapes
)
ANSWERS = {
    b"\x1b[c": b"\x1b[?62;22c",  # DA1: VT220 with colour, no Sixel
    b"\x1b[0c": b"\x1b[?62;22c",
    b"\x1b[14t": f"\x1b[4;{LINES * CELL[1]};{COLUMNS * CELL[0]}t".encode(),
    b"\x1b[16t": f"\x1b[6;{CELL[1]};{CELL[0]}t".encode(),
    b"\x1b[18t": f"\x1b[8;{LINES};{COLUMNS}t".encode(),
}


def plain_text(raw: bytes) -> str:
    """What a program wrote, escape sequences removed (cursor moves become nothing)."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


class Terminal:
    """One program in its own pty of COLUMNS × LINES cells."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.argv = list(argv)
        self.env = env
        self.raw = b""
        self.began = 0.0
        self._fd = -1
        self._proc: subprocess.Popen | None = None
        self._answered = 0  # how far the raw output has been scanned for questions

    def start(self) -> None:
        """Fork and exec now; the clock starts just before."""
        master, slave = os.openpty()
        size = struct.pack("HHHH", LINES, COLUMNS, COLUMNS * CELL[0], LINES * CELL[1])
        fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
        self.began = time.perf_counter()
        self._proc = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._fd = master

    def until(self, text: str, timeout: float = 60.0) -> float:
        """Seconds from exec until `text` is on screen; TimeoutError with the screen's tail."""
        wanted = text.encode()
        deadline = self.began + timeout
        seen = b""
        while True:
            if wanted in seen:
                return time.perf_counter() - self.began
            left = deadline - time.perf_counter()
            if left <= 0 or not self._read(left):
                tail = plain_text(self.raw)[-400:]
                raise TimeoutError(f"{text!r} not on screen after {timeout:g} s: …{tail!r}")
            seen = _ESCAPES.sub(b"", self.raw)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._fd], [], [], min(timeout, 1.0))
        if not ready:
            return self._proc is not None and self._proc.poll() is None
        try:
            chunk = os.read(self._fd, 65536)
        except OSError:  # the program closed the terminal
            return False
        if not chunk:
            return False
        self.raw += chunk
        self._answer()
        return True

    def _answer(self) -> None:
        """Reply to the terminal questions written since the last look."""
        start = max(0, self._answered - 8)  # a question may straddle two reads
        for question, reply in ANSWERS.items():
            at = self.raw.find(question, start)
            while at != -1:
                if at + len(question) > self._answered:  # not answered before
                    os.write(self._fd, reply)
                at = self.raw.find(question, at + 1)
        self._answered = len(self.raw)

    def send(self, keys: bytes) -> None:
        os.write(self._fd, keys)

    def close(self, keys: bytes = b"", grace: float = 5.0) -> None:
        """Type `keys` (a quit key), wait for the program to end, kill it if it does not."""
        proc = self._proc
        if proc is None:
            return
        if keys and proc.poll() is None:
            self.send(keys)
            end = time.perf_counter() + grace
            while proc.poll() is None and time.perf_counter() < end:
                if not self._read(0.05):
                    time.sleep(0.01)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(self._fd)
        self._proc = None
