"""`make bench`: every figure on the emulator, beside its yardstick in the same run.

Two tables, written to bench/RESULTS.md: whole processes as a user starts them (the TUI
in a pseudo-terminal until its first rows show, `ctl` and `--help`, each beside a bare
Textual app, a plain plexapi script or `python -c pass`), then figures inside one process
(PlexService and the TUI beside plain plexapi, the TUI's memory after paging a whole
section, measured in an interpreter of its own). `BENCH_RUNS` (default 7) sets the
repetitions behind each median; plain `section.all()` of 100 000 movies takes tens of
seconds, so it runs `BENCH_BASELINE_RUNS` (default 3) times.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def isolate(home: Path) -> None:
    """Config, cache and state of this run live in a temp dir, never the user's."""
    for var in [v for v in os.environ if v.startswith(("PLEX_", "DISCORD_", "PLEXTUI_"))]:
        del os.environ[var]
    os.environ["PLEXTUI_CONFIG"] = str(home / "config" / "config.toml")
    for name in ("CONFIG", "CACHE", "STATE", "DATA"):
        os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())


async def measure(runs: int, baseline_runs: int) -> tuple[list, list]:
    from bench import commands, library, memory_window, tui
    from bench.whole import whole_rows

    rows: list = []
    emu = library.start_emulator()
    try:
        whole = await asyncio.to_thread(whole_rows, emu, runs)
        rows += await library.browse_rows(emu, runs, baseline_runs)
        rows += await tui.tui_rows(emu, max(3, runs // 2))
        rows += await library.search_rows(emu, runs)
        rows.append(await commands.controller_row(emu, runs * 3))
        rows.append(await tui.key_to_player_row(emu, runs * 3))
        rows.append(await commands.remote_row(emu, runs * 3))
        rows += await library.cache_rows(emu)
        rows.append(await tui.cached_paint_row(emu, 3))
        rows += await asyncio.to_thread(memory_window.rows, emu.url, emu.token)
    finally:
        emu.stop()
    return whole, rows


def main() -> int:
    from bench.common import table, versus_table

    runs = int(os.environ.get("BENCH_RUNS", "7"))
    baseline_runs = int(os.environ.get("BENCH_BASELINE_RUNS", "3"))
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="plextui-bench-") as tmp:
        isolate(Path(tmp))
        whole, rows = asyncio.run(measure(runs, baseline_runs))
    text = (
        "## Whole processes, as a user starts them\n\n"
        "From exec to the first rows on screen (a 120 × 36 pseudo-terminal) or to exit; "
        "each figure beside its yardstick, run by turns in the same rounds.\n\n"
        + versus_table(whole)
        + "\n\n## Inside one process\n\n"
        + table(rows)
    )
    held = [r for r in rows if r.target != "–"]  # a figure shown for context holds no target
    met = sum(r.met for r in held) + sum(r.met for r in whole)
    header = (
        f"# plextui benchmarks\n\n"
        f"`make bench` on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; medians of {runs} runs "
        f"({baseline_runs} for plain `section.all()`), emulator in the bench's process; "
        f"{met} of {len(held) + len(whole)} targets met; "
        f"took {time.perf_counter() - began:.0f} s.\n\n"
    )
    print(text)
    RESULTS.write_text(header + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
