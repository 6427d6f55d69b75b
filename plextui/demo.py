"""`plextui demo`: the TUI on an emulated Plex server with two players.

Nothing is saved to the user's config: settings are the user's (theme, keymap) with
the server replaced, the client id fixed, and any "remember this player" kept in a
temporary file that goes away with the demo.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import tempfile
from pathlib import Path
from typing import Any

from plextui import config, runtime
from plextui.config import Settings

DEMO_TOKEN = "demo-token"


def demo_settings(base: Settings, url: str, token: str) -> Settings:
    plex = dataclasses.replace(
        base.plex, url=url, token=token, client_id="plextui-demo", default_player=""
    )
    return dataclasses.replace(base, plex=plex)


def _private_config() -> None:
    """Send later `config.set_value` calls (player choice) to a scratch file."""
    scratch = Path(tempfile.mkdtemp(prefix="plextui-demo-"))
    os.environ["PLEXTUI_CONFIG"] = str(scratch / "config.toml")
    os.environ["XDG_STATE_HOME"] = str(scratch / "state")


def start_emulator(size: int = 300, seed: int = 1, clock: Any = None) -> Any:
    from plextui.emulators.plex import PlexEmulator

    return PlexEmulator(token=DEMO_TOKEN, size=size, seed=seed, players=2, clock=clock).start()


def start_demo(app: Any, size: int = 300) -> runtime.Runtime:
    """From the first-run screen: an emulator for the running app, stopped at exit."""
    emu = start_emulator(size)
    atexit.register(emu.stop)
    _private_config()
    return runtime.build(demo_settings(app.settings, emu.url, emu.token))


def run_demo(size: int = 300) -> int:
    from plextui.ui.app import make_app

    base = config.load()
    _private_config()
    emu = start_emulator(size)
    try:
        app = make_app(demo_settings(base, emu.url, emu.token))
        app.run()
        return app.return_code or 0
    finally:
        emu.stop()
