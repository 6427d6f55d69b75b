"""The debug log: redacted, size-bounded, fed by the Plex transport and by mpv's output."""

from __future__ import annotations

import pytest

from plextui.config import debuglog, paths
from plextui.errors import StreamError
from plextui.plex.mpv import MpvClient
from plextui.plex.server import PlexService
from plextui.plex.transport import bounded_session

SECRET = "s3cr3t-t0ken-value-xyz"


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": SECRET, "size": 12, "seed": 5, "players": 0}


@pytest.mark.parametrize(
    "line",
    [
        f"GET /library?X-Plex-Token={SECRET}&a=1",
        f"http://h/x?token={SECRET}",
        f"http://h/x?a=1&accessToken={SECRET}#frag",
        f"X-Plex-Token: {SECRET}",
        f"{{'X-Plex-Token': '{SECRET}'}}",
        f"redis://u:pw@h?password={SECRET}",
    ],
)
def test_redact_hides_every_token_form(line):
    shown = debuglog.redact(line)
    assert SECRET not in shown and debuglog.HIDDEN in shown


def test_redact_keeps_what_is_not_secret():
    assert debuglog.redact("GET /library/sections?type=1 200 4 ms") == (
        "GET /library/sections?type=1 200 4 ms"
    )


def test_the_log_is_bounded_and_rotates(monkeypatch):
    monkeypatch.setattr(debuglog, "MAX_BYTES", 2000)
    for number in range(200):
        debuglog.write("plex", f"line {number} " + "x" * 40)
    log = paths.debug_log_path()
    old = log.with_name("debug.log.1")
    assert log.stat().st_size <= 2000 and old.stat().st_size <= 2000
    assert "line 199 " in log.read_text()
    assert "line 0 " not in log.read_text() + old.read_text()  # the oldest are gone
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_a_state_dir_that_cannot_be_written_costs_only_the_log(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))  # a file where a dir should be
    debuglog.write("plex", "nothing raises")


def test_every_plex_request_leaves_a_status_line_without_its_token(emu):
    with bounded_session(2**20, 5.0) as session:
        ok = session.get(f"{emu.url}/library/sections?X-Plex-Token={SECRET}")
        refused = session.get(f"{emu.url}/library/sections", headers={"X-Plex-Token": "nope"})
    assert (ok.status_code, refused.status_code) == (200, 401)
    lines = paths.debug_log_path().read_text().splitlines()
    assert (
        lines[-2].endswith(" ms")
        and " plex: GET /library/sections?X-Plex-Token=<redacted> 200 " in lines[-2]
    )
    assert " plex: GET /library/sections 401 " in lines[-1]
    assert SECRET not in "\n".join(lines) and "nope" not in "\n".join(lines)


async def test_plexapi_requests_through_the_service_are_logged(emu):
    service = PlexService(emu.url, emu.token, retries=0)
    try:
        await service.connect()
    finally:
        service.close()
    text = paths.debug_log_path().read_text()
    assert " plex: GET / 200 " in text and SECRET not in text


def test_a_request_that_fails_is_logged_by_its_error():
    import requests

    from plextui.emulators.plextv.links import dead_port

    with bounded_session(2**20, 5.0) as session, pytest.raises(requests.ConnectionError):
        session.get(f"http://127.0.0.1:{dead_port()}/identity?token={SECRET}")
    last = paths.debug_log_path().read_text().splitlines()[-1]
    assert "GET /identity?token=<redacted> ConnectionError" in last


async def test_mpv_output_goes_to_the_log_redacted(tmp_path):
    client = await MpvClient.start(headless=True, socket_dir=tmp_path)
    try:
        with pytest.raises(StreamError):
            await client.loadfile(f"{tmp_path}/missing.mkv?X-Plex-Token={SECRET}", timeout=10)
    finally:
        await client.close()
    text = paths.debug_log_path().read_text()
    assert " mpv: " in text and "missing.mkv" in text
    assert SECRET not in text and "X-Plex-Token=<redacted>" in text
