"""The one gate both intakes use: who is refused, with what answer and what audit record,
before anything reaches the queue (no servers needed)."""

from __future__ import annotations

from plextui.config import DiscordSettings, RemoteSettings, Settings
from plextui.core.commands import parse_command
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.authorizer import Caller
from plextui.discord.remote.gate import Gate
from plextui.discord.remote.replies import BUSY, CHANNEL_HINT
from plextui.errors import CommandError


def gate(tmp_path, **values) -> Gate:
    remote = RemoteSettings(**({"control_users": ["2"], "rate_per_minute": 5} | values))
    settings = Settings(discord=DiscordSettings(remote=remote))
    return Gate.build(settings, None, audit=AuditLog(tmp_path / "audit.log"), clock=lambda: 0.0)


def read(text: str):
    try:
        return parse_command(text)
    except CommandError as error:
        return error


def test_a_stranger_is_refused_whatever_they_sent(tmp_path):
    g, stranger = gate(tmp_path), Caller("66", "eve")
    for text in ("pause", "seek 1:\ud800", "hack the planet"):
        admission = g.admit(stranger, read(text))
        assert admission.command is None and "not allowed" in admission.refusal
        assert admission.record == {"allowed": False, "message": admission.refusal}


def test_an_unreadable_command_is_refused_with_the_parse_error_and_costs_no_rate(tmp_path):
    g, alice = gate(tmp_path), Caller("2", "alice")
    for _ in range(10):
        admission = g.admit(alice, read("seek 1:\ud800"), hint=CHANNEL_HINT)
        assert admission.refusal.startswith("I couldn't read that: seek: cannot read")
        assert admission.refusal.endswith(". Try `/plex help`.") and not admission.quiet
        assert admission.record["allowed"] is False
    assert [g.admit(alice, read("pause")).command for _ in range(5)] == [read("pause")] * 5
    slow = g.admit(alice, read("pause"))
    assert "Slow down" in slow.refusal and g.admit(alice, read("pause")).quiet


def test_every_outcome_has_its_audit_record(tmp_path):
    g, alice = gate(tmp_path), Caller("2", "alice")
    record, body = g.answer(None, read("pause"), buttons=False)
    assert record == {"allowed": True, "ok": False, "message": BUSY} and body["content"] == BUSY
    g.record(
        "channel", alice, text="!plex seek 1:\ud800", **g.admit(alice, read("seek 1:\ud800")).record
    )
    (entry,) = g.audit.entries()
    assert entry["command"] == "!plex seek 1:\ud800" and entry["allowed"] is False
    assert entry["message"].startswith("I couldn't read that: seek")
