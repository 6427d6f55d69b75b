"""Shared by the player tests: run a command, pick items, drive `plextui ctl`, and put
the emulated players back (faults off, nothing playing) after each test."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from xml.etree import ElementTree

import pytest

from plextui.core.commands import parse_command

TV, PLEXAMP = "Living Room TV", "Kitchen Plexamp"
FAULTS = {
    "toggles": False,
    "refuse": "",
    "http_error": 0,
    "cannot_fetch": False,
    "answer_delay": 0.0,
}


async def run(controller, text):
    return await controller.execute(parse_command(text))


async def play_on(controller, item, player: str = TV):
    """Play `item` on the player called `player`, found the way the TUI finds it."""
    return await controller.play_item(item, await controller.find_player(player))


async def a_movie(controller, start: int = 5):
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    return (await controller.service.browse(movies, size=1, start=start)).items[0]


async def a_track(controller):
    music = next(lib for lib in await controller.service.libraries() if lib.type == "artist")
    artist = (await controller.service.browse(music, size=1)).items[0]
    return (await controller.service.leaves(artist)).items[0]


def sent(player, command: str) -> int:
    """How many `playback/<command>` requests the emulated player received."""
    return player.commands.count(f"playback/{command}")


def movie_title(emu, start: int = 20) -> str:
    """`Title (Year)` of a film, read from the emulator as any client would."""
    request = urllib.request.Request(
        f"{emu.url}/library/sections/1/all?type=1"
        f"&X-Plex-Container-Start={start}&X-Plex-Container-Size=1",
        headers={"X-Plex-Token": emu.token},
    )
    movie = ElementTree.fromstring(urllib.request.urlopen(request, timeout=10).read())[0]
    return f"{movie.attrib['title']} ({movie.attrib['year']})"


def ctl(
    emu, *args: str, config: str | None = None, gdm: bool = False
) -> subprocess.CompletedProcess:
    """`plextui ctl ARGS` in its own process, against the in-process emulator; `gdm` keeps
    the defaults a user has (tests run with GDM off, see tests/conftest.py)."""
    env = {**os.environ, "PLEX_SERVER_URL": emu.url, "PLEX_API_TOKEN": emu.token}
    if config is not None:
        env["PLEXTUI_CONFIG"] = config
    if gdm:
        env.pop("PLEXTUI_GDM_TIMEOUT", None)
    return subprocess.run(
        [sys.executable, "-m", "plextui", "ctl", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture(autouse=True)
def players_put_back(emu):
    yield
    for player in emu.players:
        player.reachable = True
        for name, value in FAULTS.items():
            setattr(player, name, value)
        if player.timeline()["state"] != "stopped":  # stopped by the player itself, as a user would
            stop = f"{player.url}/player/playback/stop?type={player.kind}&commandID=1"
            urllib.request.urlopen(stop, timeout=10).read()


def film(emu, test) -> object:
    """An emulated film whose generated versions (with their tracks) pass `test`."""
    from plextui.emulators.plex import versions

    return next(
        i
        for i in emu.library.items[1:]
        if i is not None
        and i.kind == "movie"
        and test(versions.versions(i.kind, i.rk, i.resolution))
    )


def two_languages(found) -> bool:
    """A `film` test: the first version has two audio languages and three subtitles."""
    from plextui.emulators.plex import versions

    first = found[0]
    return len(versions.audio_tracks(first)) == 2 and len(versions.subtitle_tracks(first)) == 3
