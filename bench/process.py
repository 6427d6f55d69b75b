"""Whole processes, timed as a shell user feels them: from exec to exit.

`plextui --help` beside `python -c pass`, and `plextui ctl search|sessions|now|pause`
beside the obvious plexapi script doing the same request (connect, ask, print), both run
by the same interpreter against the same emulator, interleaved round by round so load on
the machine falls on both alike. The ctl runs share one isolated home, as a user's runs
share theirs: the client id and the server's identity are there after the first run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.common import Versus
from plextui.emulators.plex import PlexEmulator

TV = "Living Room TV"
PYCACHE = Path(tempfile.gettempdir()) / "plextui-bench-pycache"  # kept between runs
# one query per round, never repeated: a repeated one would come from plextui's cache
WORDS = [a + b for a in ("bri", "sta", "nig", "lov", "dar", "kin") for b in ("", "g", "t", "h")]

# The obvious scripts: what a person writes with plexapi to get the same answer.
CONNECT = """\
import os, sys
from plexapi.server import PlexServer
plex = PlexServer(os.environ["PLEX_SERVER_URL"], os.environ["PLEX_API_TOKEN"])
"""
PLAIN = {
    "search": CONNECT + "for item in plex.search(sys.argv[1], limit=10):\n    print(item.title)\n",
    "sessions": CONNECT + "for s in plex.sessions():\n    print(s.title, s.player.title)\n",
    "now": CONNECT + "for s in plex.sessions()[:1]:\n    print(s.title, s.player.title)\n",
    "pause": CONNECT + f"plex.client({TV!r}).pause()\n",
}


def plextui_exe() -> str:
    return shutil.which("plextui", path=str(Path(sys.executable).parent)) or "plextui"


def home_env(home: Path, emu: PlexEmulator | None = None) -> dict[str, str]:
    """An environment whose config, cache, state and Discord socket live under `home`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PLEX_", "PLEXTUI_", "DISCORD_", "TEXTUAL", "XDG_"))
        and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)  # byte code, as an installed package has it
    env |= {"HOME": str(home), "PLEXTUI_CONFIG": str(home / "config" / "config.toml")}
    for name in ("CONFIG", "CACHE", "STATE", "DATA"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    env["XDG_RUNTIME_DIR"] = str(home / "run")  # no Discord desktop client here
    (home / "run").mkdir(parents=True, exist_ok=True)
    if emu is not None:
        env |= {"PLEX_SERVER_URL": emu.url, "PLEX_API_TOKEN": emu.token}
    return env


def run(argv: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}… exited {done.returncode}: {done.stderr[-300:]}")
    return took


def interleaved(
    ours: Callable[..., float],
    theirs: Callable[..., float],
    runs: int,
    words: Callable[[], list[str]] = list,
    setup: Callable[[], object] = lambda: None,
) -> tuple[list[float], list[float]]:
    """One warm-up round (byte code, the server's identity), then `runs` rounds taking
    turns on who goes first; each round's pair gets the same `words()`, and `setup()`
    runs untimed before each process."""
    a: list[float] = []
    b: list[float] = []
    for n in range(runs + 1):
        extra = words()
        for who in (ours, theirs) if n % 2 == 0 else (theirs, ours):
            setup()
            took = who(*extra)
            if n:
                (a if who is ours else b).append(took)
    return a, b


def help_row(runs: int) -> Versus:
    with tempfile.TemporaryDirectory(prefix="plextui-help-") as tmp:
        env = home_env(Path(tmp))
        ours, bare = interleaved(
            lambda: run([plextui_exe(), "--help"], env),
            lambda: run([sys.executable, "-c", "pass"], env),
            runs,
        )
    return Versus("`plextui --help`", ours, "`python -c pass`", bare, 2.0)


def _playing(emu: PlexEmulator) -> Callable[[], None]:
    """Start a movie on the TV; the returned callable resumes it (untimed, before a pause)."""
    from plexapi.server import PlexServer

    plex = PlexServer(emu.url, emu.token, timeout=30)
    movie = plex.library.section("Movies").all(container_start=0, container_size=1, maxresults=1)[0]
    client = plex.client(TV)
    client.playMedia(movie)
    deadline = time.monotonic() + 10
    while not plex.sessions() and time.monotonic() < deadline:
        time.sleep(0.05)
    tv = emu.player(TV)
    ids = itertools.count(1)
    http = requests.Session()

    def resume() -> None:
        url = f"{tv.url}/player/playback/play?commandID={next(ids)}&type=video"
        http.get(url, headers={"X-Plex-Client-Identifier": "bench"}, timeout=10)

    return resume


def ctl_rows(emu: PlexEmulator, runs: int) -> list[Versus]:
    """`plextui ctl VERB` beside the plexapi script, with a movie playing on the TV."""
    resume = _playing(emu)
    rows = []
    with tempfile.TemporaryDirectory(prefix="plextui-ctl-") as tmp:
        home = Path(tmp)
        env = home_env(home, emu)
        for verb, script in PLAIN.items():
            path = home / f"plain_{verb}.py"
            path.write_text(script)
            queries = iter(WORDS)
            ours, plain = interleaved(
                lambda *a, v=verb: run([plextui_exe(), "ctl", v, *a], env),
                lambda *a, p=path: run([sys.executable, str(p), *a], env),
                runs,
                words=(lambda q=queries: [next(q)]) if verb == "search" else list,
                setup=resume if verb == "pause" else lambda: None,
            )
            rows.append(Versus(f"`plextui ctl {verb}`", ours, "plexapi script", plain, 1.0))
        resume()
        run([plextui_exe(), "ctl", "stop"], env)
    return rows
