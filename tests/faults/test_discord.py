"""Discord misbehaving under the remote and the webhook cards: remote commands are neither lost
nor run twice, every one is answered once, and the final card of a playback arrives."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from plextui.config import DiscordSettings, RemoteSettings, Settings
from plextui.control.controller import Result
from plextui.core.models import NowPlaying
from plextui.discord.mirror.card import embed
from plextui.discord.mirror.webhook import Webhooks
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.queue import CommandQueue
from plextui.discord.rest import DiscordRest
from plextui.emulators.discord import DiscordRestEmulator

BOT = "MTIz.faults-bot-token.XyZ"
ALICE = "1001"
_channels = itertools.count(1)


class Recorder:
    """Stands in for the Controller: records what the relay asked it to run."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    async def execute(self, command):
        self.ran.append(command)
        return Result(True, command.verb, f"done {len(self.ran)}")


@pytest.fixture(scope="module")
def discord():
    server = DiscordRestEmulator(bot_token=BOT)
    server.start()
    server.rate_limits = False
    yield server
    server.stop()


@pytest.fixture
def channel(discord) -> str:
    channel_id = str(800_000_000_000_000_000 + next(_channels))
    discord.create_channel(channel_id)
    return channel_id


async def _no_wait(seconds: float) -> None:
    await asyncio.sleep(0.01)


@pytest.fixture
async def relay_for(discord, channel, tmp_path):
    """Relays sharing one cursor file, as one process after another would."""
    remote = RemoteSettings(enabled=True, bot_token=BOT, channel_id=channel, control_users=[ALICE])
    made = []

    async def build(controller: Recorder, api_url: str | None = None) -> ChannelPoller:
        api_url = api_url or discord.api_url
        settings = Settings(discord=DiscordSettings(api_url=api_url, remote=remote))
        rest = DiscordRest(api_url, BOT)
        queue = CommandQueue(controller, window=0.0)
        await queue.start()
        relay = ChannelPoller(
            settings,
            controller,
            rest,
            tmp_path / "cursor.json",
            queue=queue,
            audit=AuditLog(tmp_path / "audit.log", secrets=(BOT,)),
            sleep=_no_wait,
            idle=(0.01, 0.02),
        )
        relay.gate.authorizer.limiter.rate = relay.gate.authorizer.limiter.burst = 100
        made.append((relay, queue, rest))
        return relay

    yield build
    for relay, queue, rest in made:
        await relay.drain()
        await queue.stop()
        await rest.close()


def replies(discord, channel) -> list[str]:
    return [
        m["message_reference"]["message_id"]
        for m in discord.channel_messages(channel)
        if m.get("message_reference")
    ]


async def until(predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not predicate():
        assert loop.time() - began < timeout, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_polls_failing_with_5xx_and_429_lose_and_repeat_nothing(discord, channel, relay_for):
    ran = Recorder()
    relay = await relay_for(ran)
    await relay.poll_once()  # first start: history is skipped
    sent = []
    for n in range(4):
        sent.append(discord.post_user_message(channel, f"/plex volume {10 + n}", ALICE)["id"])
        sent.append(discord.post_user_message(channel, "/plex now", ALICE)["id"])
    for status, count in [(500, 3), (429, 2), (502, 1), (503, 2)]:
        discord.fail_next(status, count=count, retry_after=0.01)
    task = asyncio.create_task(relay.run())
    try:
        await until(lambda: len(replies(discord, channel)) >= len(sent))
        await asyncio.sleep(0.2)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [(c.verb, c.volume and c.volume.value) for c in ran.ran] == [
        v for n in range(4) for v in (("volume", 10 + n), ("now", None))
    ]
    assert sorted(replies(discord, channel)) == sorted(sent)


async def test_commands_typed_while_the_relay_was_down_run_once_on_restart(
    discord, channel, relay_for
):
    first = Recorder()
    relay = await relay_for(first)
    await relay.poll_once()
    discord.post_user_message(channel, "/plex pause", ALICE)
    await relay.poll_once()
    await relay.drain()
    # the relay process is gone; people keep typing
    typed = [
        discord.post_user_message(channel, f"/plex {v}", ALICE)["id"] for v in ("resume", "stop")
    ]
    second = Recorder()
    again = await relay_for(second)
    for _ in range(3):
        await again.poll_once()
    await again.drain()
    assert [c.verb for c in first.ran] == ["pause"]
    assert [c.verb for c in second.ran] == ["resume", "stop"]
    assert sorted(replies(discord, channel)[1:]) == sorted(typed)


class Gate:
    """A TCP door in front of the emulator: closed, Discord is absent (connections refused)."""

    def __init__(self, target_port: int) -> None:
        self.target_port, self.port = target_port, 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    async def _serve(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers |= {writer, up_writer}

        async def pipe(src, dst) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def url(self, url: str) -> str:
        return url.replace(f":{self.target_port}", f":{self.port}")


@pytest.fixture
async def gate(discord):
    door = Gate(discord.port)
    await door.open()
    yield door


async def test_discord_absent_then_back(discord, channel, relay_for, gate):
    ran = Recorder()
    relay = await relay_for(ran, gate.url(discord.api_url))
    await relay.poll_once()
    sent = discord.post_user_message(channel, "/plex resume", ALICE)["id"]
    await gate.close()
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.3)
        assert ran.ran == []
        await gate.open()
        await until(lambda: replies(discord, channel) == [sent])
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [c.verb for c in ran.ran] == ["resume"]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def card(state: str) -> NowPlaying:
    return NowPlaying(
        title="Alien (1979)", state=state, position_ms=6_600_000, duration_ms=7_020_000
    )


async def test_final_card_after_discord_was_absent_is_delivered_once(discord, gate, tmp_path):
    url = gate.url(discord.create_webhook("810000000000000001"))
    clock = Clock()
    hooks = Webhooks([url], path=tmp_path / "queue.json", wall=clock, timeout=2)
    hooks.post("p", embed(card("playing")))
    await hooks.flush()
    await gate.close()
    try:
        hooks.post("p", embed(card("paused")))
        hooks.post("p", embed(card("stopped")), final=True)
        for _ in range(3):
            clock.now += 60
            await hooks.flush()
        assert hooks.pending and "network error" in hooks.status
    finally:
        await gate.open()
    restarted = Webhooks([url], path=tmp_path / "queue.json", wall=clock, timeout=2)
    for _ in range(5):
        clock.now += 60
        await restarted.flush()
    assert not restarted.pending
    (message,) = discord.channel_messages("810000000000000001")
    status = next(f["value"] for f in message["embeds"][0]["fields"] if f["name"] == "Status")
    assert status == "Finished"
