"""A part of the relay that dies is started again, with a capped backoff and one line saying
so; only a setting no restart can fix (a port that is taken) stops the relay."""

from __future__ import annotations

import asyncio
import logging
import shutil

import pytest

from plextui.config.paths import channel_state_path as state_path
from plextui.core.ratelimit import Backoff
from plextui.core.supervise import supervise
from plextui.discord.remote.inbox import ListenError, serve
from plextui.entry.relay import run_together

from .conftest import ALICE


async def test_a_failing_part_is_restarted_with_a_capped_backoff():
    lines: list[str] = []
    waits: list[float] = []
    calls = 0

    async def part() -> None:
        nonlocal calls
        calls += 1
        if calls <= 5:
            raise (ValueError if calls % 2 else KeyError)("a shape nobody foresaw")

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    backoff = Backoff(base=1.0, cap=4.0, jitter=0.0)
    await supervise("channel poller", part, say=lines.append, sleep=sleep, backoff=backoff)
    assert calls == 6 and waits == [1.0, 2.0, 4.0, 4.0, 4.0]
    assert lines[0] == "channel poller stopped (ValueError); restarting it in 1.0 s"
    assert all("\n" not in line for line in lines) and len(lines) == 5


async def test_a_setting_no_restart_can_fix_still_stops_the_relay():
    async def part() -> None:
        raise ListenError("cannot listen on 127.0.0.1:1: Address in use")

    with pytest.raises(ListenError):
        await supervise("remote commands", part, say=print)


async def test_the_other_parts_keep_serving_while_one_fails():
    served = asyncio.Event()
    lines: list[str] = []

    async def broken() -> None:
        raise RuntimeError("boom")

    async def serving() -> None:
        served.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(run_together({"broken": broken, "serving": serving}, lines.append))
    await asyncio.wait_for(served.wait(), 5)
    await asyncio.sleep(0.1)
    assert not task.done() and lines == [
        "broken stopped (RuntimeError); restarting it in " + lines[0].rsplit(" in ", 1)[1]
    ]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_the_channel_poller_dies_for_real_and_comes_back(
    discord, channel, settings, controller, caplog
):
    """Its state file cannot be written (a directory sits there): the poller fails, says so
    once per try, and serves as soon as the file can be written again."""
    caplog.set_level(logging.WARNING)
    blocked = state_path(channel)
    blocked.mkdir(parents=True)
    task = asyncio.create_task(serve(settings, controller, idle=(0.05, 0.1)))
    try:
        for _ in range(200):
            await asyncio.sleep(0.02)
            if "Discord channel poller stopped (IsADirectoryError)" in caplog.text:
                break
        assert "restarting it in" in caplog.text and not task.done()
        shutil.rmtree(blocked)
        for _ in range(300):  # back, it takes its place in the channel first
            await asyncio.sleep(0.02)
            if blocked.is_file():
                break
        sent = discord.post_user_message(channel, "!plex help", ALICE, "alice")
        for _ in range(300):
            await asyncio.sleep(0.02)
            if any(
                (m.get("message_reference") or {}).get("message_id") == sent["id"]
                for m in discord.channel_messages(channel)
            ):
                break
        else:
            pytest.fail("the poller did not come back")
        assert "Traceback" not in caplog.text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
