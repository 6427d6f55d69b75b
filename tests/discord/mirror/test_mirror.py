"""The mirror driven by bus events: who is shown, and what presence and webhooks receive."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from plextui.core.models import MediaInfo, MediaItem, PlaybackState, SessionInfo
from plextui.discord.mirror.nowplaying import Filter, Mirror
from plextui.discord.mirror.presence import Presence, find_socket
from plextui.discord.mirror.webhook import Webhooks
from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
from plextui.plex.events import (
    EventBus,
    PlayerStateChanged,
    SessionEnded,
    SessionStarted,
    SessionUpdated,
)

CLIENT_ID = "123456789012345678"
MOVIE = MediaItem(
    "101",
    "movie",
    "The Matrix",
    year=1999,
    duration_ms=8_160_000,
    guids=("imdb://tt0133093", "tmdb://603"),
    media=(MediaInfo(resolution="1080", video_codec="h264"),),
    library_key="1",
)
EPISODE = MediaItem(
    "202",
    "episode",
    "Pilot",
    grandparent_title="Severance",
    parent_title="Season 1",
    index=1,
    parent_index=1,
    duration_ms=3_300_000,
    library_key="2",
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def session(item=MOVIE, key="7", user="demo", player="Living Room TV", **kw) -> SessionInfo:
    return SessionInfo(key, user, player, item=item, duration_ms=item.duration_ms, **kw)


@pytest.fixture
def world(monkeypatch):
    """IPC + REST emulators, a presence with a hand clock, webhooks to one channel."""
    with tempfile.TemporaryDirectory(prefix="ptm", dir="/tmp") as name:
        run = Path(name) / "run"
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
        clock = Clock()
        ipc = DiscordIPCEmulator(run, client_ids={CLIENT_ID}, clock=clock)
        rest = DiscordRestEmulator()
        ipc.start()
        rest.start()
        rest.rate_limits = False
        url = rest.create_webhook("900000000000000001")
        presence = Presence(
            CLIENT_ID,
            clock=clock,
            wall=lambda: 1_800_000_000 + clock.now,
            find=lambda: find_socket({"XDG_RUNTIME_DIR": str(run)}),
        )
        webhooks = Webhooks(
            [url], path=Path(name) / "q.json", wall=lambda: 1_800_000_000 + clock.now
        )
        try:
            yield clock, ipc, rest, presence, webhooks
        finally:
            ipc.stop()
            rest.stop()


async def step(clock, presence, webhooks, seconds: float) -> None:
    clock.now += seconds
    await presence.sync()
    await webhooks.flush()


async def test_play_pause_seek_next_stop_reaches_discord(world):
    clock, ipc, rest, presence, webhooks = world
    bus = EventBus()
    mirror = Mirror(presence, webhooks, Filter(account="demo"), wall=lambda: clock.now)
    mirror.attach(bus)

    bus.publish(SessionStarted(session(progress_ms=1_000)))
    await step(clock, presence, webhooks, 0)
    bus.publish(SessionUpdated(session(progress_ms=5_000, state="paused")))
    await step(clock, presence, webhooks, 5)
    bus.publish(SessionUpdated(session(progress_ms=4_530_000)))  # seek and resume
    await step(clock, presence, webhooks, 15)
    bus.publish(SessionUpdated(session(item=EPISODE, progress_ms=0)))  # next
    await step(clock, presence, webhooks, 15)
    bus.publish(SessionEnded(session(item=EPISODE, progress_ms=3_200_000)))
    await step(clock, presence, webhooks, 15)

    shown = [a for _, a in ipc.activities]
    assert [a["details"] if a else None for a in shown] == [
        "The Matrix (1999)",
        "The Matrix (1999)",
        "Severance · S01E01 · Pilot",
        None,
    ]
    assert shown[1]["state"] == "1080p · Direct Play"
    assert shown[0]["buttons"][0]["label"] == "IMDb"
    times = [t for t, _ in ipc.activities]
    assert all(b - a >= 15 for a, b in zip(times, times[1:], strict=False))

    messages = rest.channel_messages("900000000000000001")
    assert [m["embeds"][0]["title"] for m in messages] == [
        "The Matrix (1999)",
        "Severance · S01E01 · Pilot",
    ]
    statuses = [m["embeds"][0]["fields"][0]["value"] for m in messages]
    assert statuses == ["Stopped", "Finished"]  # the movie was left at 55 %
    assert mirror.preview["activity"] is None
    assert mirror.preview["text"] == ["Nothing is playing."]


async def test_other_users_ignored_players_and_libraries_are_not_shown(world):
    clock, ipc, rest, presence, webhooks = world
    bus = EventBus()
    who = Filter(
        account="demo", users=("alice",), ignore_players=("Kids TV",), ignore_libraries=("Shows",)
    )
    mirror = Mirror(presence, webhooks, who, library_titles={"2": "Shows"})
    mirror.attach(bus)
    bus.publish(SessionStarted(session(key="1", user="bob")))
    bus.publish(SessionStarted(session(key="2", player="kids tv")))
    bus.publish(SessionStarted(session(key="3", item=EPISODE)))
    await step(clock, presence, webhooks, 0)
    assert not ipc.activities and not rest.channel_messages("900000000000000001")
    bus.publish(SessionStarted(session(key="4", user="Alice")))
    await step(clock, presence, webhooks, 0)
    assert ipc.current["details"] == "The Matrix (1999)"
    assert mirror.status == {"presence": "connected", "webhooks": mirror.webhooks.status}


async def test_playing_session_wins_over_a_paused_one(world):
    clock, ipc, rest, presence, webhooks = world
    mirror = Mirror(presence, None, Filter(account="demo"), wall=lambda: clock.now)
    mirror(SessionStarted(session(key="1", item=EPISODE)))
    clock.now += 1
    mirror(SessionStarted(session(key="2", state="paused")))
    await presence.sync()
    assert ipc.current["details"] == "Severance · S01E01 · Pilot"
    assert "Severance" in mirror.preview["embed"]["title"]  # what a webhook would show


async def test_poster_is_fetched_once_and_attached(world):
    clock, ipc, rest, presence, webhooks = world
    fetched = []

    async def poster(card):
        fetched.append(card.title)
        return b"\xff\xd8\xff" + b"\0" * 32

    mirror = Mirror(None, webhooks, Filter(), poster=poster, wall=lambda: clock.now)
    mirror(SessionStarted(session()))
    for _ in mirror._tasks.copy():
        await _
    mirror(SessionUpdated(session(state="paused")))
    await webhooks.flush()
    (message,) = rest.channel_messages("900000000000000001")
    assert fetched == ["The Matrix (1999)"]
    assert message["attachments"][0]["filename"] == "poster.jpg"


def test_filter_without_account_accepts_everyone():
    assert Filter().accepts(session(user="anyone"), {})
    assert not Filter(account="demo").accepts(session(user="anyone"), {})
    assert not Filter(ignore_libraries=("1",)).accepts(session(), {})
    assert Filter(ignore_libraries=("Movies",)).accepts(replace(session(), item=None), {})


async def test_player_state_moves_the_mirrored_card_before_the_session_does(world):
    """A pause seen on the player's timeline reaches presence and the webhook card at once;
    what plays and whether it ended stay the server session's to say."""
    clock, ipc, rest, presence, webhooks = world
    bus = EventBus()
    mirror = Mirror(presence, webhooks, Filter(account="demo"), wall=lambda: clock.now)
    mirror.attach(bus)
    bus.publish(SessionStarted(session(progress_ms=60_000)))
    await step(clock, presence, webhooks, 0)

    def told(item=MOVIE, state="paused", position_ms=61_000, player="Living Room TV"):
        played = PlaybackState(player, item, state, position_ms, item.duration_ms)
        bus.publish(PlayerStateChanged(player, "tv-1", played, session_name=player))

    told(player="Kitchen Plexamp")  # no session of it is mirrored
    told(item=EPISODE)  # the TV moved on: the session will say so
    told(state="stopped")  # ended: also the session's to say
    await step(clock, presence, webhooks, 15)
    assert ipc.current["assets"]["small_text"] == "Playing on Living Room TV"
    told()
    await step(clock, presence, webhooks, 15)
    assert ipc.current["assets"]["small_text"] == "Paused on Living Room TV"
    assert ipc.current["state"].startswith("Paused · 00:01:01")
    (message,) = rest.channel_messages("900000000000000001")
    assert message["embeds"][0]["fields"][0]["value"] == "Paused"
    assert mirror.current.position_ms == 61_000
