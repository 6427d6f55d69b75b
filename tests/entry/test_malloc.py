"""plextui pins glibc's mmap threshold at start-up, so memory freed after paging goes back
to the system (plextui/entry/malloc.py; bench/memory_window.py measures the effect)."""

from __future__ import annotations

import platform
import subprocess
import sys

CODE = """
from plextui.entry.malloc import return_freed_memory
print(return_freed_memory())
"""


def test_the_threshold_takes_on_glibc_and_is_harmless_elsewhere():
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60, check=True
    )
    on_glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert done.stdout.strip() == str(on_glibc)
