"""The channel relay end to end: a person types in the emulated channel, the emulated TV obeys,
the channel gets the answer; garbage, strangers and restarts change nothing."""

from __future__ import annotations

import asyncio
import logging

import pytest

from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.journal import load_cursor
from plextui.discord.remote.queue import CommandQueue

from .conftest import (
    ADMIN,
    ALICE,
    BOB,
    BOT_TOKEN,
    DJ_ROLE,
    MALLORY,
    PLEX_TOKEN,
    TV,
    snapshot,
    unchanged,
)


@pytest.fixture
async def relay(settings, controller, rest, tmp_path):
    made = []

    async def build(**kwargs):
        queue = CommandQueue(controller, window=0.2)
        await queue.start()
        r = ChannelPoller(
            settings,
            controller,
            rest,
            tmp_path / "cursor.json",
            queue=queue,
            audit=AuditLog(tmp_path / "audit.log", secrets=(BOT_TOKEN, PLEX_TOKEN)),
            **kwargs,
        )
        made.append(r)
        await r.poll_once()  # first start: the cursor goes to the newest message
        return r

    yield build
    for r in made:
        await r.drain()
        await r.gate.queue.stop()


async def say(discord, relay, channel, text, user=ALICE, roles=()):
    sent = discord.post_user_message(channel, text, user, f"user{user}", roles)
    await relay.poll_once()
    await relay.drain()
    return sent


def replies_to(discord, channel, message):
    return [
        m
        for m in discord.channel_messages(channel)
        if (m.get("message_reference") or {}).get("message_id") == message["id"]
    ]


async def test_play_pause_seek_quality_search(discord, channel, relay, plex, movie, caplog):
    caplog.set_level(logging.DEBUG)
    r = await relay()
    tv = plex.player(TV)

    sent = await say(discord, r, channel, f"/plex play {movie} on {TV}")
    assert tv.timeline()["state"] == "playing"
    (reply,) = replies_to(discord, channel, sent)
    assert reply["content"].startswith(f"Playing {movie}")
    assert reply["embeds"][0]["title"].startswith(movie.split(" (")[0])
    assert [b["custom_id"] for b in reply["components"][0]["components"]][:2] == [
        "plex:toggle",
        "plex:next",
    ]

    sent = await say(discord, r, channel, "!plex pause")
    assert tv.timeline()["state"] == "paused"
    assert replies_to(discord, channel, sent)[0]["content"] == f"Paused on {TV}"

    sent = await say(discord, r, channel, "/plex seek 1:00:00")
    assert abs(tv.timeline()["time"] - 3_600_000) < 2000
    assert "1:00:00" in replies_to(discord, channel, sent)[0]["content"]

    sent = await say(discord, r, channel, "/plex quality 720p", user=ADMIN)
    answer = replies_to(discord, channel, sent)[0]["content"]
    assert answer.startswith("Could not set the quality:") and "picks its own quality" in answer

    word = movie.split()[0]
    sent = await say(discord, r, channel, f"/plex search {word}", user=BOB)
    (reply,) = replies_to(discord, channel, sent)
    assert reply["content"] == f"Top results for {word}"
    assert word.casefold() in reply["embeds"][0]["description"].casefold()

    await say(discord, r, channel, "/plex stop")
    assert tv.timeline()["state"] == "stopped"
    logged = caplog.text + "".join(str(m) for m in discord.channel_messages(channel))
    assert BOT_TOKEN not in logged and PLEX_TOKEN not in logged
    assert BOT_TOKEN not in (r.gate.audit.path.read_text())


async def test_history_is_ignored_and_restart_does_not_replay(
    discord, channel, relay, plex, stopped_tv, movie
):
    discord.post_user_message(channel, f"/plex play {movie} on {TV}")  # before the relay existed
    r = await relay()
    before = snapshot(plex, stopped_tv)
    await r.poll_once()
    await r.drain()
    unchanged(plex, stopped_tv, before)

    await say(discord, r, channel, "/plex volume 40")  # no player yet: a clear failure
    await say(discord, r, channel, f"/plex play {movie} on {TV}")
    await say(discord, r, channel, "/plex pause")
    assert stopped_tv.timeline()["state"] == "paused"
    handled = len(discord.channel_messages(channel))

    again = await relay()  # a restart on the same cursor file; it only sees its own replies
    assert int(load_cursor(again.state_path, channel)) >= int(r.last_id)
    await again.poll_once()
    await again.drain()
    assert stopped_tv.timeline()["state"] == "paused"
    assert len(discord.channel_messages(channel)) == handled  # no second round of replies

    late = discord.post_user_message(channel, "/plex resume", ALICE, "alice")
    await again.poll_once()
    await again.drain()
    assert stopped_tv.timeline()["state"] == "playing"
    assert replies_to(discord, channel, late)


async def test_strangers_wrong_roles_and_unknown_players_do_nothing(
    discord, channel, relay, plex, stopped_tv, movie
):
    r = await relay()
    before = snapshot(plex, stopped_tv)
    stranger = await say(discord, r, channel, f"/plex play {movie} on {TV}", user=MALLORY)
    assert "not allowed" in replies_to(discord, channel, stranger)[0]["content"]
    viewer = await say(discord, r, channel, f"/plex play {movie} on {TV}", user=BOB)
    assert "not allowed to control" in replies_to(discord, channel, viewer)[0]["content"]
    dj = await say(discord, r, channel, "/plex quality 480p", user="1777", roles=(DJ_ROLE,))
    assert "not allowed to administer" in replies_to(discord, channel, dj)[0]["content"]
    nowhere = await say(discord, r, channel, f"/plex play {movie} on Garage Fridge")
    assert "no player named 'Garage Fridge'" in replies_to(discord, channel, nowhere)[0]["content"]
    unchanged(plex, stopped_tv, before)

    again = await say(discord, r, channel, "/plex pause", user=MALLORY)
    assert replies_to(discord, channel, again) == []  # told once; a flood gets no answers
    audit = r.gate.audit.entries()
    assert [e["allowed"] for e in audit] == [False, False, False, True, False]
    assert audit[0]["user_id"] == MALLORY and audit[3]["ok"] is False


async def test_role_allows_control(discord, channel, relay, plex, movie):
    r = await relay()
    await say(discord, r, channel, f"/plex play {movie} on {TV}", user=MALLORY, roles=(DJ_ROLE,))
    assert plex.player(TV).timeline()["state"] == "playing"
    await say(discord, r, channel, "/plex stop", user=MALLORY, roles=(DJ_ROLE,))


async def test_three_seeks_become_one(discord, channel, relay, plex, movie):
    r = await relay()
    await say(discord, r, channel, f"/plex play {movie} on {TV}")
    tv = plex.player(TV)
    commands = len(tv.commands)
    seeks = [discord.post_user_message(channel, f"/plex seek +{n}m") for n in (1, 2, 3)]
    await r.poll_once()
    await r.drain()
    assert len([c for c in tv.commands[commands:] if "seekTo" in c]) == 1
    assert 6 * 60_000 - 2000 < tv.timeline()["time"] < 6 * 60_000 + 5000
    assert [len(replies_to(discord, channel, s)) for s in seeks] == [0, 0, 1]
    await say(discord, r, channel, "/plex stop")


async def test_rate_limit_and_429(discord, channel, relay, settings, plex):
    r = await relay()
    r.gate.authorizer.limiter.rate, r.gate.authorizer.limiter.burst = 1 / 60, 2
    discord.fail_next(429, count=1, retry_after=0.05)
    for _ in range(4):
        discord.post_user_message(channel, "/plex now", BOB, "bob")
    await r.poll_once()
    await r.drain()
    contents = [m["content"] for m in discord.channel_messages(channel)[4:]]
    assert len(contents) == 3 and "Slow down" in contents[-1]
    assert any(q.method == "GET" for q in discord.requests)


async def test_poll_backs_off_when_idle_and_snaps_back(discord, channel, relay):
    waits: list[float] = []
    r = await relay(idle=(1.0, 8.0))
    posted = asyncio.Event()

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 5:
            discord.post_user_message(channel, "hello, just chatting")
            posted.set()
        if len(waits) > 7:
            raise asyncio.CancelledError
        await asyncio.sleep(0)

    r.sleep = sleep
    with pytest.raises(asyncio.CancelledError):
        await r.run()
    assert waits[:7] == [2.0, 4.0, 8.0, 8.0, 8.0, 1.0, 2.0]


async def test_missing_message_content_intent_is_reported(discord, channel, relay, caplog):
    r = await relay()
    discord.message_content_intent = False
    try:
        discord.post_user_message(channel, "/plex pause")
        await r.poll_once()
    finally:
        discord.message_content_intent = True
    assert "Message Content intent" in caplog.text


async def test_a_reply_that_meets_a_5xx_is_sent_again(discord, channel, relay, plex, movie):
    """The command has run; its author still hears so when Discord hiccups on the reply."""

    async def no_wait(seconds):
        return None

    r = await relay(sleep=no_wait)
    sent = discord.post_user_message(channel, "/plex now", ALICE, "alice", ())
    discord.fail_next(502, count=2, method="POST")
    await r.poll_once()
    assert len(replies_to(discord, channel, sent)) == 1


async def test_lone_surrogates_in_text_and_name_are_answered(discord, channel, relay, caplog):
    """A lone surrogate once broke the audit write mid-command; the poller answers anyway."""
    r = await relay()
    search = discord.post_user_message(channel, "!plex search x\ud800", ALICE, "\ud800alice")
    stranger = discord.post_user_message(channel, "!plex pause \udfff", MALLORY, "\ud800")
    await r.poll_once()
    assert len(replies_to(discord, channel, search)) == 1
    (refused,) = replies_to(discord, channel, stranger)
    assert "not allowed" in refused["content"]
    assert r.last_id == stranger["id"] and r.state.pending == []


async def test_an_unreadable_command_is_answered_and_audited(discord, channel, relay, plex):
    """The audit log records every command whatever its text: one the grammar cannot read
    gets its line (refused, with the parse error), like one that ran."""
    r = await relay()
    tv = plex.player(TV)
    commands = len(tv.commands)
    sent = await say(discord, r, channel, "!plex seek 1:\ud800")
    (reply,) = replies_to(discord, channel, sent)
    assert reply["content"].startswith("I couldn't read that: seek: cannot read")
    (entry,) = r.gate.audit.entries()
    assert entry == entry | {"source": "channel", "user_id": ALICE, "allowed": False}
    assert entry["command"] == "!plex seek 1:\ud800" and entry["message"] == reply["content"]
    assert len(tv.commands) == commands
