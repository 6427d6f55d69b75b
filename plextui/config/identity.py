"""Who plextui is to Plex: the client identifier every request carries.

Players order commands by it (with `commandID`) and the server lists our sessions under
it, so it stays the same across runs: the configured one, or one generated once and kept
in the state dir.
"""

from __future__ import annotations

from pathlib import Path

from plextui.config import paths
from plextui.config.atomic import write_atomic
from plextui.config.schema import Settings


def client_id(settings: Settings) -> str:
    """The configured client id, or one generated once and kept in the state dir."""
    if settings.plex.client_id:
        return settings.plex.client_id
    path = paths.client_id_path()
    try:
        return path.read_text().strip() or _new_id(path)
    except OSError:
        return _new_id(path)


def _new_id(path: Path) -> str:
    import uuid  # once per install: uuid loads platform, which every command would pay for

    value = f"plextui-{uuid.uuid4()}"
    try:
        write_atomic(path, value)
    except OSError:
        pass
    return value
