"""RSS of the TUI itself before and after paging through a whole 100 000-movie section.

`python -m bench.memory_window [MOVIES] [--unbounded]` serves the emulated PMS from its own
process (its ~1.6 GB is not counted), opens the TUI headless on it with private XDG dirs
and the SQLite cache, takes VmRSS once the first screen is drawn, then moves the cursor
a page at a time to the end of the movie section (every page fetched and drawn, as
pagedown would) and takes VmRSS again. The item list holds a bounded window of pages, so
the two must stay close: <= 120 MB and within 15 %. `--unbounded` lifts the window, to
show what it saves.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
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


def rows(movies: int, unbounded: bool = False) -> list[Row]:
    proc, url, token = serve(movies)
    try:
        with tempfile.TemporaryDirectory() as home:
            for name in ("CONFIG", "CACHE", "STATE", "DATA"):
                os.environ[f"XDG_{name}_HOME"] = str(Path(home) / name.lower())
            os.environ["PLEXTUI_CONFIG"] = str(Path(home) / "config.toml")
            got = asyncio.run(page_through(url, token, unbounded))
    finally:
        proc.terminate()
        proc.wait(30)
    growth = got["last"] / got["first"] - 1
    note = f"{got['rows']:,.0f} rows paged in {got['seconds']:.0f} s, {got['held']:.0f} pages held"
    return [
        Row("TUI RSS after the first screen", got["first"], "MB", "", True),
        Row(
            "TUI RSS after paging to the end",
            got["last"],
            "MB",
            f"<= {LIMIT_MB:.0f} MB",
            got["last"] <= LIMIT_MB,
            note=note,
        ),
        Row("growth", growth * 100, "%", f"<= {GROWTH:.0%}", growth <= GROWTH),
    ]


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    print(table(rows(int(args[0]) if args else 100_000, "--unbounded" in sys.argv)))
