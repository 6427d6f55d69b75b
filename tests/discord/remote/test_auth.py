"""Allowlists, per-user rate limits, the audit log, the replay guard and the queue's merge
windows, without servers."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import stat

import pytest

from plextui.config import RemoteSettings
from plextui.config.paths import audit_path
from plextui.config.paths import interactions_seen_path as seen_path
from plextui.control.controller import Result
from plextui.core.commands import Action, parse_command
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.authorizer import Authorizer, Caller
from plextui.discord.remote.queue import Busy, CommandQueue
from plextui.discord.remote.replay import ReplayGuard


def authorizer(clock=lambda: 0.0, **values) -> Authorizer:
    base = {
        "view_users": ["1"],
        "control_users": ["2"],
        "admin_users": ["3"],
        "control_roles": ["9"],
    }
    return Authorizer(RemoteSettings(**(base | values)), clock=clock)


def test_classes_nest_admin_over_control_over_view():
    auth = authorizer()
    viewer, controller, admin = Caller("1", "v"), Caller("2", "c"), Caller("3", "a")
    assert [auth.may(viewer, a) for a in Action] == [True, False, False]
    assert [auth.may(controller, a) for a in Action] == [True, True, False]
    assert [auth.may(admin, a) for a in Action] == [True, True, True]
    assert auth.level(Caller("77", "r", roles=("9",))) is Action.CONTROL
    assert auth.level(Caller("77", "nobody", roles=("8",))) is None
    assert auth.check(Caller("2", "c"), parse_command("quality 720p")).message.startswith(
        "Sorry c, you are not allowed to administer"
    )


def test_nobody_is_allowed_by_default():
    auth = Authorizer(RemoteSettings())
    assert auth.check(Caller("1", "x"), parse_command("now")) is not None


def test_rate_limit_per_user_and_quiet_repeats():
    now = [0.0]
    auth = authorizer(clock=lambda: now[0], rate_per_minute=6)
    pause, user, other = parse_command("pause"), Caller("2", "c"), Caller("3", "a")
    assert [auth.check(user, pause) for _ in range(5)] == [None] * 5
    first, second = auth.check(user, pause), auth.check(user, pause)
    assert "at most 6 commands a minute" in first.message and not first.quiet and second.quiet
    assert auth.check(other, pause) is None
    now[0] = 10.0
    assert auth.check(user, pause) is None


def test_audit_log_is_private_json_lines_without_secrets(tmp_path):
    log = AuditLog(tmp_path / "state" / "audit.log", secrets=("s3cret",))
    caller = Caller("2", "carol")
    log.record(source="channel", caller=caller, text="/plex play s3cret", allowed=True, ok=True)
    log.record(source="interaction", caller=caller, text="/plex stop", allowed=False, message="no")
    first, second = log.entries()
    assert first["command"] == "/plex play ***" and first["user_id"] == "2" and first["ok"]
    assert second == second | {"source": "interaction", "allowed": False, "ok": None}
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600
    assert audit_path().name == "audit.log" and "plextui" in str(audit_path())


def test_the_audit_log_takes_any_string(tmp_path):
    """A lone surrogate (valid in JSON, not in UTF-8) once made the write fail, losing the line."""
    log = AuditLog(tmp_path / "audit.log")
    odd = "a\ud800b\udfff\x00\\u0041é"
    for _ in range(2):
        log.record(source="channel", caller=Caller(odd, odd), text=odd, allowed=True, message=odd)
    first, second = log.entries()
    assert first["command"] == first["user"] == first["message"] == first["user_id"] == odd
    assert second == first
    assert "é" in log.path.read_text(encoding="utf-8")  # readable, not \u00e9


def test_lookups_have_their_own_budget_per_user():
    now = [0.0]
    auth = authorizer(clock=lambda: now[0])
    viewer, other, stranger = Caller("1", "v"), Caller("2", "c"), Caller("77", "x")
    allowed = [auth.may_look_up(viewer) for _ in range(30)]
    assert allowed == [True] * 10 + [False] * 20
    assert auth.may_look_up(other) and not auth.may_look_up(stranger)
    assert auth.check(viewer, parse_command("now")) is None  # commands have their own
    now[0] = 2.0
    assert [auth.may_look_up(viewer) for _ in range(3)] == [True, True, False]


def test_the_replay_guard_survives_a_restart_and_forgets_stale_ones(tmp_path):
    path = tmp_path / "state" / "interactions-seen.json"
    first, second = bytes(range(64)), bytes(range(1, 65))
    guard = ReplayGuard(path, window=300)
    assert guard.first_time(first, sent=1000, now=1000)
    assert not guard.first_time(first, sent=1000, now=1001)
    guard.save()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.hex() not in path.read_text()  # a digest, never the signature itself

    again = ReplayGuard(path, window=300)
    assert not again.first_time(first, sent=1000, now=1299)
    assert again.first_time(second, sent=1301, now=1301)  # prunes the first: it is stale now
    again.save()
    kept = json.loads(path.read_text())["seen"]
    assert kept == {hashlib.sha256(second).hexdigest(): 1301}
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp files left
    assert seen_path().name == "interactions-seen.json" and "plextui" in str(seen_path())


@pytest.mark.parametrize("text", ["{not json", "[1]", '{"seen": 5}', "[" * 5000 + "]" * 5000])
def test_an_unreadable_replay_guard_starts_empty_with_one_line(tmp_path, caplog, text):
    path = tmp_path / "interactions-seen.json"
    path.write_text(text)
    guard = ReplayGuard(path)
    assert guard.first_time(b"x" * 64, sent=0, now=0)
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and not record.exc_info
    assert "replay guard" in record.getMessage()


class Recorder:
    """A controller that records what it runs."""

    def __init__(self, delay: float = 0.0) -> None:
        self.ran: list[str] = []
        self.delay = delay

    async def execute(self, command):
        self.ran.append(command.to_text())
        await asyncio.sleep(self.delay)
        return Result(True, command.verb, command.to_text())


async def test_three_seeks_in_a_second_become_one_and_order_holds():
    recorder = Recorder()
    queue = CommandQueue(recorder, window=0.1)
    await queue.start()
    futures = [queue.submit("u", parse_command(t)) for t in ("seek +10s", "seek +10s", "seek +5s")]
    futures.append(queue.submit("u", parse_command("volume +5")))
    futures.append(queue.submit("u", parse_command("pause")))  # flushes the pending volume
    futures.append(queue.submit("other", parse_command("seek 1:00")))
    outcomes = await asyncio.gather(*futures)
    await queue.stop()
    assert recorder.ran == ["seek +25s", "volume +5", "pause", "seek 1:00"]
    assert [o.superseded for o in outcomes] == [True, True, False, False, False, False]
    assert {o.result.message for o in outcomes[:3]} == {"seek +25s"}


async def test_a_full_queue_refuses_instead_of_waiting():
    queue = CommandQueue(Recorder(delay=10), window=0.05, maxsize=1)
    await queue.start()
    queue.submit("u", parse_command("pause"))
    await asyncio.sleep(0.01)  # the worker holds the first; the next fills the queue
    queue.submit("u", parse_command("resume"))
    with pytest.raises(Busy):
        queue.submit("u", parse_command("stop"))
    await queue.stop()
