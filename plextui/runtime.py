"""Builds the services for a front end from Settings: one factory for TUI, ctl and relay."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from plextui import config
from plextui.config import Settings
from plextui.control import Controller
from plextui.errors import ConfigError
from plextui.plex.events import EventBus, SessionWatcher
from plextui.plex.server import PlexService


@dataclass
class Runtime:
    settings: Settings
    service: PlexService
    controller: Controller
    bus: EventBus
    watcher: SessionWatcher

    def close(self) -> None:
        self.watcher.stop()
        self.service.close()


def client_id(settings: Settings) -> str:
    """The configured client id, or one generated once and kept in the state dir."""
    if settings.plex.client_id:
        return settings.plex.client_id
    path = Path(platformdirs.user_state_path("plextui")) / "client_id"
    try:
        return path.read_text().strip() or _new_id(path)
    except OSError:
        return _new_id(path)


def _new_id(path: Path) -> str:
    value = f"plextui-{uuid.uuid4()}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value)
    except OSError:
        pass
    return value


def build(settings: Settings) -> Runtime:
    if not settings.plex.url:
        raise ConfigError(
            "no Plex server configured: run 'plextui config set plex.url http://HOST:32400' "
            "or set PLEX_SERVER_URL"
        )
    service = PlexService(
        settings.plex.url,
        settings.plex.token,
        client_id=client_id(settings),
        timeout=settings.plex.timeout,
    )
    controller = Controller(
        service,
        max_sessions=settings.plex.max_sessions,
        default_player=settings.plex.default_player,
        remember_player=lambda name: config.set_value("plex.default_player", name),
    )
    bus = EventBus()
    return Runtime(settings, service, controller, bus, SessionWatcher(service, bus))
