"""`plextui ctl players add|remove URL`, as a user types them: the config file keeps them."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from plextui.emulators.plextv.links import dead_port
from tests.playerkit import ctl


@pytest.fixture(scope="module")
def pms(make_module_plex):
    return make_module_plex(token="ctl-players", size=10, seed=2, players=1)


@pytest.fixture(scope="module")
def elsewhere(make_module_plex):
    """A player the server has never heard of."""
    emulator = make_module_plex(token="other", size=5, seed=6, players=1)
    emulator.players[0].name = "Den Shield"
    return emulator


def test_players_added_by_address_are_saved_listed_and_removed(pms, elsewhere):
    player = elsewhere.players[0]
    added = ctl(pms, "players", "add", player.url)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"Added Den Shield ({player.product}) at {player.url}"
    saved = tomllib.loads(Path(os.environ["PLEXTUI_CONFIG"]).read_text())
    assert saved["plex"]["players"] == [player.url]

    listed = json.loads(ctl(pms, "players", "--json").stdout)["data"]["players"]
    found = {p["name"]: p for p in listed}
    assert found["Den Shield"]["found_by"] == ["manual"]
    assert found["Den Shield"]["address"] == player.url
    assert found[pms.players[0].name]["found_by"] == ["server"]

    removed = ctl(pms, "players", "remove", player.url)
    assert removed.returncode == 0, removed.stderr
    saved = tomllib.loads(Path(os.environ["PLEXTUI_CONFIG"]).read_text())
    assert saved["plex"]["players"] == []


def test_an_address_that_does_not_answer_is_listed_and_refused(pms):
    dead = f"http://127.0.0.1:{dead_port()}"
    assert ctl(pms, "players", "add", dead).returncode == 0
    assert f"  {dead} · manual · not answering at {dead}" in ctl(pms, "players").stdout
    paused = ctl(pms, "pause", "--player", dead)  # listed, never commanded
    assert paused.returncode == 3
    assert paused.stderr.strip() == f"plextui: player '{dead}' did not answer at {dead} (refused)"


def test_a_bad_address_is_a_usage_error(pms):
    done = ctl(pms, "players", "add", "ftp://tv")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "plextui: 'ftp://tv' is not a player address; use http://HOST:PORT, "
        "like http://192.168.1.20:32500"
    )
