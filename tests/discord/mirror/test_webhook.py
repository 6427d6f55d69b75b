"""Webhook cards with the real discord-webhook against the REST emulator."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from plextui.core.models import NowPlaying
from plextui.discord.mirror.card import embed
from plextui.discord.mirror.webhook import Webhooks

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def rest():
    from plextui.emulators.discord import DiscordRestEmulator

    emulator = DiscordRestEmulator()
    emulator.start()
    emulator.rate_limits = False
    yield emulator
    emulator.stop()


@pytest.fixture
def channel(rest, request):
    """A fresh channel and webhook per test, so tests can share one emulator."""
    channel_id = str(abs(hash(request.node.nodeid)) % 10**17 + 10**17)
    return channel_id, rest.create_webhook(channel_id)


@pytest.fixture
def clock():
    return Clock()


def card(state="playing", position_ms=60_000, **kw) -> NowPlaying:
    base = dict(
        title="Alien (1979)",
        position_ms=position_ms,
        duration_ms=7_020_000,
        player="Living Room TV",
    )
    return NowPlaying(state=state, **{**base, **kw})


def hooks(urls, tmp_path, clock, **kw) -> Webhooks:
    return Webhooks(urls, path=tmp_path / "queue.json", wall=clock, timeout=5, **kw)


async def drain(webhooks: Webhooks, clock: Clock, rounds: int = 20) -> None:
    """Flush until nothing is pending, jumping the clock to each retry."""
    for _ in range(rounds):
        await webhooks.flush()
        if not webhooks.pending:
            return
        clock.now = max(clock.now, min(e.due for e in webhooks.pending))
    raise AssertionError(f"still pending: {webhooks.status}")


def status_of(message: dict) -> str:
    return next(f["value"] for f in message["embeds"][0]["fields"] if f["name"] == "Status")


async def test_one_create_then_edits_then_finished(rest, channel, tmp_path, clock):
    channel_id, url = channel
    webhooks = hooks([url], tmp_path, clock)
    webhooks.post("7:1", embed(card()))
    webhooks.add_poster("7:1", PNG)
    await drain(webhooks, clock)
    webhooks.post("7:1", embed(card("paused", 70_000)))
    await drain(webhooks, clock)
    clock.now += 30
    webhooks.post("7:1", embed(card("playing", 6_900_000)))
    await drain(webhooks, clock)
    webhooks.post("7:1", embed(card("stopped", 7_000_000)), final=True)
    await drain(webhooks, clock)

    (message,) = rest.channel_messages(channel_id)
    assert status_of(message) == "Finished"
    assert message["edited_timestamp"] is not None
    assert [a["filename"] for a in message["attachments"]] == ["poster.png"]
    assert message["attachments"][0]["bytes"] == PNG
    assert message["embeds"][0]["thumbnail"]["url"] == "attachment://poster.png"
    methods = [r.method for r in rest.requests if url.rsplit("/", 2)[-2] in r.path]
    assert methods == ["POST", "PATCH", "PATCH", "PATCH"]
    assert webhooks.status.endswith(": ok")


async def test_progress_edits_are_coalesced(rest, channel, tmp_path, clock):
    channel_id, url = channel
    webhooks = hooks([url], tmp_path, clock)
    webhooks.post("p", embed(card()))
    await webhooks.flush()
    for second in range(1, 6):  # progress ticks inside the 10 s edit interval
        clock.now += 1
        webhooks.post("p", embed(card(position_ms=60_000 + 1000 * second)))
        await webhooks.flush()
    clock.now += 10
    await webhooks.flush()
    methods = [r.method for r in rest.requests if url.rsplit("/", 2)[-2] in r.path]
    assert methods == ["POST", "PATCH"]
    fields = rest.channel_messages(channel_id)[0]["embeds"][0]["fields"]
    assert "00:01:05" in next(f["value"] for f in fields if f["name"] == "Progress")


async def test_final_state_after_429_and_after_two_500s(rest, channel, tmp_path, clock):
    channel_id, url = channel
    webhooks = hooks([url], tmp_path, clock)
    webhooks.post("p", embed(card()))
    await drain(webhooks, clock)
    rest.fail_next(429, retry_after=2.5)
    webhooks.post("p", embed(card("paused")))
    await webhooks.flush()
    assert webhooks.statuses[url] == "rate limited; retrying in 2.5 s"
    assert webhooks.pending[0].due == clock.now + 2.5
    await drain(webhooks, clock)
    rest.fail_next(500, count=2)
    webhooks.post("p", embed(card("stopped", 3_000_000)), final=True)
    await webhooks.flush()
    assert "HTTP 500; retrying in 1 s" in webhooks.status
    await webhooks.flush()  # not due yet: nothing sent
    await drain(webhooks, clock)
    assert status_of(rest.channel_messages(channel_id)[0]) == "Stopped"
    assert not webhooks.pending


@pytest.mark.parametrize("huge", [1e12, float("inf")])
async def test_a_huge_retry_after_is_capped(rest, channel, tmp_path, clock, huge):
    channel_id, url = channel
    webhooks = hooks([url], tmp_path, clock)
    rest.fail_next(429, retry_after=huge)
    webhooks.post("p", embed(card("stopped", 3_000_000)), final=True)
    await webhooks.flush()
    assert webhooks.pending[0].due <= clock.now + 60
    await drain(webhooks, clock)
    assert status_of(rest.channel_messages(channel_id)[0]) == "Stopped"


async def test_a_429_page_without_json_is_waited_out(rest, channel, tmp_path, clock):
    channel_id, url = channel
    webhooks = hooks([url], tmp_path, clock)
    rest.fail_next(429, html=True)
    webhooks.post("p", embed(card("stopped", 3_000_000)), final=True)
    await webhooks.flush()  # must not raise on the HTML body
    assert webhooks.statuses[url].endswith("retrying in 1 s")
    assert webhooks.pending
    await drain(webhooks, clock)
    assert status_of(rest.channel_messages(channel_id)[0]) == "Stopped"


async def test_final_state_survives_a_restart(rest, channel, tmp_path, clock):
    channel_id, url = channel
    first = hooks([url], tmp_path, clock)
    first.post("p", embed(card()))
    await drain(first, clock)
    rest.fail_next(503, count=1)
    first.post("p", embed(card("stopped", 6_500_000)), final=True)
    await first.flush()
    assert first.pending  # the process dies here
    saved = (tmp_path / "queue.json").stat()
    assert saved.st_mode & 0o777 == 0o600

    second = hooks([url], tmp_path, clock)
    clock.now += 5
    await drain(second, clock)
    (message,) = rest.channel_messages(channel_id)
    assert status_of(message) == "Finished"
    assert json.loads((tmp_path / "queue.json").read_text())["entries"] == []


async def test_network_error_is_retried(tmp_path, clock):
    webhooks = hooks(["http://127.0.0.1:9/api/webhooks/1/secret-token-abcd"], tmp_path, clock)
    webhooks.post("p", embed(card()), final=True)
    await webhooks.flush()
    assert "network error; retrying" in webhooks.status
    assert "secret-token" not in webhooks.status
    assert webhooks.pending


async def test_multiple_urls_each_get_one_message(rest, tmp_path, clock):
    urls = [rest.create_webhook(c) for c in ("555000000000000001", "555000000000000002")]
    webhooks = hooks(urls, tmp_path, clock)
    webhooks.post("p", embed(card()))
    webhooks.post("q", embed(card(title="Heat (1995)")))
    await drain(webhooks, clock)
    webhooks.post("p", embed(card("stopped", 6_500_000)), final=True)
    await drain(webhooks, clock)
    for channel_id in ("555000000000000001", "555000000000000002"):
        messages = rest.channel_messages(channel_id)
        assert [m["embeds"][0]["title"] for m in messages] == ["Alien (1979)", "Heat (1995)"]
        assert status_of(messages[0]) == "Finished"


async def test_deleted_webhook_is_disabled_with_a_redacted_message(
    rest, channel, tmp_path, clock, caplog
):
    channel_id, url = channel
    other = rest.create_webhook("555000000000000009")
    webhooks = hooks([url, other], tmp_path, clock)
    webhooks.post("p", embed(card()))
    await drain(webhooks, clock)
    rest.delete_webhook(url)
    with caplog.at_level(logging.WARNING):
        webhooks.post("p", embed(card("paused")))
        await drain(webhooks, clock)
    assert "disabled: Discord says Unknown Webhook" in webhooks.statuses[url]
    token = url.rsplit("/", 1)[-1]
    assert token not in webhooks.status and token not in caplog.text
    assert status_of(rest.channel_messages("555000000000000009")[-1]) == "Paused"
    webhooks.post("p", embed(card("playing")))
    await drain(webhooks, clock)  # the disabled URL is left alone


async def test_message_deleted_by_someone_is_posted_again(rest, channel, tmp_path, clock):
    channel_id, url = channel
    webhooks = hooks([url], tmp_path, clock)
    webhooks.post("p", embed(card()))
    await drain(webhooks, clock)
    message_id = rest.channel_messages(channel_id)[0]["id"]
    with rest.store.lock:
        rest.store.channels[channel_id].clear()
    webhooks.post("p", embed(card("paused")))
    await drain(webhooks, clock)
    (message,) = rest.channel_messages(channel_id)
    assert message["id"] != message_id and status_of(message) == "Paused"


async def test_very_long_title_and_summary_fit_embed_limits(rest, channel, tmp_path, clock):
    channel_id, url = channel
    long = card(
        title="A" * 5000, subtitle="S" * 9000, player="P" * 3000, quality="Q" * 2000, user="U" * 900
    )
    webhooks = hooks([url], tmp_path, clock)
    webhooks.post("p", embed(long))
    await drain(webhooks, clock)
    (message,) = rest.channel_messages(channel_id)
    assert len(message["embeds"][0]["title"]) == 256
    assert "refused" not in webhooks.status


async def test_run_loop_sends_when_woken(rest, channel, tmp_path):
    channel_id, url = channel
    webhooks = Webhooks([url], path=tmp_path / "q.json", timeout=5)
    task = asyncio.create_task(webhooks.run(tick=0.05))
    try:
        webhooks.post("p", embed(card()))
        for _ in range(100):
            if rest.channel_messages(channel_id):
                break
            await asyncio.sleep(0.02)
        assert rest.channel_messages(channel_id)
    finally:
        task.cancel()
