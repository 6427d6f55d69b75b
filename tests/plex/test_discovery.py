"""Players found the way real Plex clients find them, merged by machine identifier.

Two emulated servers: `home` is the one plextui talks to (its players announce to it, so
its /clients lists them); `away` stands for players the server has never heard of, found
only by GDM, plex.tv or an address typed by hand.
"""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from plextui.control.controller import Controller
from plextui.core.commands import parse_command
from plextui.emulators.plextv import PlexTvEmulator
from plextui.emulators.plextv.links import dead_port
from plextui.errors import UnreachableError
from plextui.plex.discovery import Discovery, DiscoverySettings, normalise_address
from plextui.plex.server import PlexService


@pytest.fixture(scope="module")
def tv():
    with PlexTvEmulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def home(tv, make_module_plex):
    # the owner's server token is the account's plex.tv token, as with real Plex
    return make_module_plex(token=tv.token, size=20, seed=3, players=2)


@pytest.fixture(scope="module")
def away(make_module_plex):
    emulator = make_module_plex(token="away-token", size=10, seed=4, players=1)
    emulator.players[0].name = "Den Shield"  # profiles repeat names across emulators
    return emulator


@pytest.fixture
async def service(home, make_service):
    return await make_service(home, client_id="plextui-test", timeout=5)


def controller(service: PlexService, **options) -> Controller:
    ctl = Controller(service, max_sessions=5, start_timeout=5)
    ctl.discovery = Discovery(service, DiscoverySettings(**options))
    return ctl


def by_id(players) -> dict:
    return {p.info.machine_identifier: p.info for p in players}


async def test_by_default_only_the_server_is_asked(service, home):
    infos = by_id(await controller(service).players())
    assert set(infos) == {p.machine_identifier for p in home.players}
    assert all(i.found_by == ("server",) and i.reachable for i in infos.values())


async def test_gdm_players_merge_with_the_servers_and_add_the_unknown(service, home, away):
    ctl = controller(
        service,
        gdm_targets=(f"127.0.0.1:{home.gdm_port}", f"127.0.0.1:{away.gdm_port}"),
        gdm_timeout=0.5,
    )
    infos = by_id(await ctl.players(refresh=True))
    for player in home.players:  # heard by the server and answering GDM: listed once
        assert infos[player.machine_identifier].found_by == ("server", "gdm")
    stranger = infos[away.players[0].machine_identifier]
    assert stranger.found_by == ("gdm",)
    assert stranger.address == away.players[0].url and stranger.reachable
    assert len(infos) == 3


async def test_plextv_players_of_a_signed_in_account(service, home, away, tv, monkeypatch):
    player = away.players[0]
    dead = f"http://127.0.0.1:{dead_port()}"
    tv.add_player(player.name, player.machine_identifier, [dead, player.url])
    tv.add_player("Bedroom TV", "gone-tv", [dead])
    tv.add_player(home.players[0].name, home.players[0].machine_identifier, [home.players[0].url])
    monkeypatch.setenv("PLEXTUI_PLEXTV_URL", tv.url)
    infos = by_id(await controller(service, plextv_token=tv.token).players(refresh=True))
    assert infos[player.machine_identifier].found_by == ("plex.tv",)
    assert infos[player.machine_identifier].address == player.url  # the one that answered
    assert infos[home.players[0].machine_identifier].found_by == ("server", "plex.tv")
    gone = infos["gone-tv"]
    assert (gone.name, gone.reachable, gone.found_by) == ("Bedroom TV", False, ("plex.tv",))


async def test_a_token_plextv_refuses_just_finds_nothing_there(service, home, tv, monkeypatch):
    monkeypatch.setenv("PLEXTUI_PLEXTV_URL", tv.url)
    ctl = controller(service, plextv_token="not-an-account")
    infos = by_id(await ctl.players(refresh=True))
    assert set(infos) == {p.machine_identifier for p in home.players}


async def test_an_address_added_by_hand_is_probed(service, away):
    player = away.players[0]
    dead = f"http://127.0.0.1:{dead_port()}"
    ctl = controller(service, addresses=(player.url, dead))
    players = {p.info.address: p for p in await ctl.players()}
    found = players[player.url].info
    assert (found.name, found.machine_identifier) == (player.name, player.machine_identifier)
    assert found.found_by == ("manual",) and found.reachable
    silent = players[dead]
    assert not silent.info.reachable and silent.info.found_by == ("manual",)
    with pytest.raises(UnreachableError, match=rf"did not answer at {dead} \(refused\)"):
        await silent.pause()  # listed, never commanded
    film = await service.run(lambda: service.plex.library.section("Movies").all()[0].title)
    result = await ctl.execute(parse_command(f'play "{film}" on "{dead}"'))
    assert not result.ok and result.message.startswith(f"player '{dead}' did not answer at")


async def test_players_add_and_remove_keep_plex_players(service, away):
    saved: list[list[str]] = []
    ctl = controller(service)
    ctl.discovery.save_addresses = saved.append
    player = away.players[0]
    host_port = player.url.removeprefix("http://")

    added = await ctl.execute(parse_command(f"players add {host_port}"))
    assert added.ok, added.message
    assert added.message == f"Added {player.name} ({player.product}) at {player.url}"
    assert saved == [[player.url]]
    listed = await ctl.execute(parse_command("players"))
    assert f"  {player.name} ({player.product}) · manual" in listed.message.splitlines()

    again = await ctl.execute(parse_command(f"players add {player.url}"))
    assert not again.ok and again.message == f"{player.url} is already in plex.players"

    dead = f"127.0.0.1:{dead_port()}"
    off = await ctl.execute(parse_command(f"players add {dead}"))
    assert off.ok and "does not answer now" in off.message
    listed = await ctl.execute(parse_command("players"))
    assert f"  http://{dead} · manual · not answering at http://{dead}" in listed.message

    removed = await ctl.execute(parse_command(f"players remove {player.url}"))
    assert removed.ok and saved[-1] == [f"http://{dead}"]
    missing = await ctl.execute(parse_command(f"players remove {player.url}"))
    assert not missing.ok and missing.message.startswith(f"no player was added at {player.url}")


async def test_players_found_by_gdm_are_remembered_until_they_stop_answering(
    service, make_plex, tmp_path
):
    memory = tmp_path / "players.json"
    lan = make_plex(token="lan", size=5, seed=8, players=1)
    player = lan.players[0]
    player.name = "Attic Shield"
    search = {"gdm_targets": (f"127.0.0.1:{lan.gdm_port}",), "gdm_timeout": 0.5}
    first = Discovery(service, DiscoverySettings(**search), memory=memory)
    assert "Attic Shield" not in [p.info.name for p in await first.players(full=False)]
    assert "Attic Shield" in [p.info.name for p in await first.players(full=True)]

    later = Discovery(service, DiscoverySettings(**search), memory=memory)  # a new run
    began = time.monotonic()
    quick = {p.info.name: p.info for p in await later.players(full=False)}
    assert time.monotonic() - began < 0.45  # no GDM wait
    assert quick["Attic Shield"].found_by == ("gdm",)
    assert quick["Attic Shield"].address == player.url

    player.reachable = False
    gone = [p.info.name for p in await later.players(full=False)]
    assert "Attic Shield" not in gone
    player.reachable = True
    again = Discovery(service, DiscoverySettings(**search), memory=memory)
    assert "Attic Shield" not in [p.info.name for p in await again.players(full=False)]


async def test_a_damaged_memory_means_searching_again(service, home, tmp_path):
    memory = tmp_path / "players.json"
    memory.write_text('{"x": {"url": 5}')
    found = await Discovery(service, memory=memory).players(full=False)
    assert {p.info.machine_identifier for p in found} == {
        p.machine_identifier for p in home.players
    }


async def test_two_players_with_one_name_are_told_apart(service, home, make_plex):
    twin = make_plex(token="twin", size=5, seed=9, players=1)
    player = twin.players[0]
    assert player.name == home.players[0].name
    ctl = controller(service, addresses=(player.url,))
    names = {p.info.machine_identifier: p.info.name for p in await ctl.players()}
    assert names[home.players[0].machine_identifier] == player.name
    where = player.url.removeprefix("http://")
    assert names[player.machine_identifier] == f"{player.name} ({where})"
    chosen = await ctl.execute(parse_command(f'use "{player.name} ({where})"'))
    assert chosen.ok and ctl.active.info.machine_identifier == player.machine_identifier


@pytest.mark.parametrize(
    "text, url",
    [
        ("192.168.1.20:3000", "http://192.168.1.20:3000"),
        ("http://tv.local", "http://tv.local:32500"),
        (" https://10.0.0.2:8443/ ", "https://10.0.0.2:8443"),
    ],
)
def test_addresses_are_written_one_way(text, url):
    assert normalise_address(text) == url


@pytest.mark.parametrize("text", ["", "ftp://x:1", "http://:3000", "host:99999"])
def test_a_bad_address_says_what_an_address_looks_like(text):
    with pytest.raises(Exception, match="is not a player address; use http://HOST:PORT"):
        normalise_address(text)


async def test_discovery_is_bounded_and_leaves_the_event_loop_free(service, home):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        ctl = controller(
            service, gdm_targets=(f"127.0.0.1:{silent.getsockname()[1]}",), gdm_timeout=0.5
        )
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        began = time.monotonic()
        players = await ctl.players(refresh=True)
        took = time.monotonic() - began
        ticker.cancel()
    assert len(players) == len(home.players)
    assert 0.45 <= took < 3
    assert ticks >= 20  # the loop kept running while discovery waited
