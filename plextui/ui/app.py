"""PlexApp and `make_app`, the one factory the CLI, the demo and the tests share.

The app owns the Runtime: it connects in a worker, runs the session watcher as a
worker, turns bus events into Textual messages, and fans playback state out to every
screen's now-playing bar.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.message import Message

from plextui import config
from plextui.config import Settings
from plextui.control import runtime as runtime_mod
from plextui.control.runtime import Runtime
from plextui.core.models import PlaybackState, SessionInfo
from plextui.errors import PlextuiError
from plextui.plex.events import (
    ConnectionChanged,
    Event,
    SessionEnded,
    SessionStarted,
    SessionUpdated,
)
from plextui.ui import keys
from plextui.ui.commands import PlexCommands
from plextui.ui.mirroring import Companion, DiscordLink
from plextui.ui.playback import PlaybackActions, session_note
from plextui.ui.screens.connect import ConnectScreen, FirstRunScreen
from plextui.ui.screens.main import MainScreen
from plextui.ui.widgets.nowbar import NowPlayingBar
from plextui.ui.widgets.status import StatusLine

CONNECTION_NOTES = {
    "live": ("Live updates from the server again", "information"),
    "polling": ("Live updates lost; polling the server", "warning"),
    "offline": ("The Plex server is not answering", "error"),
}
RECONNECT_EVERY = 5.0
STARTUP_GRACE = 3.0  # s: the collector is back on by then, rows drawn or not


class _LaterScreens:
    """The screens a key opens, imported when first asked for: only the main screen is on
    the way to the first rows (help, sessions and stats bring Textual's DataTable)."""

    PLACES = {
        "DiscordScreen": "discord",
        "HelpScreen": "help",
        "NowPlayingScreen": "nowplaying",
        "SearchScreen": "search",
        "ServersScreen": "servers",
        "SessionsScreen": "sessions",
        "SettingsScreen": "settings",
        "StatsScreen": "stats",
    }

    def __getattr__(self, name: str) -> type:
        if name not in self.PLACES:
            raise AttributeError(name)
        return getattr(importlib.import_module(f"plextui.ui.screens.{self.PLACES[name]}"), name)


screens = _LaterScreens()
NEEDS_SERVER = {b.action.split("(")[0] for b in keys.PLAYBACK + keys.GLOBAL} - {"help", "quit"}


class BusEvent(Message):
    """An engine event, delivered on the app's message queue."""

    def __init__(self, event: Event) -> None:
        self.event = event
        super().__init__()


class PlexApp(PlaybackActions, DiscordLink):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "plextui"
    COMMANDS = PlaybackActions.COMMANDS | {PlexCommands}
    BINDINGS = keys.PLAYBACK + keys.GLOBAL

    def __init__(
        self,
        settings: Settings,
        runtime: Runtime | None = None,
        *,
        poll_interval: float = 1.0,
        watch_events: bool = True,
        companion: Companion | None = None,
        start_demo: Callable[[PlexApp], Runtime] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.rt = runtime
        self.poll_interval = poll_interval
        self.watch_events = watch_events
        self.companion = companion
        self.start_demo = start_demo  # the entry point's demo, offered on the first-run screen
        self.status = ("", "connecting")
        self.playback: PlaybackState | None = None
        self.sessions: dict[str, SessionInfo] = {}
        self._mode_seen = False
        self._rows_drawn = False  # the main screen's first rows are on screen
        self._after_rows: list[Callable[[], None]] = []

    def on_mount(self) -> None:
        self.set_timer(STARTUP_GRACE, gc.enable)  # `plextui` starts with the collector off
        self.set_keymap(self.settings.ui.keymap)
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        else:
            self.notify(f"unknown theme '{self.settings.ui.theme}'", severity="warning")
        if self.rt is None and not self.settings.plex.url:
            self.push_screen(FirstRunScreen())
        else:
            self.start(self.rt)

    def start(self, runtime: Runtime | None = None) -> None:
        """Connect with `runtime` (or one built from the settings), showing progress."""
        try:
            self.rt = runtime or runtime_mod.build(
                self.settings, on_cache_fault=self._cache_fault, notify=self._player_note
            )
        except PlextuiError as error:
            self.notify(str(error), severity="error")
            self.push_screen(FirstRunScreen())
            return
        self.settings = self.rt.settings
        self._rows_drawn, self._after_rows = False, []  # a new main screen is on its way
        runtime_mod.listen(self.rt, self._cache_fault, self._player_note)  # a warm start's
        if runtime_mod.warmed(self.rt):  # connected while the TUI was imported: no waiting
            self._show(MainScreen(self.rt))
            self.connected(refresh=False)
            return
        if self.rt.service.cache is not None:  # seen before: the library from cache at once
            self.status = (self.rt.settings.plex.url, "cached")
            self._show(MainScreen(self.rt))
            # the connect (and what it starts) follows the rows instead of competing with them
            self._once_rows_drawn(self.connect_in_background)
            return
        self.status = (self.rt.settings.plex.url, "connecting")
        self._show(ConnectScreen(self.rt))

    def _show(self, screen) -> None:
        if isinstance(self.screen, FirstRunScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _cache_fault(self, message: str) -> None:
        self.notify(message, title="Cache", severity="warning")

    def _player_note(self, message: str) -> None:
        self.notify(message, title="This computer")

    @work(group="connect", exclusive=True)
    async def connect_in_background(self) -> None:
        """Browse from cache meanwhile; retry quietly after the first failure is shown."""
        assert self.rt is not None
        failed = False
        while True:
            try:
                await runtime_mod.connect(self.rt, self._cache_fault)
                break
            except PlextuiError as error:
                if not failed:
                    self.notify(f"{error}; showing the cached library", title="Offline")
                failed = True
                self.set_status("stale")
                await asyncio.sleep(RECONNECT_EVERY)
        self.connected()

    def set_status(self, mode: str) -> None:
        self.status = (self.status[0], mode)
        for line in self._everywhere(StatusLine):
            line.show(*self.status)

    def connected(self, refresh: bool = True) -> None:
        """Called once connected: show the library (or refresh the cached one), start work.
        The work (a refresh of what the cache showed, Discord, the watchers) waits for the
        first rows to be on screen: started sooner, it only delays drawing them."""
        assert self.rt is not None
        info = self.rt.service.info
        self.status = (info.name if info else self.rt.service.url, "connected")
        main = self._main()
        if main is None:
            self.switch_screen(MainScreen(self.rt))
        else:
            self.set_status("connected")
        self._once_rows_drawn(lambda: self._go_live(refresh=refresh and main is not None))

    def _go_live(self, refresh: bool) -> None:
        assert self.rt is not None
        if not self.is_running:  # the connect ended while quitting: the screens are gone
            return
        if refresh and (main := self._main()) is not None:
            main.went_live()
        self.start_discord()
        if self.watch_events:
            self.rt.bus.subscribe(lambda event: self.post_message(BusEvent(event)))
            self.run_worker(self.rt.watcher.run(), group="watcher", exclusive=True)
        self.follow_players()

    def _once_rows_drawn(self, then: Callable[[], None]) -> None:
        if self._rows_drawn:
            then()
        else:
            self._after_rows.append(then)

    def rows_drawn(self) -> None:
        """The main screen's first rows are on screen (or it knows they will not come):
        what waited for them starts now."""
        self._rows_drawn = True
        gc.enable()  # off while `plextui` started (entry/cli.py)
        waiting, self._after_rows = self._after_rows, []
        for then in waiting:
            then()

    async def on_unmount(self) -> None:
        await self.stop_discord()
        if self.rt is not None:
            try:
                await asyncio.wait_for(self.rt.aclose(), 3)  # mpv hears "stop" first
            except (TimeoutError, PlextuiError):
                self.rt.close()

    def note_freshness(self) -> None:
        """After a read: "offline" when it came from a stale entry, "cached" before the
        server has answered once, back to "connected" on the first fresh answer."""
        service = self.rt.service if self.rt else None
        if service is None:
            return
        if service.offline:
            self.set_status("stale")
        elif service.info is None:
            self.set_status("cached")
        elif self.status[1] in ("offline", "cached", "stale"):
            self.set_status("connected")

    # --- events from the bus -------------------------------------------------------------

    def on_bus_event(self, message: BusEvent) -> None:
        event = message.event
        if isinstance(event, ConnectionChanged):
            self.set_status(event.mode)
            if self._mode_seen or event.mode != "live":
                text, severity = CONNECTION_NOTES[event.mode]
                detail = f": {event.message}" if event.mode == "offline" else ""
                self.notify(text + detail, title="Connection", severity=severity)  # type: ignore[arg-type]
            self._mode_seen = True
            return
        if isinstance(event, SessionStarted | SessionUpdated):
            self.sessions[event.session.session_key] = event.session
        elif isinstance(event, SessionEnded):
            self.sessions.pop(event.session.session_key, None)
        for screen in self.screen_stack:
            if isinstance(screen, screens.SessionsScreen):
                screen.show_sessions(list(self.sessions.values()))

    def _everywhere(self, kind: type) -> list:
        return [w for screen in self.screen_stack for w in screen.query(kind)]

    def show_playback(self, state: PlaybackState | None, player: str) -> None:
        self.playback = state
        extra = session_note(self.active_session())
        self.remember_shown(state, player, extra)
        for bar in self._everywhere(NowPlayingBar):
            bar.show(state, player, extra)
        for screen in self.screen_stack:
            if isinstance(screen, screens.NowPlayingScreen):
                screen.show(state, player, extra)

    # --- screens -----------------------------------------------------------------------

    def _main(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def action_sessions(self) -> None:
        if self.rt is not None and not isinstance(self.screen, screens.SessionsScreen):
            self.push_screen(screens.SessionsScreen(self.rt, list(self.sessions.values())))

    def action_now_playing(self) -> None:
        if not isinstance(self.screen, screens.NowPlayingScreen):
            self.push_screen(screens.NowPlayingScreen())

    def action_discord(self) -> None:
        if isinstance(self.screen, screens.DiscordScreen):
            self.pop_screen()
        else:
            self.push_screen(screens.DiscordScreen())

    def action_stats(self) -> None:
        if self.rt is not None and not isinstance(self.screen, screens.StatsScreen):
            self.push_screen(screens.StatsScreen(self.rt))

    def action_settings(self) -> None:
        if not isinstance(self.screen, screens.SettingsScreen):
            self.push_screen(screens.SettingsScreen())

    def apply_setting(self, name: str, value) -> None:
        """A key just saved from Settings: used at once where the app can."""
        self.settings = config.replaced(self.settings, name, value)
        if self.rt is not None:
            self.rt.settings = config.replaced(self.rt.settings, name, value)
        if name == "ui.theme":
            self.theme = value
        elif name == "ui.keymap":
            self.set_keymap(value)
        if (main := self._main()) is not None:
            main.setting_changed(name)

    def action_servers(self) -> None:
        self.push_screen(screens.ServersScreen(self.settings), self.use_server)

    @work(group="switch", exclusive=True)
    async def use_server(self, choice: config.ServerEntry | str | None) -> None:
        """Leave the current server (its workers, mirror and mpv) and start on another: a
        name from the server switcher or the entry the sign-in screen just saved."""
        if not choice:
            return
        name = choice.name if isinstance(choice, config.ServerEntry) else choice
        try:
            settings = config.select_server(config.load(), name)
        except PlextuiError as error:
            self.notify(str(error), severity="error")
            return
        for group in ("connect", "watcher", "players", "command", "player", "quality", "discord"):
            self.workers.cancel_group(self, group)
        await self.stop_discord()
        if self.rt is not None:
            with contextlib.suppress(TimeoutError, PlextuiError):
                await asyncio.wait_for(self.rt.aclose(), 3)
            self.rt = None
        self.sessions.clear()
        self._shown = None  # a new server: its bars start from its default player
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.settings = settings
        self.start()

    def action_help(self) -> None:
        if not isinstance(self.screen, screens.HelpScreen):
            self.push_screen(screens.HelpScreen())

    def action_search(self) -> None:
        main = self._main()
        if self.rt is None or main is None or isinstance(self.screen, screens.SearchScreen):
            return

        def chosen(item) -> None:
            if item is not None:
                main.open_item(item)

        self.push_screen(screens.SearchScreen(self.rt), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before a server is connected only help and quit make sense."""
        return self._main() is not None or action not in NEEDS_SERVER


def make_app(settings: Settings, runtime: Runtime | None = None, **kwargs) -> PlexApp:
    """The one factory: CLI, demo and tests build the app the same way. The terminal's
    answers about images are in before the app is (Textual owns stdin from `run` on)."""
    from plextui.ui import termprobe

    termprobe.settle()
    return PlexApp(settings, runtime, **kwargs)


def run_tui(settings: Settings, **kwargs) -> int:
    app = make_app(settings, **kwargs)
    app.run()
    return app.return_code or 0
