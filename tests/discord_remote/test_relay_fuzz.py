"""Whatever people type in the channel, the relay never crashes and only ever runs commands the
grammar reads: lines without `/plex` or `!plex` are ignored without a word."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plextui.config import DiscordSettings, RemoteSettings, Settings
from plextui.control import Result
from plextui.core.commands import parse_command
from plextui.discord.auth import CommandQueue
from plextui.discord.remote import PREFIX, ChannelRelay
from plextui.errors import CommandError

SETTINGS = Settings(
    discord=DiscordSettings(remote=RemoteSettings(channel_id="42", admin_users=["7"]))
)


class Recorder:
    def __init__(self) -> None:
        self.ran: list = []

    async def execute(self, command):
        self.ran.append(command)
        return Result(True, command.verb, "ok")


class FakeRest:
    def __init__(self) -> None:
        self.posted: list[dict] = []

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


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts, bot=st.booleans(), kind=st.sampled_from([0, 7, 19, 20]))
def test_relay_never_crashes_and_never_acts_on_garbage(tmp_path, text, bot, kind):
    recorder, rest = Recorder(), FakeRest()

    async def scenario():
        queue = CommandQueue(recorder, window=0.0)
        await queue.start()
        relay = ChannelRelay(SETTINGS, recorder, rest, tmp_path / "c.json", queue=queue)
        author = {"id": "7", "username": "root", "bot": bot}
        await relay._take({"id": "100", "type": kind, "content": text, "author": author})
        await relay.drain()
        await queue.stop()

    asyncio.run(scenario())
    try:
        expected = [parse_command(text)]
    except CommandError:
        expected = []
    if bot or kind not in (0, 19) or not PREFIX.match(text):
        assert recorder.ran == [] and rest.posted == []
    else:
        assert recorder.ran == expected
        assert len(rest.posted) == 1
        assert rest.posted[0]["allowed_mentions"] == {"parse": []}
