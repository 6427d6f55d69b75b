"""Whatever people type in the channel, the relay never crashes and only ever runs commands the
grammar reads (in their idempotent form, see `recovery`): lines without `/plex` or `!plex`
are ignored without a word."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from plextui.config import DiscordSettings, RemoteSettings, Settings
from plextui.control.controller import Result
from plextui.core.commands import parse_command
from plextui.core.models import PlaybackState
from plextui.discord.remote.channel import PREFIX, ChannelPoller
from plextui.discord.remote.queue import CommandQueue
from plextui.discord.remote.recovery import idempotent_form
from plextui.errors import CommandError

SETTINGS = Settings(
    discord=DiscordSettings(remote=RemoteSettings(channel_id="42", admin_users=["7"]))
)


class Player:
    info = SimpleNamespace(name="TV")

    async def state(self) -> PlaybackState:
        return PlaybackState("TV", state="playing", position_ms=60_000, volume=20)


class Recorder:
    """The controller: a player to read, and a record of what the relay ran."""

    def __init__(self) -> None:
        self.ran: list = []

    async def find_player(self, name):
        return Player()

    async def execute(self, command):
        self.ran.append(command)
        return Result(True, command.verb, "ok")


class FakeRest:
    """One message in the channel, after the cursor the first poll sets."""

    def __init__(self, message: dict) -> None:
        self.message = message
        self.posted: list[dict] = []

    async def messages(self, channel_id: str, after: str | None = None, limit: int = 50):
        return [self.message] if after is not None else []

    async def post_message(self, channel_id: str, body: dict) -> dict:
        self.posted.append(body)
        return {}


texts = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(["/plex ", "!plex ", "/PLEX ", "!plex", "/plex  play ", "/plexx "]),
        st.text(max_size=200),
    ),
    st.builds(
        " ".join,
        st.lists(
            st.sampled_from(["/plex", "play", "on", '"', "seek", "+", "-1m", "volume", "101", "é"]),
            max_size=6,
        ),
    ),
)


@settings(max_examples=150, deadline=None)
@given(text=texts, bot=st.booleans(), kind=st.sampled_from([0, 7, 19, 20]))
def test_relay_never_crashes_and_never_acts_on_garbage(text, bot, kind):
    author = {"id": "7", "username": "root", "bot": bot}
    recorder = Recorder()
    rest = FakeRest({"id": "100", "type": kind, "content": text, "author": author})

    async def scenario():
        queue = CommandQueue(recorder, window=0.0)
        await queue.start()
        with tempfile.TemporaryDirectory() as scratch:
            relay = ChannelPoller(SETTINGS, recorder, rest, Path(scratch) / "c.json", queue=queue)
            await relay.poll_once()  # first start: the cursor
            await relay.poll_once()
            assert relay.last_id == "100" and relay.state.pending == []
        await queue.stop()
        try:
            return [(await idempotent_form(recorder, parse_command(text)))[0]]
        except CommandError:
            return []

    expected = asyncio.run(scenario())
    if bot or kind not in (0, 19) or not PREFIX.match(text):
        assert recorder.ran == [] and rest.posted == []
    else:
        assert recorder.ran == expected
        assert len(rest.posted) == 1
        assert rest.posted[0]["allowed_mentions"] == {"parse": []}
