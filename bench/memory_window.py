"""RSS of the TUI itself before and after paging through a whole 100 000-movie section.

The TUI runs headless in a fresh interpreter of its own (`--measure URL TOKEN`), so the
emulated PMS (~1.6 GB for 100 000 movies) is never counted: with private XDG dirs and
the SQLite cache, glibc's threshold set as `plextui` sets it (plextui/entry/malloc.py),
it takes VmRSS once the first screen is drawn, then moves the cursor a page at a time to
the end of the movie section (every page fetched and drawn, as pagedown would) and takes
VmRSS again. The item list holds a bounded window of pages, so the two must stay close:
<= 120 MB and within 15 %. `make bench` measures against its own emulator;
`python -m bench.memory_window [MOVIES] [--unbounded]` serves one in a child process
first; `--unbounded` lifts the window, to show what it saves.

What grows between the two is bounded caches filling from nearly empty at the first
screen, not the pages: the poster widget's decoded posters (~400 kB each), SQLite's page
cache (now 1 MiB), Rich's and Textual's lru caches (cell widths of drawn rows, combined
styles of poster cells), the window going from one page held to five, and pymalloc
arenas the page parses left part-used. tracemalloc, `sys._debugmallocstats()` and
glibc's `mallinfo2()` at both points tell them apart.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, table

SIZE = (120, 36)
LIMIT_MB = 120.0
GROWTH = 0.15


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise OSError("no /proc/self/status: VmRSS is Linux only")


def serve(movies: int) -> tuple[subprocess.Popen, str, str]:
    """The emulator in a child process; (process, url, token) once it listens."""
    size = movies * 100 // 40  # the emulator gives 40 % of its items to the movie section
    argv = [sys.executable, "-m", "plextui.emulators.plex", "--size", str(size), "--players", "0"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url, token = proc.stdout.readline().split()
    return proc, url, token.removeprefix("token=")


async def until(pilot, predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - the screen and its list mount as we go
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the list did not get there")
        await pilot.pause(0.01)


async def page_through(url: str, token: str, unbounded: bool) -> dict[str, float]:
    from plextui.config import Settings
    from plextui.ui.app import make_app

    base = Settings()
    plex = dataclasses.replace(base.plex, url=url, token=token, client_id="plextui-bench-rss")
    app = make_app(dataclasses.replace(base, plex=plex), watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app._main().items.current is not None)
        items = app._main().items
        if unbounded:
            items.window = 10**9
        await pilot.pause(1.0)
        gc.collect()
        first = rss_mb()
        began = time.perf_counter()
        for index in [*range(items.page_size, items.total, items.page_size), items.total - 1]:
            items.cursor = index
            await until(pilot, lambda: items.current is not None)
        seconds = time.perf_counter() - began
        await pilot.pause(1.0)
        gc.collect()
        return {
            "first": first,
            "last": rss_mb(),
            "rows": items.total,
            "held": len(items.held_pages),
            "seconds": seconds,
        }


def measure(url: str, token: str, unbounded: bool = False) -> dict[str, float]:
    """Page through in a fresh interpreter with its own home; what `page_through` saw."""
    argv = [sys.executable, "-m", "bench.memory_window", "--measure", url, token]
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PLEX_", "PLEXTUI_"))}
        for name in ("CONFIG", "CACHE", "STATE", "DATA"):
            env[f"XDG_{name}_HOME"] = str(Path(home) / name.lower())
        env["PLEXTUI_CONFIG"] = str(Path(home) / "config.toml")
        done = subprocess.run(
            argv + ["--unbounded"] * unbounded,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"memory_window --measure exited {done.returncode}: {done.stderr[-500:]}"
        )
    return json.loads(done.stdout.splitlines()[-1])


def rows(url: str, token: str, unbounded: bool = False) -> list[Row]:
    got = measure(url, token, unbounded)
    growth = got["last"] / got["first"] - 1
    note = f"{got['rows']:,.0f} rows paged in {got['seconds']:.0f} s, {got['held']:.0f} pages held"
    return [
        Row("TUI RSS after the first screen", got["first"], "MB", "–", True),
        Row(
            "TUI RSS after paging to the end of the movie section",
            got["last"],
            "MB",
            f"<= {LIMIT_MB:.0f} MB",
            got["last"] <= LIMIT_MB,
            note=note,
        ),
        Row(
            "TUI RSS growth, first screen → end of the section",
            growth * 100,
            "%",
            f"<= {GROWTH:.0%}",
            growth <= GROWTH,
        ),
    ]


def main(argv: list[str]) -> int:
    unbounded = "--unbounded" in argv
    args = [a for a in argv if not a.startswith("--")]
    if "--measure" in argv:
        from plextui.entry.malloc import return_freed_memory

        return_freed_memory()  # as `plextui` does before it builds the TUI
        print(json.dumps(asyncio.run(page_through(args[0], args[1], unbounded))))
        return 0
    proc, url, token = serve(int(args[0]) if args else 100_000)
    try:
        print(table(rows(url, token, unbounded)))
    finally:
        proc.terminate()
        proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
