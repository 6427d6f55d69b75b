"""Give freed memory back to the system, so the TUI's memory stays flat while paging.

Two glibc habits kept memory the TUI had finished with. A request of 128 KiB or more
gets its own mmap and is unmapped on free, but each such free raises that threshold (up
to 32 MiB), so after a few decoded posters (~400 kB each) and page answers big buffers
come from the heap and stay in the process when freed; pinning the threshold at 128 KiB
stops that. And every thread that mallocs under contention gets an arena of its own
(up to 8 per CPU): the threads that read pages and posters each kept what they had
freed; two arenas are plenty for threads that take turns holding the GIL. Paging
through a 100 000-movie section grew RSS from 64 MB to ~93 MB with neither and to
~77 MB with the threshold alone. The cost is an mmap/munmap pair per large buffer, a
few microseconds beside the work that fills it.

Linux with glibc only; anywhere else (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's malloc.h
THRESHOLD = 128 * 1024
ARENAS = 2


def return_freed_memory() -> bool:
    """Pin glibc's mmap threshold and cap its arenas, before any thread is started;
    True when both took."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # no glibc (e.g. musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, THRESHOLD) == 1 and mallopt(M_ARENA_MAX, ARENAS) == 1
