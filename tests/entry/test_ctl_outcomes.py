"""`plextui ctl` as issue 17 found it from a shell: exit codes that agree, a one-off
`--player` that is one-off, `stats` and `help` that say what README says, and answers
worded as a person would say them."""

from __future__ import annotations

import json
import os
import tomllib
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.playerkit import ctl

TV, PLEXAMP = "Living Room TV", "Kitchen Plexamp"


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": "outcomes", "size": 40, "seed": 5, "players": 2}


def a_title(emu) -> str:
    request = urllib.request.Request(
        f"{emu.url}/library/sections/1/all?type=1&X-Plex-Container-Start=4&X-Plex-Container-Size=1",
        headers={"X-Plex-Token": emu.token},
    )
    item = ElementTree.fromstring(urllib.request.urlopen(request, timeout=10).read())[0].attrib
    return f"{item['title']} ({item['year']})"


def saved() -> dict:
    path = Path(os.environ["PLEXTUI_CONFIG"])
    return tomllib.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize(
    "words",
    [
        ["play", "Zzzz Nothing", "on", TV],  # an unknown title
        ["play", "{title}", "on", "Garage Fridge"],  # an unknown player
        ["pause", "--player", "Garage Fridge"],
    ],
)
def test_an_unknown_player_fails_like_an_unknown_title(emu, words):
    """Both are "the command failed" (exit 1, README); an unknown player was exit 2."""
    words = [w.format(title=a_title(emu)) for w in words]
    done = ctl(emu, *words, "--json")
    out = json.loads(done.stdout)
    assert done.returncode == 1 and out["exit_code"] == 1, done.stdout
    assert out["ok"] is False and out["message"].startswith(("nothing called", "no player named"))


def test_only_use_changes_the_default_player(emu):
    title = a_title(emu)
    assert ctl(emu, "play", title, "--player", TV).returncode == 0
    assert ctl(emu, "play", title, "on", TV).returncode == 0  # named in the command: once
    assert "default_player" not in saved().get("plex", {})
    assert ctl(emu, "use", PLEXAMP).returncode == 0
    assert saved()["plex"]["default_player"] == PLEXAMP
    assert ctl(emu, "stop", "--player", TV).returncode == 0
    assert saved()["plex"]["default_player"] == PLEXAMP


def test_a_one_off_player_gets_the_command_whoever_plays(emu):
    """`--player X` named X; it used to stand in for the default, which a busy player beats."""
    assert ctl(emu, "play", a_title(emu), "on", TV).returncode == 0
    to_plexamp = ctl(emu, "pause", "--player", PLEXAMP)
    assert to_plexamp.returncode == 1
    assert to_plexamp.stderr.strip() == f"plextui: nothing is playing on {PLEXAMP}"
    assert emu.player(TV).timeline()["state"] == "playing"
    assert ctl(emu, "pause", "--player", TV).stdout.strip() == f"Paused on {TV}"
    assert ctl(emu, "stop").returncode == 0


def test_shuffle_and_repeat_say_it_once(emu):
    assert ctl(emu, "play", a_title(emu), "on", TV).returncode == 0
    assert ctl(emu, "shuffle", "on").stdout.strip() == f"Shuffle turned on for {TV}"
    assert ctl(emu, "shuffle", "off").stdout.strip() == f"Shuffle turned off for {TV}"
    assert ctl(emu, "repeat", "all").stdout.strip() == f"Repeat set to all for {TV}"
    assert ctl(emu, "repeat", "off").stdout.strip() == f"Repeat turned off for {TV}"
    assert ctl(emu, "stop").returncode == 0


def test_this_computer_is_named_once(emu):
    listed = ctl(emu, "players").stdout.splitlines()
    assert "  This computer (mpv)" in listed, listed


def test_help_lists_stats_and_every_quality_label(emu):
    text = ctl(emu, "help").stdout
    assert "quality <original|1080p|1080p-10|720p|480p|360p|auto>" in text
    assert any(line.startswith("stats ") for line in text.splitlines()), text
    assert "Cache statistics" in ctl(emu, "help", "stats").stdout


def test_stats_shows_the_hit_ratio_and_answers_json_like_every_command(emu):
    assert ctl(emu, "libraries").returncode == 0  # something in the cache
    plain = ctl(emu, "stats")
    assert plain.returncode == 0
    first, *rest = plain.stdout.splitlines()
    assert first.startswith("sqlite cache: ") and "hit ratio –" in first  # no reads: no ratio
    assert any(line.split()[:2] == ["libraries", "1"] for line in rest), plain.stdout
    out = json.loads(ctl(emu, "stats", "--json").stdout)
    assert out["ok"] is True and out["exit_code"] == 0 and out["command"] == "stats"
    assert out["message"] == plain.stdout.strip()
    assert out["data"]["cache"]["kinds"]["libraries"]["entries"] == 1
