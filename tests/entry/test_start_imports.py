"""What a fresh process loads before it can answer: `--help` none of the heavy modules, the
TUI's first screen none of Discord's, mpv's, plexapi's or requests' (they load once
connected, or when asked for: a first screen from the cache needs none of them). Time is measured in bench/; this holds the import graph that time depends on."""

from __future__ import annotations

import ast
import subprocess
import sys


def loaded(code: str, wanted: list[str]) -> list[str]:
    found = f"[m for m in {wanted!r} if m in sys.modules]"
    probe = f"import sys\n{code}\nfound = {found}\nprint(repr(found))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return ast.literal_eval(out.stdout.splitlines()[-1])


def test_the_command_line_parser_loads_nothing_heavy():
    heavy = ["dataclasses", "json", "typing", "asyncio", "plexapi", "textual", "requests"]
    assert loaded("import plextui.entry.cli", heavy) == []


def test_the_first_screen_loads_neither_discord_nor_mpv_nor_plexapi_nor_other_screens():
    later = [
        "plexapi",
        "requests",
        "plextui.plex.route",
        "aiohttp",
        "discord_webhook",
        "pypresence",
        "plextui.discord.mirror.nowplaying",
        "plextui.plex.local",
        "plextui.plex.mpv",
        "plextui.ui.screens.help",  # the screens a key opens, DataTable with them
        "plextui.ui.screens.sessions",
        "plextui.ui.screens.stats",
    ]
    code = "import plextui.entry.cli, plextui.control.runtime, plextui.ui.app"
    assert loaded(code, later) == []


def test_ctl_loads_only_what_a_command_needs():
    """A `ctl` command reads the config and answers: writing TOML, "did you mean" and
    statistics load only when a save, a typo or the Stats figures need them; player
    discovery when a command needs players; the watchers only for a front end."""
    later = ["tomli_w", "difflib", "statistics", "plextui.plex.discovery", "plextui.plex.gdm"]
    later += ["plextui.plex.events", "plextui.plex.playerwatch"]
    code = "import plextui.entry.cli, plextui.entry.ctl, plextui.control.runtime"
    assert loaded(code, later) == []
