"""The GDM client: what players answer, read as they send it, and a bounded search."""

from __future__ import annotations

import socket
import time

import pytest

from plextui.plex import gdm

# plex-mpv-shim's answer, byte for byte in shape: LF line ends, no trailing newline
SHIM_ANSWER = (
    b"HTTP/1.0 200 OK\nName: Shim Test\nRawName: Shim Test\nPort: 32501\n"
    b"Content-Type: plex/media-player\nProduct: Plex MPV Shim\nProtocol: plex\n"
    b"Protocol-Version: 1\nProtocol-Capabilities: timeline,playback,navigation,playqueues\n"
    b"Version: 1.0\nResource-Identifier: shim-uuid-1\nDevice-Class: pc"
)


def test_a_players_answer_reads_as_an_announcement():
    answer = gdm.parse(SHIM_ANSWER, "192.168.1.20")
    assert answer == gdm.Announcement(
        machine_identifier="shim-uuid-1",
        name="Shim Test",
        product="Plex MPV Shim",
        host="192.168.1.20",
        port=32501,
        capabilities=("timeline", "playback", "navigation", "playqueues"),
    )
    assert answer.url == "http://192.168.1.20:32501"


@pytest.mark.parametrize(
    "data",
    [
        b"M-SEARCH * HTTP/1.1\r\n\r\n",  # another client searching
        b"HTTP/1.0 404 Not Found\r\n",
        b"HTTP/1.0 200 OK\r\nContent-Type: plex/media-server\r\nResource-Identifier: s\r\n"
        b"Port: 32400\r\n",  # a server, not a player
        b"HTTP/1.0 200 OK\r\nName: no identifier\r\nPort: 1\r\n",
        b"HTTP/1.0 200 OK\r\nResource-Identifier: x\r\nPort: http\r\n",
        b"\xff\xfe garbage",
        b"",
    ],
)
def test_anything_else_is_not_a_player(data):
    assert gdm.parse(data, "10.0.0.1") is None


def test_search_finds_the_emulated_players_once_each(make_plex):
    emu = make_plex(size=10, players=2)
    target = f"127.0.0.1:{emu.gdm_port}"
    found = gdm.search([target, target], timeout=0.5)  # asked twice, listed once
    by_id = {a.machine_identifier: a for a in found}
    assert set(by_id) == {p.machine_identifier for p in emu.players}
    for player in emu.players:
        answer = by_id[player.machine_identifier]
        assert (answer.name, answer.url) == (player.name, player.url)
        assert "playback" in answer.capabilities


def test_search_is_bounded_when_nothing_answers():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))  # takes the search, never answers
        began = time.monotonic()
        found = gdm.search([f"127.0.0.1:{silent.getsockname()[1]}"], timeout=0.3)
        took = time.monotonic() - began
    assert found == []
    assert 0.25 <= took < 2


def test_bad_or_unroutable_targets_are_skipped_not_raised():
    assert gdm.search(["not-a-target", "203.0.113.1:0"], timeout=0.2) == []
    with pytest.raises(ValueError, match="HOST:PORT"):
        gdm.parse_target("32412")
