"""Builds the services for a front end from Settings: one factory for TUI, ctl and relay."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from plextui import config
from plextui.cache import Cache, open_cache
from plextui.config import Settings, paths
from plextui.config.atomic import write_atomic
from plextui.control.controller import Controller
from plextui.core.quality import QualityLimits, quality_name
from plextui.errors import ConfigError, PlextuiError
from plextui.plex.discovery import Discovery, DiscoverySettings, normalise_address
from plextui.plex.events import EventBus, LibraryUpdated, SessionWatcher
from plextui.plex.local import LocalPlayer
from plextui.plex.playerwatch import PlayerWatcher
from plextui.plex.server import PlexService


@dataclass
class Runtime:
    settings: Settings
    service: PlexService
    controller: Controller
    bus: EventBus
    watcher: SessionWatcher
    player_watcher: PlayerWatcher  # the players' playback state on the bus; run by a front end
    local: LocalPlayer | None = None

    async def aclose(self) -> None:
        """Stop local playback cleanly (the server hears 'stopped'), then close."""
        if self.local is not None:
            await self.local.close()
        self.close()

    def close(self) -> None:
        self.watcher.stop()
        self.service.close()
        if self.service.cache is not None:
            self.service.cache.close()


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
    value = f"plextui-{uuid.uuid4()}"
    try:
        write_atomic(path, value)
    except OSError:
        pass
    return value


def known_machine_id(url: str) -> str | None:
    """The machine id last seen at this URL, so the cache can serve before connecting."""
    try:
        return json.loads(paths.known_servers_path().read_text()).get(url)
    except (OSError, ValueError, AttributeError):
        return None


def remember_machine_id(url: str, machine_id: str) -> None:
    path = paths.known_servers_path()
    try:
        known = json.loads(path.read_text())
    except (OSError, ValueError):
        known = {}
    if known.get(url) != machine_id:
        known[url] = machine_id
        try:
            write_atomic(path, json.dumps(known))
        except OSError:
            pass


def server_cache(
    settings: Settings, machine_id: str, on_fault: Callable[[str], None] | None = None
) -> Cache:
    """The cache in one server's namespace (its machine identifier), as configured."""
    return open_cache(
        settings.cache.url,
        namespace=machine_id,
        ttl=float(settings.cache.ttl),
        poster_max_bytes=settings.cache.poster_max_mb * 1024 * 1024,
        on_fault=on_fault,
    )


def attach_cache(
    service: PlexService, settings: Settings, machine_id: str, on_fault: Callable[[str], None]
) -> None:
    """Give the service the cache of the server it talks to."""
    if service.cache is not None and service.cache_namespace == machine_id:
        return
    service.cache = server_cache(settings, machine_id, on_fault)
    service.cache_namespace = machine_id


async def connect(rt: Runtime, on_fault: Callable[[str], None] = lambda message: None) -> None:
    """Connect the service, then key the cache by the server's identity."""
    info = await rt.service.connect()
    await asyncio.to_thread(remember_machine_id, rt.service.url, info.machine_identifier)
    # opening SQLite (or connecting to Redis) is blocking I/O too
    await asyncio.to_thread(
        attach_cache, rt.service, rt.settings, info.machine_identifier, on_fault
    )
    try:
        rt.controller.user = await rt.service.account_name() or ""  # who "now" cards name
    except PlextuiError:
        rt.controller.user = ""


def limits(settings: Settings) -> QualityLimits:
    """The quality settings as the ladder reads them: a cap above the ladder's top rung
    (2160p) means no cap, like `original`."""
    q = settings.quality
    return QualityLimits(
        transcoding=q.transcoding,
        max_quality=quality_name(q.max_quality) or "original",
        max_bitrate_kbps=q.max_bitrate,
        preferred_codec=q.preferred_codec,
        direct_play=q.direct_play,
        direct_stream=q.direct_stream,
    )


def player_discovery(settings: Settings, service: PlexService) -> Discovery:
    """Where players are looked for besides the server: GDM, plex.tv when the server came
    from `plextui login` (its token is the account's), and the addresses in plex.players."""
    plex = settings.plex
    signed_in = any(e.name == plex.server and e.url == plex.url for e in settings.servers)
    options = DiscoverySettings(
        addresses=tuple(normalise_address(a) for a in plex.players),
        gdm_targets=tuple(plex.gdm_targets),
        gdm_timeout=plex.gdm_timeout,
        plextv_token=plex.token if signed_in else "",
        client_id=service.client_id,
    )
    return Discovery(
        service,
        options,
        save_addresses=lambda urls: config.set_value("plex.players", urls),
        memory=paths.known_players_path(),
    )


def build(
    settings: Settings,
    on_cache_fault: Callable[[str], None] = lambda message: None,
    notify: Callable[[str], None] = lambda message: None,
    headless: bool | None = None,
) -> Runtime:
    """Services for one server. `headless` runs mpv without video or audio output (tests,
    CI); by default it follows PLEXTUI_MPV_HEADLESS."""
    settings = config.select_server(settings)
    if headless is None:
        headless = os.environ.get("PLEXTUI_MPV_HEADLESS", "") not in ("", "0")
    if not settings.plex.url:
        raise ConfigError(
            "no Plex server configured: run 'plextui login' to sign in with Plex, or "
            "'plextui config set plex.url http://HOST:32400' (or set PLEX_SERVER_URL)"
        )
    service = PlexService(
        settings.plex.url,
        settings.plex.token,
        client_id=client_id(settings),
        timeout=settings.plex.timeout,
        deadline=settings.plex.deadline,
        max_answer_bytes=settings.plex.max_answer_mb * 2**20,
    )
    controller = Controller(
        service,
        max_sessions=settings.plex.max_sessions,
        default_player=settings.plex.default_player,
        remember_player=lambda name: config.remember_player(settings, name),
    )
    controller.discovery = player_discovery(settings, service)
    local = LocalPlayer(
        service,
        limits(settings),
        headless=headless,
        quality=settings.quality.default,
        notify=notify,
        metrics=controller.metrics,
    )
    controller.local_player = lambda: local
    known = known_machine_id(service.url)
    if known:
        attach_cache(service, settings, known, on_cache_fault)
    bus = EventBus()
    bus.subscribe(
        lambda event: (
            service.library_updated(event.section_key)
            if isinstance(event, LibraryUpdated)
            else None
        )
    )
    players = PlayerWatcher(
        bus,
        active=lambda: controller.active,
        known=controller.known_players,  # the last discovery pass, no new one
        timeout=settings.plex.timeout * 2,  # a direct try, then one through the server
    )
    controller.player_watcher = players
    return Runtime(settings, service, controller, bus, SessionWatcher(service, bus), players, local)
