"""Whole-process figures only (`python -m bench.whole`): launch, ctl and --help beside their
yardsticks, without the rest of `make bench` (which runs these too, into RESULTS.md)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.common import Versus, versus_table
from plextui.emulators.plex import PlexEmulator


def whole_rows(emu: PlexEmulator, runs: int) -> list[Versus]:
    from bench import launch, process

    rows = [process.help_row(runs)]
    rows += launch.launch_rows(emu, runs)
    rows += process.ctl_rows(emu, runs)
    return rows


def main() -> int:
    from bench.__main__ import isolate
    from bench.library import start_emulator

    runs = int(os.environ.get("BENCH_RUNS", "7"))
    with tempfile.TemporaryDirectory(prefix="plextui-bench-") as tmp:
        isolate(Path(tmp))
        emu = start_emulator()
        try:
            rows = whole_rows(emu, runs)
        finally:
            emu.stop()
    print(versus_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
