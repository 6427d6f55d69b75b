"""GDM: emulated players answer M-SEARCH and announce HELLO / BYE; the server's /clients
lists what it heard. Raw UDP sockets on 127.0.0.1 and private ports stand in for the LAN.

plexapi's own GDM class is not used: it always broadcasts to 255.255.255.255:32412, a fixed
port that parallel tests (and a real player on the machine) would share. Its parser's
demand, exactly one ':' per line, is checked on the answers instead.
"""

from __future__ import annotations

import socket
import time

import pytest
import requests
from plexapi.client import PlexClient
from plexapi.server import PlexServer

PLEXAMP_CAPS = "timeline,playback,playqueues,playqueues-creation"


def fields_of(data: bytes) -> tuple[str, dict[str, str]]:
    lines = data.decode().splitlines()
    return lines[0], dict(line.split(": ", 1) for line in lines[1:] if line)


@pytest.fixture
def udp():
    """A UDP socket on a free loopback port, closed after the test."""
    sockets: list[socket.socket] = []

    def make() -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(2)
        sockets.append(sock)
        return sock

    yield make
    for sock in sockets:
        sock.close()


def search(
    sock: socket.socket, port: int, expect: int, message: bytes = b"M-SEARCH * HTTP/1.1\r\n\r\n"
) -> list[bytes]:
    sock.sendto(message, ("127.0.0.1", port))
    answers = []
    while len(answers) < expect:
        answers.append(sock.recvfrom(2048)[0])
    sock.settimeout(0.2)
    with pytest.raises(TimeoutError):  # and nothing more
        sock.recvfrom(2048)
    return answers


def receive(sock: socket.socket, count: int) -> list[tuple[str, dict[str, str]]]:
    return [fields_of(sock.recvfrom(2048)[0]) for _ in range(count)]


def client_names(plex: PlexServer) -> set[str]:
    return {c.title for c in plex.clients()}


def until(predicate, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_players_answer_a_search_with_what_they_are(fresh, udp):
    emu = fresh(players=3)
    answers = search(udp(), emu.gdm_port, expect=3)
    by_name = {}
    for data in answers:
        first, fields = fields_of(data)
        assert first == "HTTP/1.0 200 OK"
        assert all(line.count(":") == 1 for line in data.decode().splitlines()[1:] if line)
        by_name[fields["Name"]] = fields
    assert set(by_name) == {"Living Room TV", "Kitchen Plexamp", "Study Chromecast"}
    tv, amp = by_name["Living Room TV"], by_name["Kitchen Plexamp"]
    player = emu.player("Living Room TV")
    assert tv["Resource-Identifier"] == player.machine_identifier
    assert tv["Port"] == str(player.port) and tv["Product"] == "Plex HTPC"
    assert tv["Content-Type"] == "plex/media-player" and tv["Protocol"] == "plex"
    assert tv["Protocol-Version"] == "1" and "navigation" in tv["Protocol-Capabilities"]
    assert amp["Product"] == "Plexamp" and amp["Protocol-Capabilities"] == PLEXAMP_CAPS
    # what the answer says is where the player is: plexapi connects to it by that port
    client = PlexClient(baseurl=f"http://127.0.0.1:{amp['Port']}", token=emu.token)
    assert client.machineIdentifier == amp["Resource-Identifier"]
    assert client.protocolCapabilities == PLEXAMP_CAPS.split(",")


def test_a_player_that_is_off_does_not_answer(fresh, udp):
    emu = fresh(players=2)
    emu.player("Kitchen Plexamp").reachable = False
    (only,) = search(udp(), emu.gdm_port, expect=1, message=b"M-SEARCH * HTTP/1.0")  # plexapi
    assert fields_of(only)[1]["Name"] == "Living Room TV"
    emu.player("Kitchen Plexamp").reachable = True
    assert len(search(udp(), emu.gdm_port, expect=2)) == 2


def test_hello_on_start_bye_on_stop_reach_every_listener(fresh, udp):
    ear = udp()
    emu = fresh(players=2, gdm_announce=[ear.getsockname()])
    hellos = receive(ear, 2)
    assert {f for f, _ in hellos} == {"HELLO * HTTP/1.0"}
    ids = {p.machine_identifier for p in emu.players}
    assert {fields["Resource-Identifier"] for _, fields in hellos} == ids
    tv = emu.player("Living Room TV")
    tv.reachable = False
    ((first, fields),) = receive(ear, 1)
    assert first == "BYE * HTTP/1.0" and fields["Resource-Identifier"] == tv.machine_identifier
    tv.reachable = True
    ((first, fields),) = receive(ear, 1)
    assert first == "HELLO * HTTP/1.0" and fields["Port"] == str(tv.port)
    emu.stop()
    byes = receive(ear, 2)
    assert {f for f, _ in byes} == {"BYE * HTTP/1.0"}
    assert {fields["Resource-Identifier"] for _, fields in byes} == ids


def test_clients_lists_players_heard_and_drops_those_that_said_bye(fresh, udp):
    emu = fresh(players=2)
    plex = PlexServer(emu.url, emu.token, timeout=10)
    assert client_names(plex) == {"Living Room TV", "Kitchen Plexamp"}
    emu.player("Living Room TV").reachable = False
    assert client_names(plex) == {"Kitchen Plexamp"}
    emu.player("Living Room TV").reachable = True
    assert client_names(plex) == {"Living Room TV", "Kitchen Plexamp"}

    # a player the emulator does not run, announcing itself as plex-mpv-shim does (LF lines)
    shim = udp()
    lines = [
        "Name: Den mpv",
        "Port: 3000",
        "Content-Type: plex/media-player",
        "Product: Plex MPV Shim",
        "Protocol: plex",
        "Protocol-Version: 1",
        "Protocol-Capabilities: timeline,playback,navigation,playqueues",
        "Version: 1.11.0",
        "Resource-Identifier: den-mpv-1",
        "Device-Class: pc",
    ]
    target = ("127.0.0.1", emu.gdm_listen_port)
    shim.sendto("\n".join(["HELLO * HTTP/1.0", *lines]).encode(), target)
    until(lambda: "Den mpv" in client_names(plex))
    den = next(c for c in plex.clients() if c.title == "Den mpv")
    assert den.machineIdentifier == "den-mpv-1" and den._baseurl == "http://127.0.0.1:3000"
    assert den.product == "Plex MPV Shim"
    shim.sendto("\n".join(["BYE * HTTP/1.0", *lines]).encode(), target)
    until(lambda: "Den mpv" not in client_names(plex))


def test_plexamp_carries_a_music_players_capabilities(fresh):
    emu = fresh(players=2)
    plex = PlexServer(emu.url, emu.token, timeout=10)
    amp = plex.client("Kitchen Plexamp")
    assert amp.product == "Plexamp" and amp.protocolCapabilities == PLEXAMP_CAPS.split(",")
    assert "navigation" in plex.client("Living Room TV").protocolCapabilities
    album = plex.library.section("Music").searchAlbums()[0]
    amp.playMedia(album)
    xml = requests.get(
        f"{emu.player('Kitchen Plexamp').url}/player/timeline/poll",
        params={"wait": 0, "commandID": 3},
        timeout=5,
    ).text
    # as real Plexamp polls answer: music playing, video and photo stopped, no location
    assert 'type="music"' in xml and 'state="playing"' in xml and "location=" not in xml
    assert '<Timeline state="stopped" type="video"/>' in xml
    assert 'controllable="volume,repeat,skipPrevious,seekTo' in xml
    assert amp.timeline.type == "music" and amp.timeline.state == "playing"


def test_restart_keeps_the_discovery_ports(fresh, udp):
    emu = fresh(players=1)
    port, listen = emu.gdm_port, emu.gdm_listen_port
    emu.restart()
    assert (emu.gdm_port, emu.gdm_listen_port) == (port, listen)
    assert len(search(udp(), port, expect=1)) == 1
    plex = PlexServer(emu.url, emu.token, timeout=10)
    assert client_names(plex) == {"Living Room TV"}
