"""Discord's answers are checked at the boundary: a malformed page is logged once and skipped
and the poller lives on; whatever wait a 429 asks for, nothing ever sleeps longer than the cap.
"""

from __future__ import annotations

import asyncio
import logging
import math

import pytest

from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.queue import CommandQueue
from plextui.discord.rest import MAX_RETRY_AFTER, DiscordRest, RestError, capped

from .conftest import ALICE, BOT_TOKEN

AUTHOR = {"id": ALICE, "username": "alice"}
MALFORMED = {
    "an object": {"a": 1},
    "a number": 5,
    "garbage items": [None, 1, "x"],
    "an id that is not a snowflake": [{"id": "abc", "author": AUTHOR, "content": "!plex now"}],
    "a message without an id": [{"author": AUTHOR, "content": "!plex now"}],
    "an author that is not an object": [{"id": "12", "author": "alice", "content": "!plex now"}],
    "content that is not text": [{"id": "12", "author": AUTHOR, "content": ["!plex", "now"]}],
}


@pytest.fixture
async def relay(settings, controller, rest, tmp_path):
    queue = CommandQueue(controller, window=0.0)
    await queue.start()
    made = ChannelPoller(
        settings,
        controller,
        rest,
        tmp_path / "cursor.json",
        queue=queue,
        audit=AuditLog(tmp_path / "audit.log", secrets=(BOT_TOKEN,)),
    )
    await made.poll_once()  # first start: the cursor
    yield made
    await queue.stop()


def answered(discord, channel, message) -> list[dict]:
    return [
        m
        for m in discord.channel_messages(channel)
        if (m.get("message_reference") or {}).get("message_id") == message["id"]
    ]


@pytest.mark.parametrize("name", list(MALFORMED))
async def test_a_malformed_page_is_logged_once_and_the_poller_lives_on(
    discord, channel, relay, caplog, name
):
    sent = discord.post_user_message(channel, "!plex help", ALICE, "alice")
    discord.fail_next(200, count=3, body=MALFORMED[name], method="GET")
    for _ in range(3):
        assert await relay.poll_once() == 0  # nothing readable: nothing taken, nothing raised
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "skipped it" in warnings[0]
    assert answered(discord, channel, sent) == []
    await relay.poll_once()  # Discord makes sense again: the command waiting is answered
    (reply,) = answered(discord, channel, sent)
    assert "play" in reply["content"]


async def test_a_malformed_message_among_good_ones_is_skipped_alone(discord, channel, relay):
    good = discord.post_user_message(channel, "!plex help", ALICE, "alice")
    page = [None, {"id": "abc"}, {**good, "author": AUTHOR}]
    discord.fail_next(200, body=page, method="GET")
    await relay.poll_once()
    assert len(answered(discord, channel, good)) == 1
    assert relay.last_id == good["id"]


async def test_other_answers_of_the_wrong_shape_become_empty(discord, channel, caplog):
    async with DiscordRest(discord.api_url, BOT_TOKEN) as rest:
        discord.fail_next(200, body=[1, 2], method="POST")
        assert await rest.post_message(channel, {"content": "hi"}) == {}
        discord.fail_next(200, body={"user": {}, "roles": "5001"}, method="GET")
        assert (await rest.member(discord.guild_id, ALICE))["roles"] == ()
    assert "with a list instead of an object" in caplog.text
    assert "roles as a string" in caplog.text


@pytest.mark.parametrize(
    ("asked", "waited"),
    [(0.25, 0.25), (-5, 1.0), (math.nan, MAX_RETRY_AFTER), ("soon", 1.0), (None, 1.0)],
)
def test_capped(asked, waited):
    assert capped(asked) == waited
    assert capped(math.inf) == capped(1e12) == capped("1e999") == MAX_RETRY_AFTER


@pytest.mark.parametrize("asked", [1e12, math.inf, math.nan, -3.0])
async def test_no_429_makes_the_client_sleep_past_the_cap(discord, channel, asked):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async with DiscordRest(discord.api_url, BOT_TOKEN, sleep=sleep) as rest:
        discord.fail_next(429, count=1, retry_after=asked)
        try:
            await rest.messages(channel)
        except RestError as error:  # too long to wait inside a request: the caller waits
            assert error.status == 429 and error.retry_after == MAX_RETRY_AFTER
        else:
            assert waits == [1.0]  # a negative wait reads as the default
    assert all(0 <= w <= MAX_RETRY_AFTER for w in waits)


@pytest.mark.parametrize("asked", [1e12, math.inf, math.nan])
async def test_the_poll_loop_waits_the_cap_then_polls_again(discord, channel, relay, asked):
    """Once, `retry_after: 1e12` parked the poller for good: it slept what Discord asked."""
    waits: list[float] = []
    sent = discord.post_user_message(channel, "!plex help", ALICE, "alice")

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if answered(discord, channel, sent):
            raise asyncio.CancelledError
        await asyncio.sleep(0)

    relay.sleep = sleep
    discord.fail_next(429, count=1, retry_after=asked, method="GET")
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(relay.run(), 10)
    assert waits[0] == MAX_RETRY_AFTER and all(w <= MAX_RETRY_AFTER for w in waits)
    assert len(answered(discord, channel, sent)) == 1
