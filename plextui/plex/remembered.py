"""The players memory: where GDM or plex.tv last found each player (`players.json` in the
state dir), so a command reaches it without searching again (GDM answers take up to a
second).

Standard library only: `ctl`'s quick answers read it too, and must not load plexapi
through discovery. One entry per machine id: url, name, found_by (GDM, plex.tv), seen.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from plextui.config.atomic import write_atomic

GDM, PLEXTV = "gdm", "plex.tv"  # the searches whose finds are remembered
REMEMBER_SECONDS = 7 * 24 * 3600  # a player found by GDM or plex.tv is tried this long


def recall(memory: Path | None) -> dict[str, dict]:
    """Players seen within REMEMBER_SECONDS; nothing when there is no memory yet or it
    is damaged (the searches run again)."""
    try:
        data = json.loads(memory.read_text()) if memory else {}
        now = time.time()
        return {
            str(ident): {
                "url": str(known["url"]),
                "name": str(known["name"]),
                "found_by": [s for s in known["found_by"] if s in (GDM, PLEXTV)],
            }
            for ident, known in data.items()
            if now - float(known["seen"]) < REMEMBER_SECONDS
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def keep(memory: Path, found: dict[str, tuple[str, str, list[str]]]) -> None:
    """Replace the memory with `found` (machine id → url, name, found_by), seen now."""
    now = time.time()
    data = {
        ident: {"url": url, "name": name, "found_by": by, "seen": now}
        for ident, (url, name, by) in found.items()
    }
    write_atomic(memory, json.dumps(data))
