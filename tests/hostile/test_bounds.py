"""`plextui ctl` against servers that never finish: bounded in time and memory, exit 3,
one line on stderr. Each run is itself bounded (killed past its limits), so code without
the bounds fails these tests instead of hanging them or eating the machine."""

from __future__ import annotations

import os
import sys
import time

import pytest

from plextui.errors import UnreachableError
from plextui.plex.server import PlexService
from tests.hostile.servers import RawServer, drip, endless, run_bounded

ROOT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0" friendlyName="Drip"'
    b' machineIdentifier="0123abcd" version="1.40.0.0"></MediaContainer>'
)
WHOLE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: "
    + str(len(ROOT)).encode()
    + b"\r\n\r\n"
    + ROOT
)


def ctl_against(url: str, *, deadline: float, max_mb: int) -> list[str]:
    config = os.environ["PLEXTUI_CONFIG"]
    os.makedirs(os.path.dirname(config), exist_ok=True)
    with open(config, "w") as out:
        out.write(
            f'[plex]\nurl = "{url}"\ntoken = "hostile"\ntimeout = 5\n'
            f"deadline = {deadline}\nmax_answer_mb = {max_mb}\n"
        )
    return [sys.executable, "-m", "plextui", "ctl", "libraries"]


def assert_one_line_exit_3(run, *words: str) -> None:
    assert run.returncode == 3, (run.returncode, run.stderr[-2000:])
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr[-2000:]
    assert lines[0].startswith("plextui: the Plex server at http://127.0.0.1:"), lines
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in run.stderr and "hostile" not in run.stderr


def test_endless_answer_is_cut_at_the_cap():
    server = RawServer(endless)
    try:
        run = run_bounded(ctl_against(server.url, deadline=20, max_mb=8), seconds=40, mb=300)
    finally:
        server.close()
    assert_one_line_exit_3(run, "over 8 MB", "plex.max_answer_mb")
    assert run.peak_mb < 200, f"peak resident memory {run.peak_mb:.0f} MB"
    assert run.seconds < 20


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "status-line"])
def test_dripping_answer_ends_at_the_deadline(headers_too):
    server = RawServer(drip(WHOLE, headers_too=headers_too))
    try:
        run = run_bounded(ctl_against(server.url, deadline=0.5, max_mb=8), seconds=30, mb=300)
    finally:
        server.close()
    assert_one_line_exit_3(run, "within 0.5 s", "plex.deadline")
    # connect tries three times (0.5 s and 1 s apart): each try ends at its deadline
    assert server.requests == 3
    assert run.seconds < 12


def promise_a_terabyte(conn) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 10" + b"0" * 12)
    conn.sendall(b"\r\n\r\n<MediaContainer>")
    time.sleep(30)  # and then nothing: only the announced length can end this early


async def test_an_announced_length_over_the_cap_is_refused_before_reading():
    server = RawServer(promise_a_terabyte)
    service = PlexService(
        server.url, "t", timeout=20, deadline=20, max_answer_bytes=2**20, retries=0
    )
    start = time.monotonic()
    try:
        with pytest.raises(UnreachableError, match=r"over 1 MB \(plex.max_answer_mb\)"):
            await service.connect()
    finally:
        service.close()
        server.close()
    assert time.monotonic() - start < 5
