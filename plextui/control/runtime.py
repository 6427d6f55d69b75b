"""Builds the services for a front end from Settings: one factory for TUI, ctl and relay.

Start-up is on the way to what a user waits for, so: `warm_start` begins connecting and
reading the first screen's rows on a thread of its own while the TUI is still being
imported and built; `connect(trust_known=True)` (ctl) takes a server seen before at this
URL as known, so a command's first request is its own; the account's name is asked only
when an answer shows it; this computer's player (mpv) is built when first asked for.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plextui import config
from plextui.cache import Cache, open_cache
from plextui.config import Settings, paths
from plextui.config.atomic import write_atomic
from plextui.config.identity import client_id
from plextui.core.quality import QualityLimits, quality_name
from plextui.errors import ConfigError, PlextuiError
from plextui.plex.server import PlexService

if TYPE_CHECKING:
    from plextui.control.controller import Controller
    from plextui.plex.discovery import Discovery
    from plextui.plex.events import EventBus, SessionWatcher
    from plextui.plex.local import LocalPlayer
    from plextui.plex.playerwatch import PlayerWatcher


@dataclass
class Runtime:
    settings: Settings
    service: PlexService
    controller: Controller
    make_local: Callable[[], LocalPlayer] | None = None  # this computer's player (mpv)
    warming: Future | None = None  # the warm-up's connect, which `connect` joins
    notices: tuple[Later, Later] | None = None  # (cache faults, this computer's player)
    _local: LocalPlayer | None = field(default=None, repr=False)
    _watching: tuple[EventBus, SessionWatcher, PlayerWatcher] | None = field(
        default=None, repr=False
    )

    @property
    def bus(self) -> EventBus:
        """What the server and the players do, as events: built with the two watchers when a
        front end first asks (a `ctl` command never does, nor imports their modules)."""
        return self._watch()[0]

    @property
    def watcher(self) -> SessionWatcher:
        """The server's notifications on the bus; run by a front end."""
        return self._watch()[1]

    @property
    def player_watcher(self) -> PlayerWatcher:
        """The players' playback state on the bus; run by a front end."""
        return self._watch()[2]

    def _watch(self) -> tuple[EventBus, SessionWatcher, PlayerWatcher]:
        if self._watching is None:
            self._watching = _watchers(self.settings, self.service, self.controller)
        return self._watching

    @property
    def local(self) -> LocalPlayer | None:
        """This computer's player, built (and mpv's modules imported) when first asked for."""
        if self._local is None and self.make_local is not None:
            self._local = self.make_local()
        return self._local

    async def aclose(self) -> None:
        """Stop local playback cleanly (the server hears 'stopped'), then close."""
        if self._local is not None:
            await self._local.close()
        self.close()

    def close(self) -> None:
        if self._watching is not None:
            self._watching[1].stop()
        self.service.close()
        if self.service.cache is not None:
            self.service.cache.close()


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


async def connect(
    rt: Runtime,
    on_fault: Callable[[str], None] = lambda message: None,
    *,
    trust_known: bool = False,
) -> None:
    """Connect the service, then key the cache by the server's identity.

    A warm-up under way (`warm_start`) is joined rather than repeated, its failure
    included (an unreachable server is not waited for twice); the next call connects
    afresh. `trust_known` (ctl) takes a server seen at this URL before as that server,
    with its cache already attached, and asks it nothing yet."""
    warming, rt.warming = rt.warming, None
    if warming is not None:
        try:
            await asyncio.wrap_future(warming)
            return
        except PlextuiError:
            raise  # what the warm-up met is the answer; asking again connects afresh
        except Exception:  # noqa: BLE001, S110 - connecting again below says what is wrong
            pass
    if trust_known and rt.service.cache_namespace:  # build() found it in known servers
        rt.service.assume(rt.service.cache_namespace)
        return
    await _connect(rt.service, rt.settings, on_fault)


async def _connect(
    service: PlexService, settings: Settings, on_fault: Callable[[str], None]
) -> None:
    info = await service.connect()
    await asyncio.to_thread(remember_machine_id, service.url, info.machine_identifier)
    # opening SQLite (or connecting to Redis) is blocking I/O too
    await asyncio.to_thread(attach_cache, service, settings, info.machine_identifier, on_fault)


def warmed(rt: Runtime) -> bool:
    """True when a warm start has connected already (a front end need not wait); the
    connect is then taken as done, as `connect` would take it."""
    warming = rt.warming
    if warming is None or not warming.done() or warming.exception() is not None:
        return False
    rt.warming = None
    return True


class Later:
    """A notice callback for a front end not built yet (the warm-up starts before the TUI):
    notices are held until `to` says where they go, then delivered there."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._target: Callable[[str], None] | None = None
        self._held: list[str] = []

    def __call__(self, message: str) -> None:
        with self._lock:
            target = self._target
            if target is None:
                self._held.append(message)
                return
        target(message)

    def to(self, target: Callable[[str], None]) -> None:
        with self._lock:
            self._target, held, self._held = target, self._held, []
        for message in held:
            target(message)


def warm_start(settings: Settings, page_size: int) -> Runtime:
    """A runtime whose first screen (libraries, first page) is already being read, on a
    thread of its own, while the caller goes on to import and build the TUI: what the first
    screen asks for is then under way, or in hand, when it asks.

    A server never seen: connect, then read ahead (the service joins reads under way, and
    hands what was read); the thread starts before the Controller's modules are imported,
    so the server answers while they load. A server seen before is not connected: its
    first screen is in the cache, and connecting (and the work it starts) would compete
    with drawing it, so the TUI connects once its rows are drawn; the first screen is read
    ahead from the cache instead (`PlexService.read_ahead`). Notices wait for `listen`."""
    cache_faults, player_notes = Later(), Later()
    settings, service = _service(settings, cache_faults)
    warming: Future | None = None
    if service.cache is not None:
        _on_thread(
            "plextui-read-ahead",
            lambda: service.read_ahead(lambda: _first_screen(service, page_size)),
        )
    else:
        warming = connected = Future()

        async def warm() -> None:
            try:
                await _connect(service, settings, cache_faults)
            except BaseException as error:  # noqa: BLE001 - handed to whoever joins
                connected.set_exception(error)
                return
            connected.set_result(None)
            await service.read_ahead(lambda: _first_screen(service, page_size))

        _on_thread("plextui-warm-start", warm)
    rt = _around(settings, service, notify=player_notes)
    rt.notices = (cache_faults, player_notes)
    rt.warming = warming
    return rt


async def _first_screen(service: PlexService, page_size: int) -> None:
    """What the TUI shows first: the libraries and the first one's first page."""
    libraries = await service.libraries()
    if libraries:
        await service.browse(libraries[0], 0, page_size)


def _on_thread(name: str, work: Callable[[], Coroutine[object, object, None]]) -> None:
    """Run `work` in an event loop of its own, on a daemon thread; what it meets is met
    again (and shown) when the TUI asks the same, so nothing is printed here."""

    def run() -> None:
        try:
            asyncio.run(work())
        except BaseException:  # noqa: BLE001, S110 - a quit meanwhile cancels these reads,
            pass  # which must not print on the way out

    threading.Thread(target=run, name=name, daemon=True).start()


def listen(
    rt: Runtime, cache_fault: Callable[[str], None], player_note: Callable[[str], None]
) -> None:
    """Deliver a warm-started runtime's notices (held until now) to the front end."""
    if rt.notices is not None:
        rt.notices[0].to(cache_fault)
        rt.notices[1].to(player_note)


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
    from plextui.plex.discovery import Discovery, DiscoverySettings, normalise_address

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
    settings, service = _service(settings, on_cache_fault)
    return _around(settings, service, notify, headless)


def _service(
    settings: Settings, on_cache_fault: Callable[[str], None]
) -> tuple[Settings, PlexService]:
    """The configured server's service, with its cache when the server was seen before."""
    settings = config.select_server(settings)
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
    known = known_machine_id(service.url)
    if known:
        attach_cache(service, settings, known, on_cache_fault)
    return settings, service


def _around(
    settings: Settings,
    service: PlexService,
    notify: Callable[[str], None] = lambda message: None,
    headless: bool | None = None,
) -> Runtime:
    """The Controller and this computer's player around `service` (the Controller's
    modules, players and playback, load here)."""
    from plextui.control.controller import Controller
    from plextui.control.tracks import TrackPreferences

    if headless is None:
        headless = os.environ.get("PLEXTUI_MPV_HEADLESS", "") not in ("", "0")
    controller = Controller(
        service,
        max_sessions=settings.plex.max_sessions,
        default_player=settings.plex.default_player,
        remember_player=lambda name: config.remember_player(settings, name),
    )
    controller.make_discovery = lambda: player_discovery(settings, service)
    controller.track_preferences = TrackPreferences(
        settings.playback.audio_language,
        settings.playback.subtitle_language,
        settings.playback.subtitle_mode,
    )

    def make_local() -> LocalPlayer:
        from plextui.plex.local import LocalPlayer

        return LocalPlayer(
            service,
            limits(settings),
            headless=headless,
            quality=settings.quality.default,
            notify=notify,
            metrics=controller.metrics,
        )

    rt = Runtime(settings, service, controller, make_local)
    controller.local_player = lambda: rt.local  # type: ignore[return-value]
    return rt


def _watchers(
    settings: Settings, service: PlexService, controller: Controller
) -> tuple[EventBus, SessionWatcher, PlayerWatcher]:
    """The event bus, the server's session watcher and the players' watcher, wired to the
    service (a library changed: its pages are stale) and the controller (one read for all)."""
    from plextui.plex.events import EventBus, LibraryUpdated, SessionWatcher
    from plextui.plex.playerwatch import PlayerWatcher

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
    return bus, SessionWatcher(service, bus), players
