"""Saved servers: `[[servers]]` tables, choosing one, and adding one after sign-in."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from plextui.config.paths import config_path
from plextui.config.schema import ServerEntry, Settings
from plextui.config.store import read_file, save_raw, set_value
from plextui.errors import ConfigError


def select_server(settings: Settings, name: str | None = None) -> Settings:
    """Settings pointed at a `[[servers]]` entry: the one named, else `plex.server` when no
    `plex.url` is set (an explicit URL, from the file or PLEX_SERVER_URL, wins)."""
    wanted = name or (settings.plex.server if not settings.plex.url else "")
    if not wanted and not settings.plex.url and settings.servers:
        wanted = settings.servers[0].name
    if not wanted:
        return settings
    for entry in settings.servers:
        if entry.name.casefold() == wanted.casefold():
            plex = dataclasses.replace(
                settings.plex,
                url=entry.url,
                token=entry.token or settings.plex.token,
                client_id=entry.client_id or settings.plex.client_id,
                default_player=entry.default_player or settings.plex.default_player,
                server=entry.name,
            )
            return dataclasses.replace(settings, plex=plex)
    names = ", ".join(e.name for e in settings.servers) or "none saved; run plextui login"
    raise ConfigError(f"no server named '{wanted}' (servers: {names})")


def remember_player(settings: Settings, name: str, path: Path | None = None) -> None:
    """Save the chosen player where it belongs: in the selected `[[servers]]` entry, or as
    `plex.default_player` when the server comes from `plex.url`."""
    entry = next((e for e in settings.servers if e.name == settings.plex.server), None)
    if entry is None or entry.url != settings.plex.url:
        set_value("plex.default_player", name, path)
    else:
        save_server(dataclasses.replace(entry, default_player=name), path, default=False)


def save_server(entry: ServerEntry, path: Path | None = None, default: bool = True) -> None:
    """Add or replace a `[[servers]]` entry by name, keeping everything else in the file."""
    path = path or config_path()
    raw = read_file(path)
    raw.pop("config_version", None)
    servers = [s for s in raw.get("servers", []) if s.get("name") != entry.name]
    servers.append({k: v for k, v in dataclasses.asdict(entry).items() if v})
    raw["servers"] = servers
    if default:
        raw.setdefault("plex", {})["server"] = entry.name
        raw["plex"].pop("url", None)
        raw["plex"].pop("token", None)
    save_raw(path, raw)
