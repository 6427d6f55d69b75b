"""`plextui doctor` against the real emulators (Plex, Discord IPC and REST), a dead port, a
server that never answers, a wrong token, a PATH without mpv and a real Redis."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

import pytest
import tomli_w

from plextui.config import paths
from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
from plextui.emulators.plextv.links import dead_port
from plextui.entry.cli import main
from tests.cache.conftest import RedisServer

TOKEN = "doctor-secret-token-0123456789"
APP_ID = "1100000000000000001"


@pytest.fixture(scope="module")
def plex_options() -> dict:
    return {"token": TOKEN, "size": 20, "seed": 3, "players": 2}


def write_config(**tables) -> None:
    path = paths.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(tables))


def doctor(capsys, *flags: str) -> tuple[int, dict, str]:
    """Run `plextui doctor --json` then the plain form: (exit code, JSON, plain text + stderr)."""
    code = main(["doctor", "--json", *flags])
    out, err = capsys.readouterr()
    assert main(["doctor", *flags]) == code
    plain, plain_err = capsys.readouterr()
    return code, json.loads(out), err + plain + plain_err


def by_name(report: dict) -> dict:
    return {check["name"]: check for check in report["checks"]}


def test_no_server_configured_says_how_to_fix_it(capsys):
    code, report, text = doctor(capsys)
    checks = by_name(report)
    assert code == report["exit_code"] == 1 and report["ok"] is False
    assert checks["server"]["status"] == "fail"
    assert "plextui login" in checks["server"]["fix"]
    assert "plextui config set plex.url" in checks["server"]["fix"]
    assert checks["token"]["status"] == checks["players"]["status"] == "skipped"
    assert checks["config"]["status"] == "ok" and checks["config"]["data"]["exists"] is False
    assert report["debug_log"] == str(paths.debug_log_path())
    assert f"debug log (mpv's messages, the last Plex requests): {paths.debug_log_path()}" in text
    assert "FAIL  server    no Plex server configured. Fix: run `plextui login`" in text


def test_a_working_server_passes_every_check(emu, capsys):
    write_config(plex={"url": emu.url, "token": TOKEN})
    code, report, text = doctor(capsys)
    checks = by_name(report)
    assert code == 0 and report["ok"], text
    assert checks["server"]["data"]["version"] and checks["server"]["data"]["version"] in text
    assert checks["token"]["status"] == "ok"
    players = checks["players"]["data"]["players"]
    assert len(players) == 2 and all(p["found_by"] == ["server"] for p in players)
    assert checks["config"]["data"] | {"valid": True} == checks["config"]["data"]
    assert TOKEN not in text and TOKEN not in json.dumps(report)


def test_a_wrong_token_fails_and_is_never_shown(emu, capsys):
    wrong = "wrong-token-abcdef-qzqzqz"
    write_config(plex={"url": emu.url, "token": wrong})
    code, report, text = doctor(capsys)
    checks = by_name(report)
    assert code == 1
    assert checks["server"]["status"] == "ok"
    assert checks["token"]["summary"] == "the server refused the token"
    assert "plextui login" in checks["token"]["fix"]
    assert checks["players"]["status"] == "skipped"
    for secret in (wrong, wrong[-4:], TOKEN):
        assert secret not in text and secret not in json.dumps(report)
        assert secret not in paths.debug_log_path().read_text()


def test_a_dead_port_fails_at_once(capsys):
    url = f"http://127.0.0.1:{dead_port()}"
    write_config(plex={"url": url, "token": TOKEN})
    started = time.monotonic()
    code, report, _ = doctor(capsys)
    assert time.monotonic() - started < 5
    server = by_name(report)["server"]
    assert code == 1 and server["status"] == "fail" and url in server["fix"]
    assert by_name(report)["token"]["status"] == "skipped"


def test_a_server_that_never_answers_is_bounded_by_plex_timeout(capsys):
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        write_config(plex={"url": url, "token": TOKEN, "timeout": 0.3})
        started = time.monotonic()
        code = main(["doctor", "--json"])
        elapsed = time.monotonic() - started
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and by_name(report)["server"]["status"] == "fail"
    assert elapsed < 2.5  # 0.3 s, not the 3 s bound nor the 10 s default


def test_discord_not_running_then_running(tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    write_config(discord={"presence": {"enabled": True, "client_id": APP_ID}})
    _, report, text = doctor(capsys)
    discord = by_name(report)["discord"]
    assert discord["status"] == "fail" and discord["summary"] == "Discord is not running"
    assert "`plextui config set discord.presence.enabled false`" in text
    ipc = DiscordIPCEmulator(run)
    ipc.start()
    try:
        _, report, _ = doctor(capsys)
    finally:
        ipc.stop()
    discord = by_name(report)["discord"]
    assert discord["status"] == "ok" and discord["data"]["socket"] == str(ipc.socket_path)


def test_presence_off_is_not_a_fault(capsys):
    write_config(discord={"presence": {"enabled": False, "client_id": APP_ID}})
    _, report, _ = doctor(capsys)
    assert by_name(report)["discord"] == by_name(report)["discord"] | {"status": "ok"}


def test_webhooks_are_asked_without_posting_and_never_shown(capsys):
    rest = DiscordRestEmulator()
    rest.start()
    try:
        rest.create_channel("1100000000000000002")
        good = rest.create_webhook("1100000000000000002")
        gone = rest.create_webhook("1100000000000000002")
        rest.delete_webhook(gone)
        write_config(discord={"webhook": {"urls": [good]}})
        _, report, _ = doctor(capsys)
        assert by_name(report)["webhook"]["status"] == "ok"
        write_config(discord={"webhook": {"urls": [good, gone]}})
        _, report, text = doctor(capsys)
        posted = rest.channel_messages("1100000000000000002")
    finally:
        rest.stop()
    webhook = by_name(report)["webhook"]
    assert webhook["status"] == "fail" and "webhook #2" in webhook["summary"]
    assert "HTTP 404" in webhook["summary"] and "webhook #1" not in webhook["summary"]
    assert posted == []
    for url in (good, gone):
        secret = url.rsplit("/", 1)[1]
        assert secret not in text and secret not in json.dumps(report)


def test_missing_mpv_is_a_failure_with_the_install_hint(tmp_path, monkeypatch, capsys):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    assert shutil.which("mpv") is None
    code, report, text = doctor(capsys)
    mpv = by_name(report)["mpv"]
    assert code == 1 and mpv["status"] == "fail" and "apt install mpv" in mpv["fix"]
    assert "FAIL  mpv" in text


def test_mpv_version_is_reported(capsys):
    _, report, _ = doctor(capsys)
    mpv = by_name(report)["mpv"]
    assert mpv["status"] == "ok" and mpv["data"]["version"][0].isdigit()
    assert mpv["data"]["path"] == shutil.which("mpv")


def test_sqlite_cache_size(tmp_path, capsys):
    db = tmp_path / "c.db"
    db.write_bytes(b"x" * 3000)
    write_config(cache={"url": f"sqlite:///{db}"})
    _, report, text = doctor(capsys)
    cache = by_name(report)["cache"]
    assert cache["data"] == {"backend": "sqlite", "path": str(db), "bytes": 3000}
    assert f"SQLite at {db}, 2.9 KB" in text


def test_redis_cache_reachable_or_not(capsys):
    server = RedisServer()
    server.start()
    try:
        write_config(cache={"url": f"redis://127.0.0.1:{server.port}/0"})
        _, report, _ = doctor(capsys)
        assert by_name(report)["cache"]["status"] == "ok"
        assert by_name(report)["cache"]["data"]["keys"] >= 0
    finally:
        server.stop()
    write_config(cache={"url": f"redis://:hunter2secret@127.0.0.1:{server.port}/0"})
    code, report, text = doctor(capsys)
    cache = by_name(report)["cache"]
    assert code == 1 and cache["status"] == "fail" and "start Redis" in cache["fix"]
    assert "hunter2secret" not in text and "hunter2secret" not in json.dumps(report)


def test_an_invalid_config_file_is_a_failure_and_the_rest_still_runs(capsys):
    path = paths.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[plex]\nurl = 'http://127.0.0.1:1'\nbogus = 1\n")
    code, report, text = doctor(capsys)
    checks = by_name(report)
    assert code == 1 and checks["config"]["status"] == "fail"
    assert "unknown key 'plex.bogus'" in checks["config"]["summary"]
    assert checks["config"]["data"]["valid"] is False and checks["mpv"]["status"] == "ok"
    assert "Traceback" not in text


def test_the_demo_finds_discord_not_running(capsys, monkeypatch):
    short = tempfile.mkdtemp(prefix="doc-", dir="/tmp")  # socket paths must stay short
    monkeypatch.setattr(tempfile, "tempdir", short)  # the demo's scratch dir goes there
    for name in ("PLEXTUI_CONFIG", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # the demo sets them: put back after
    try:
        code, report, text = doctor(capsys, "--demo")
        assert not list(Path(short).glob("plextui-demo-*"))  # its scratch dir is removed
    finally:
        shutil.rmtree(short, ignore_errors=True)
    checks = by_name(report)
    assert code == 1
    assert {n for n, c in checks.items() if c["status"] != "ok"} <= {"discord", "mpv"}
    assert checks["discord"]["summary"] == "Discord is not running"
    assert "Fix: start the Discord app" in text


def test_a_player_added_by_hand_that_does_not_answer_is_named(emu, capsys):
    gone = f"http://127.0.0.1:{dead_port()}"
    write_config(plex={"url": emu.url, "token": TOKEN, "players": [gone]})
    code, report, _ = doctor(capsys)
    players = by_name(report)["players"]
    assert code == 1 and players["status"] == "fail"
    assert f"not answering: {gone} at {gone}" in players["summary"]
    assert "plextui ctl players remove" in players["fix"]
    found = {p["address"]: p["found_by"] for p in players["data"]["players"]}
    assert found[gone] == ["manual"] and sorted(found.values()).count(["server"]) == 2


def test_a_redis_url_with_a_bad_port_is_a_failure_not_a_traceback(capsys):
    write_config(cache={"url": "redis://:hunter2secret@localhost:notaport/0"})
    code, report, text = doctor(capsys)
    cache = by_name(report)["cache"]
    assert code == 1 and cache["status"] == "fail" and "port and db are numbers" in cache["fix"]
    assert "Traceback" not in text and "hunter2secret" not in text


def test_the_debug_log_path_says_when_it_is_not_written_yet(capsys):
    code, _, text = doctor(capsys)
    assert f"{paths.debug_log_path()} (not written yet)" in text
    paths.debug_log_path().parent.mkdir(parents=True, exist_ok=True)
    paths.debug_log_path().write_text("")
    main(["doctor"])
    assert "(not written yet)" not in capsys.readouterr().out


async def test_an_unforeseen_error_in_a_check_is_a_failure():
    from plextui.control.diagnostics import _guard

    async def broken():
        raise KeyError("http://x/?X-Plex-Token=secret")

    check = await _guard("cache", broken())
    assert check.failed and "KeyError" in check.summary and "secret" not in check.summary
