"""The REST client waits out 429s and never puts a token in an error or a log line."""

from __future__ import annotations

import logging

import pytest

from plextui.discord.rest import DiscordRest, RestError

from .conftest import BOT_TOKEN


async def test_waits_retry_after_then_succeeds(discord, channel):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async with DiscordRest(discord.api_url, BOT_TOKEN, sleep=sleep) as rest:
        discord.fail_next(429, count=2, retry_after=0.25)
        posted = await rest.post_message(channel, {"content": "hi"})
    assert posted["content"] == "hi" and waits == [0.25, 0.25]


async def test_errors_name_the_route_not_the_token(discord, channel, caplog):
    caplog.set_level(logging.DEBUG)
    async with DiscordRest(discord.api_url, "wrong-SECRET") as rest:
        with pytest.raises(RestError) as raised:
            await rest.messages(channel)
        assert raised.value.status == 401
        with pytest.raises(RestError) as raised:
            await rest.edit_original(discord.application_id, "interaction-SECRET", {"content": "x"})
        assert raised.value.status == 404
    assert "SECRET" not in str(raised.value) + caplog.text
    async with DiscordRest("http://127.0.0.1:9", BOT_TOKEN) as rest:
        with pytest.raises(RestError) as raised:
            await rest.messages(channel)
    assert raised.value.status == 0 and BOT_TOKEN not in str(raised.value)
