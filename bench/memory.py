"""Peak RSS of browsing a whole section page by page, measured in a child process.

`python -m bench.memory URL TOKEN` browses the movie section with PlexService and an
SQLite cache, keeping every page it loaded as the TUI's list does, and prints its peak
RSS in MB on the last line: VmHWM where Linux has it, since `getrusage`'s ru_maxrss of a
child carries over the peak of the parent it was forked from (the bench holds the
emulator and plexapi's 100 000 objects, ~1.6 GB).
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Row
from plextui.cache import open_cache
from plextui.plex.server import PlexService

PAGE = 100


async def browse_all(url: str, token: str, cache_dir: str) -> int:
    svc = PlexService(url, token, client_id="plextui-bench-rss", timeout=60)
    info = await svc.connect()
    svc.cache = open_cache(f"sqlite:///{Path(cache_dir) / 'cache.db'}", info.machine_identifier)
    try:
        movies = next(lib for lib in await svc.libraries() if lib.type == "movie")
        pages = {}
        for start in range(0, movies.count, PAGE):
            pages[start] = (await svc.browse(movies, start, PAGE)).items
        return sum(len(p) for p in pages.values())
    finally:
        svc.cache.close()
        svc.close()


def own_peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb(url: str, token: str) -> tuple[float, int]:
    """Run the browse in a fresh interpreter; (peak MB, rows held)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-m", "bench.memory", url, token, tmp],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout.split()
    return float(out[-1]), int(out[-2])


def memory_row(url: str, token: str) -> Row:
    mb, rows = peak_rss_mb(url, token)
    return Row(
        "peak RSS after browsing the whole section page by page",
        mb,
        "MB",
        "< 200 MB",
        mb < 200,
        note=f"{rows:,} rows held, SQLite cache on",
    )


if __name__ == "__main__":
    held = asyncio.run(browse_all(*sys.argv[1:4]))
    print(held, own_peak_mb())
