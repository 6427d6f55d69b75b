"""Start-up: `plextui --help` in a fresh process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.common import Row, median, timed


def help_row(runs: int) -> Row:
    exe = shutil.which("plextui", path=str(Path(sys.executable).parent)) or "plextui"

    def run() -> None:
        subprocess.run([exe, "--help"], capture_output=True, check=True, timeout=30)

    run()
    value = median(timed(run, runs))
    return Row("start-up: `plextui --help`", value, "s", "< 0.3 s", value < 0.3)
