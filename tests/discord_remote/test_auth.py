"""Allowlists, per-user rate limits, the audit log and the coalescing queue, without servers."""

from __future__ import annotations

import asyncio
import os
import stat

import pytest

from plextui.config import RemoteSettings
from plextui.control import Result
from plextui.core.commands import Action, parse_command
from plextui.discord.auth import AuditLog, Authorizer, Busy, Caller, CommandQueue, audit_path


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
