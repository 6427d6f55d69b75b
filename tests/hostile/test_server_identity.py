"""A server whose root answer lacks a usable machineIdentifier is named as the problem
(plextui keys its cache by that identifier, and it is how Plex tells servers apart)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from plextui.errors import PlexError
from plextui.plex.server import PlexService
from tests.fixtures import no_sleep
from tests.hostile.servers import RawServer, answer


def root(identifier: str | None) -> bytes:
    attribute = "" if identifier is None else f' machineIdentifier="{identifier}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0" friendlyName="Odd"'
        f' version="1.40.0.0"{attribute}></MediaContainer>'
    ).encode()


@pytest.fixture
def odd_server():
    servers = []

    def start(identifier: str | None) -> RawServer:
        servers.append(RawServer(answer(root(identifier))))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    ("identifier", "said"),
    [
        (None, "answered without a machineIdentifier"),
        ("", "answered without a machineIdentifier"),
        ("../../etc", "answered with an unusable ('../../etc') machineIdentifier"),
        ("x" * 300, "answered with an unusable ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')"),
    ],
)
async def test_connect_names_the_missing_or_garbage_identifier(odd_server, identifier, said):
    server = odd_server(identifier)
    service = PlexService(server.url, "t", client_id="plextui-odd", timeout=5, sleep=no_sleep)
    try:
        with pytest.raises(PlexError) as caught:
            await service.connect()
    finally:
        service.close()
    message = str(caught.value)
    assert message.startswith(f"the server at {server.url} {said}")
    assert message.endswith("is it a Plex Media Server?")
    assert service.info is None


def test_ctl_says_what_is_wrong_with_the_answer(odd_server):
    server = odd_server(None)
    out = subprocess.run(
        [sys.executable, "-m", "plextui", "ctl", "libraries"],
        capture_output=True,
        text=True,
        env={**os.environ, "PLEX_SERVER_URL": server.url, "PLEX_API_TOKEN": "t"},
        timeout=60,
    )
    assert out.returncode == 1, out.stderr
    assert out.stderr == (
        f"plextui: the server at {server.url} answered without a machineIdentifier;"
        " is it a Plex Media Server?\n"
    )
