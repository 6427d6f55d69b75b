"""`plextui demo`: the TUI on an emulated Plex server with two players and an emulated Discord.

Nothing is saved to the user's config: settings are the user's (theme, keymap) with the
server and Discord replaced, and any "remember this player" goes to a scratch file (only
the `[ui]` and `[playback]` keys the Settings screen saves are kept, in the demo dir, so
hidden libraries stay hidden). The emulator listens on a fixed port with a fixed seed,
and the demo keeps its cache and the servers it has seen under the user cache dir, so a
second demo shows the library from cache before the server answers (`slow` delays every
answer to make that visible).
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import socket
import tempfile
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from plextui import config
from plextui.config import Settings, paths
from plextui.control import runtime
from plextui.discord.remote import inbox
from plextui.errors import ConfigError

DEMO_TOKEN = "demo-token"
DEMO_PORT = 32499
DEMO_SEED = 1
BOT_TOKEN = "demo-bot-token"
PRESENCE_APP_ID = "1100000000000000001"
CHANNEL_ID = "1100000000000000002"
DEMO_USER_ID = "1100000000000000003"  # "you" in the companion channel, an admin there
KEPT = ("ui", "playback")  # the config tables the demo's Settings carry to the next demo


def _port(wanted: int) -> int:
    """`wanted` when free (so the cache recognises the server next time), else any."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the emulator binds
        try:
            probe.bind(("127.0.0.1", wanted))
        except OSError:
            return 0
    return wanted


class DemoChannel:
    """The emulated companion channel, as the Discord panel sees it: post as "you", read all."""

    channel_name = "plex-remote"

    def __init__(self, rest: Any, channel_id: str = CHANNEL_ID) -> None:
        self.rest = rest
        self.channel_id = channel_id

    def post(self, text: str) -> None:
        self.rest.post_user_message(self.channel_id, text, author_id=DEMO_USER_ID, username="you")

    def messages(self) -> list[dict]:
        return self.rest.channel_messages(self.channel_id)

    def take_commands(self, rt: runtime.Runtime) -> Awaitable[None]:
        """The channel poller on this channel, polling quickly: someone watches the panel."""
        return inbox.serve_panel(rt.settings, rt.controller)


class DemoWorld:
    """Every emulator of the demo, the settings pointing at them, and a clean stop."""

    def __init__(self, base: Settings, size: int = 300, slow: float = 0.0) -> None:
        from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
        from plextui.emulators.plex import PlexEmulator

        self.scratch = _private_dirs()
        self.known_servers = paths.known_servers_path()  # the scratch one: env points there now
        self.emu = PlexEmulator(
            token=DEMO_TOKEN, size=size, seed=DEMO_SEED, players=2, port=_port(DEMO_PORT)
        ).start()
        self.emu.faults.delay = slow
        self.ipc = DiscordIPCEmulator(Path(os.environ["XDG_RUNTIME_DIR"]))
        self.ipc.start()
        self.rest = DiscordRestEmulator(bot_token=BOT_TOKEN)
        self.rest.start()
        self.rest.create_channel(CHANNEL_ID)
        self.companion = DemoChannel(self.rest)
        self.settings = demo_settings(_with_saved(base), self.emu.url, self.emu.token, self.rest)
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        _keep_known_servers(self.known_servers, self.scratch / "config.toml")
        for part in (self.emu, self.ipc, self.rest):
            try:
                part.stop()
            except Exception:  # noqa: BLE001 - one emulator failing to stop must not hide others
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)


def demo_settings(base: Settings, url: str, token: str, rest: Any = None) -> Settings:
    plex = dataclasses.replace(
        base.plex, url=url, token=token, client_id="plextui-demo", default_player=""
    )
    cache = dataclasses.replace(base.cache, url=f"sqlite:///{paths.demo_cache_path()}")
    settings = dataclasses.replace(base, plex=plex, cache=cache, servers=())
    if rest is None:
        return settings
    d = base.discord
    discord = dataclasses.replace(
        d,
        api_url=rest.api_url,
        presence=dataclasses.replace(d.presence, enabled=True, client_id=PRESENCE_APP_ID),
        webhook=dataclasses.replace(
            d.webhook, enabled=True, urls=[rest.create_webhook(CHANNEL_ID, "Plex")]
        ),
        remote=dataclasses.replace(
            d.remote,
            enabled=True,
            bot_token=BOT_TOKEN,
            channel_id=CHANNEL_ID,
            application_id=rest.application_id,
            public_key=rest.public_key_hex,
            admin_users=[DEMO_USER_ID],
        ),
    )
    return dataclasses.replace(settings, discord=discord)


def _private_dirs() -> Path:
    """Config, state and the Discord socket go to a scratch dir; known servers are copied
    in from the demo dir, so the cache is opened before the emulator answers."""
    scratch = Path(tempfile.mkdtemp(prefix="plextui-demo-"))
    os.environ["PLEXTUI_CONFIG"] = str(scratch / "config.toml")
    os.environ["XDG_STATE_HOME"] = str(scratch / "state")
    os.environ["XDG_RUNTIME_DIR"] = str(scratch / "run")
    (scratch / "run").mkdir(mode=0o700)
    if paths.demo_config_path().exists():
        shutil.copyfile(paths.demo_config_path(), scratch / "config.toml")
    known = paths.demo_known_servers_path()
    if known.exists():
        target = paths.known_servers_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(known, target)
    return scratch


def _keep_known_servers(seen: Path, saved: Path) -> None:
    """Keep the servers seen, and the `[ui]` and `[playback]` tables Settings saved (the
    scratch config), for next time; the rest (the demo's server, token, player) is its own."""
    if seen.exists():
        paths.demo_dir().mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seen, paths.demo_known_servers_path())
    try:
        raw = config.read_file(saved)  # {} when Settings saved nothing
        paths.demo_dir().mkdir(parents=True, exist_ok=True)
        config.save_raw(paths.demo_config_path(), {t: raw[t] for t in KEPT if t in raw})
    except (ConfigError, OSError):
        pass  # what the demo's Settings saved is a convenience, never a reason to fail


def _with_saved(base: Settings) -> Settings:
    """The user's settings with the `[ui]` and `[playback]` keys the demo's Settings screen
    saved last time over them."""
    path = config.config_path()  # the scratch copy: env points there now
    for name, value in config.values_from_file(config.read_file(path), path).items():
        if name.partition(".")[0] in KEPT:
            base = config.replaced(base, name, value)
    return base


def start_demo(app: Any, size: int = 300) -> runtime.Runtime:
    """From the first-run screen: the demo world for the running app, stopped at exit."""
    world = DemoWorld(app.settings, size)
    atexit.register(world.stop)
    app.companion = world.companion
    return runtime.build(world.settings)


def run_demo(size: int = 300, slow: float = 0.0) -> int:
    from plextui.ui.app import make_app

    world = DemoWorld(config.load(), size, slow)
    try:
        app = make_app(world.settings, companion=world.companion)
        app.run()
        return app.return_code or 0
    finally:
        world.stop()
