"""`kill -9` of a real `plextui relay` process at random moments while 30 `!plex volume +1` flow
through the emulated channel: the emulated TV ends exactly 30 steps up, the audit log shows
each command once, and no message is answered twice. (Before the journal, 9 of 40 were lost
across 5 kills: the cursor moved before the command ran.)"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from plextui.config.paths import audit_path
from plextui.config.paths import channel_state_path as state_path
from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.authorizer import Caller
from plextui.discord.remote.channel import ChannelPoller
from plextui.discord.remote.journal import RAN, ChannelState, Unit
from plextui.discord.remote.queue import CommandQueue

from .conftest import ALICE, BOT_TOKEN, PLEX_TOKEN, TV

SEED = 14
BATCHES, PER_BATCH = 6, 5  # 30 commands; a batch fits the per-user burst of the rate limit
START = 20


class RelayProcess:
    """`python -m plextui relay` as a user runs it, started again after each kill."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        out = (self.logs / f"relay-{self.starts}.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "plextui", "relay"], stdout=out, stderr=subprocess.STDOUT
        )
        out.close()

    def kill(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, "the relay died by itself"
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def output(self) -> str:
        return "".join(p.read_text() for p in sorted(self.logs.glob("relay-*.log")))


def write_config(plex, discord, channel: str) -> None:
    path = Path(os.environ["PLEXTUI_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[plex]\nurl = "{plex.url}"\ntoken = "{PLEX_TOKEN}"\ndefault_player = "{TV}"\n\n'
        f'[discord]\napi_url = "{discord.api_url}"\n\n'
        f'[discord.remote]\nenabled = true\nbot_token = "{BOT_TOKEN}"\n'
        f'channel_id = "{channel}"\ncontrol_users = ["{ALICE}"]\nrate_per_minute = 6000\n'
    )


def replies(discord, channel) -> collections.Counter:
    return collections.Counter(
        m["message_reference"]["message_id"]
        for m in discord.channel_messages(channel)
        if m.get("message_reference")
    )


async def until(predicate, timeout: float = 20.0, step: float = 0.02) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(step)


def in_flight(channel: str) -> int:
    """Units the relay journalled and has not finished, as its state file says now."""
    try:
        return len(json.loads(state_path(channel).read_text()).get("journal") or [])
    except (OSError, ValueError):
        return 0


async def test_kill_9_at_random_moments_loses_and_doubles_nothing(
    plex, discord, channel, movie, tmp_path
):
    rng = random.Random(SEED)
    write_config(plex, discord, channel)
    tv = plex.player(TV)
    relay = RelayProcess(tmp_path)
    relay.start()
    try:
        await until(lambda: state_path(channel).exists())
        for text in (f"!plex play {movie} on {TV}", f"!plex volume {START}"):
            sent = discord.post_user_message(channel, text, ALICE, "alice")
            await until(lambda sent=sent: replies(discord, channel)[sent["id"]])
        assert tv.timeline()["volume"] == START

        mid_command = rng.randrange(BATCHES)  # this kill waits for a command in the journal
        at_random = set(rng.sample([b for b in range(BATCHES) if b != mid_command], 3))
        commands, interrupted = [], 0
        for batch in range(BATCHES):
            sent = [
                discord.post_user_message(channel, "!plex volume +1", ALICE, "alice")
                for _ in range(PER_BATCH)
            ]
            commands += [m["id"] for m in sent]
            if batch == mid_command:
                await until(lambda: in_flight(channel) > 0, step=0.002)
            elif batch in at_random:
                await asyncio.sleep(rng.uniform(0.0, 1.5))
            if batch == mid_command or batch in at_random:
                relay.kill()
                interrupted += in_flight(channel) > 0
                relay.start()
            await until(lambda sent=sent: replies(discord, channel)[sent[-1]["id"]])
            await asyncio.sleep(0.1)  # the rate limit's bucket refills

        ran = [
            e
            for e in AuditLog(audit_path()).entries()
            if e["command"] == "!plex volume +1" and e["allowed"]
        ]
        final = tv.timeline()["volume"]
        print(
            f"\n{relay.starts - 1} kills ({interrupted} with a command in the journal): "
            f"volume {START} -> {final} for {len(commands)} steps; lost "
            f"{max(0, START + len(commands) - final)}, doubled "
            f"{max(0, final - START - len(commands))}; audit lines {len(ran)}"
        )
        assert relay.starts - 1 == 4 and interrupted >= 1
        assert final == START + len(commands)
        assert len(ran) == len(commands) and all(e["ok"] for e in ran)
        answered = replies(discord, channel)
        assert max(answered.values()) == 1  # no message answered twice
        assert answered[commands[-1]] == 1
        assert "Traceback" not in relay.output()
    finally:
        relay.stop()


async def test_a_crash_after_the_reply_neither_answers_nor_audits_twice(
    discord, channel, settings, controller, rest, tmp_path
):
    """Killed between posting the reply and leaving the journal: the restart finds the reply
    in the channel and the audit line in the log, and only moves the cursor on."""
    audit = AuditLog(tmp_path / "audit.log")
    path = tmp_path / "state.json"
    sent = discord.post_user_message(channel, "!plex help", ALICE, "alice")
    state = ChannelState(path, channel)
    state.last_id = str(int(sent["id"]) - 1)
    body = {"content": "the answer", "allowed_mentions": {"parse": []}}
    unit = Unit([sent["id"]], {"id": ALICE, "name": "alice", "roles": []}, ["!plex help"], "help")
    unit.stage, unit.audit_at = RAN, 0
    unit.audits = [{"text": "!plex help", "allowed": True, "ok": True, "message": "…"}]
    unit.replies = [{"to": sent["id"], "body": body}]
    state.begin(unit)
    await rest.post_message(channel, {**body, "message_reference": {"message_id": sent["id"]}})
    audit.record(source="channel", caller=Caller(ALICE, "alice"), text="!plex help", allowed=True)

    queue = CommandQueue(controller, window=0.0)
    await queue.start()
    try:
        relay = ChannelPoller(settings, controller, rest, path, queue=queue, audit=audit)
        await relay.poll_once()
    finally:
        await queue.stop()
    assert replies(discord, channel)[sent["id"]] == 1
    assert len(audit.entries()) == 1
    assert int(relay.last_id) > int(sent["id"]) and ChannelState(path, channel).pending == []
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
