"""`plextui` launched as a user launches it: exec in a terminal → first rows on screen.

Each round starts three processes in a pseudo-terminal of 120 × 36 (bench/terminal.py):
the bare Textual app (bench/bare.py) until its one line shows; `plextui` with an empty
home (cold: no cache, the server never seen) until the first title of the 100 000-movie
section shows; and `plextui` again in that home (from cache). Rounds rotate who goes
first, so load on the machine falls on all three alike.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import requests

from bench import bare
from bench.common import Versus
from bench.process import home_env, plextui_exe
from bench.terminal import Terminal
from plextui.emulators.plex import PlexEmulator

QUIT = b"q"


def first_title(emu: PlexEmulator) -> str:
    """What the first row of the first library shows, in the TUI's default order."""
    headers = {"Accept": "application/json", "X-Plex-Token": emu.token}
    sections = requests.get(f"{emu.url}/library/sections", headers=headers, timeout=30).json()
    first = sections["MediaContainer"]["Directory"][0]
    page = requests.get(
        f"{emu.url}/library/sections/{first['key']}/all",
        params={"type": 1, "sort": "titleSort:asc"},
        headers=headers | {"X-Plex-Container-Start": "0", "X-Plex-Container-Size": "1"},
        timeout=120,
    ).json()
    return page["MediaContainer"]["Metadata"][0]["title"]


def shown(argv: list[str], env: dict[str, str], text: str) -> float:
    """Seconds from exec until `text` is on the terminal; then the program is quit."""
    term = Terminal(argv, env | {"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    term.start()
    try:
        return term.until(text)
    finally:
        term.close(QUIT)


def launch_rows(emu: PlexEmulator, runs: int) -> list[Versus]:
    title = first_title(emu)
    bench_root = str(Path(__file__).resolve().parent.parent)
    samples: dict[str, list[float]] = {"bare": [], "cold": [], "cached": []}
    with tempfile.TemporaryDirectory(prefix="plextui-launch-") as tmp:
        bare_env = home_env(Path(tmp) / "bare") | {"PYTHONPATH": bench_root}
        shown([sys.executable, "-m", "bench.bare"], bare_env, bare.MARKER)  # byte code
        for n in range(runs + 1):
            home = Path(tmp) / f"home{n}"
            env = home_env(home, emu)
            order = ["bare", "cold", "cached"]
            order = order[n % 3 :] + order[: n % 3]
            if order.index("cached") < order.index("cold"):
                order.remove("cached")
                order.append("cached")  # needs the cold run's cache
            took = {}
            for what in order:
                if what == "bare":
                    took[what] = shown([sys.executable, "-m", "bench.bare"], bare_env, bare.MARKER)
                else:
                    took[what] = shown([plextui_exe()], env, title)
            if n:  # round 0 warms up (byte code, the emulator's sorted section)
                for what, value in took.items():
                    samples[what].append(value)
    note = "100,000-movie section"
    return [
        Versus(
            f"`plextui` launch → first rows on screen, cold cache ({note})",
            samples["cold"],
            "bare Textual app, one line",
            samples["bare"],
            2.5,
        ),
        Versus(
            f"`plextui` launch → first rows on screen, from cache ({note})",
            samples["cached"],
            "bare Textual app, one line",
            samples["bare"],
            2.0,
        ),
    ]
