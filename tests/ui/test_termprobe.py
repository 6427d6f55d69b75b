"""The terminal is asked about images on a thread while the TUI imports, and the poster
draws with what it answered (plextui.ui.termprobe)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

# Imports Textual and the poster while the probe waits, as `plextui` does.
CHILD = """
import termios
from plextui.ui import termprobe
termprobe.start()
import plextui.ui.widgets.poster as poster
asked = termprobe.settle()
canonical = bool(termios.tcgetattr(0)[3] & termios.ICANON)
print("RESULT", poster.renderers()[0], asked, canonical, flush=True)
"""
ANSWERS = {b"\x1b[16t": b"\x1b[6;20;10t", b"\x1b[c": b"\x1b[?62;4;22c"}  # 10x20 px; Sixel


KITTY = {  # the kitty graphics protocol, no Sixel, the cell size not answered
    b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\": b"\x1b_Gi=31;OK\x1b\\",
    b"\x1b[c": b"\x1b[?62;22c",
}
PLAIN = {b"\x1b[c": b"\x1b[?62;22c"}  # neither: the device attributes alone


def run_in_terminal(env: dict[str, str], answers: dict[bytes, bytes] = ANSWERS) -> str:
    """Run CHILD in a pseudo-terminal that answers as `answers` say (in their order, as a
    terminal answers questions asked together); its RESULT line."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # no pixel size
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    seen, answered = b"", set()
    deadline = time.monotonic() + 60
    try:
        while b"RESULT" not in seen or not seen.endswith(b"\n"):
            assert time.monotonic() < deadline, seen
            if not select.select([master], [], [], 0.5)[0]:
                continue
            try:
                seen += os.read(master, 4096)
            except OSError:  # the child is gone
                break
            for question, answer in answers.items():
                if question in seen and question not in answered:
                    answered.add(question)
                    os.write(master, answer)
    finally:
        proc.wait(30)
        os.close(master)
    return "RESULT" + seen.decode(errors="replace").rsplit("RESULT", 1)[-1].rstrip()


def test_a_sixel_terminal_is_asked_off_the_main_thread_and_posters_use_sixel():
    env = {k: v for k, v in os.environ.items() if k != "PLEXTUI_POSTERS"}
    assert run_in_terminal(env) == "RESULT sixel True True"  # and cbreak mode given back


def test_posters_off_asks_nothing_even_in_a_terminal():
    env = {**os.environ, "PLEXTUI_POSTERS": "off"}
    assert run_in_terminal(env) == "RESULT halfcell False True"


def test_a_kitty_terminal_is_answered_by_the_graphics_protocol():
    env = {k: v for k, v in os.environ.items() if k != "PLEXTUI_POSTERS"}
    assert run_in_terminal(env, KITTY) == "RESULT tgp True True"


def test_a_terminal_with_neither_is_known_from_its_device_attributes():
    """No answer to the kitty query is waited for: the device attributes come after it."""
    env = {k: v for k, v in os.environ.items() if k != "PLEXTUI_POSTERS"}
    assert run_in_terminal(env, PLAIN) == "RESULT halfcell True True"


def test_answers_read_from_what_the_terminal_wrote():
    from plextui.ui.termprobe import Answers, parse

    sixel = b"\x1b[6;20;10t\x1b[?62;4;22c"
    assert parse(sixel, None) == Answers("sixel", (10, 20))
    assert parse(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c", (9, 18)) == Answers("tgp", (9, 18))
    refused = b"\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1b[?62;22c"
    assert parse(refused, None) == Answers("halfcell", None)
