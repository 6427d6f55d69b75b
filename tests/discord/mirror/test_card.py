"""One card, three renderings: every NowPlaying fits Discord's limits and they agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plextui.core.models import MediaItem, NowPlaying, SessionInfo
from plextui.discord.mirror.card import (
    EMBED_TOTAL_MAX,
    activity,
    card_from_session,
    embed,
    embed_size,
    links,
    text_card,
    units,
)
from plextui.emulators.discord.activity import ActivityLimits, activity_error
from plextui.emulators.discord.limits import message_error

NOW = 1_800_000_000.0
KINDS = st.sampled_from(["movie", "episode", "track", "show", "album"])
GUIDS = st.lists(
    st.one_of(
        st.from_regex(r"imdb://tt\d{7,8}", fullmatch=True),
        st.from_regex(r"tmdb://\d{1,7}", fullmatch=True),
        st.text(max_size=30),
    ),
    max_size=4,
)
cards = st.builds(
    NowPlaying,
    title=st.text(max_size=600),
    subtitle=st.text(max_size=6000),
    kind=KINDS,
    state=st.sampled_from(["playing", "paused", "buffering", "stopped"]),
    position_ms=st.integers(0, 10**9),
    duration_ms=st.one_of(st.none(), st.integers(0, 10**9)),
    player=st.text(max_size=2000),
    user=st.text(max_size=400),
    quality=st.one_of(st.none(), st.text(max_size=1500)),
    decision=st.sampled_from([None, "directplay", "directstream", "transcode"]),
    guids=GUIDS.map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(cards)
def test_any_card_fits_presence_limits(card):
    shown = activity(card, NOW)
    assert activity_error(shown, ActivityLimits()) is None
    for key in ("details", "state"):
        assert key not in shown or 2 <= len(shown[key].encode()) <= 128
    assert len(shown.get("buttons", [])) <= 2


@settings(max_examples=150, deadline=None)
@given(cards, st.sampled_from([None, "Finished", "Stopped"]))
def test_any_card_fits_embed_limits(card, ending):
    data = embed(card, ending, poster="poster.jpg")
    assert message_error({"embeds": [data]}, 0, creating=True) is None
    assert embed_size(data) <= EMBED_TOTAL_MAX
    assert units(data["title"]) <= 256


def test_renderings_agree():
    card = NowPlaying(
        title="The Matrix (1999)",
        state="paused",
        position_ms=4_530_000,
        duration_ms=8_160_000,
        player="Living Room TV",
        quality="1080p",
        decision="transcode",
        guids=("imdb://tt0133093", "tmdb://603"),
    )
    shown = activity(card, NOW)
    fields = {f["name"]: f["value"] for f in embed(card)["fields"]}
    text = text_card(card)
    assert shown["details"] == embed(card)["title"] == text[0] == "The Matrix (1999)"
    assert shown["state"] == "Paused · 01:15:30 / 02:16:00"
    assert "timestamps" not in shown  # no running bar while paused
    assert fields["Progress"] == "01:15:30 / 02:16:00" and text[2].endswith(fields["Progress"])
    assert fields["Quality"] == "1080p · Transcode" and text[1] == "Quality: 1080p · Transcode"
    assert text[3] == "Status: Paused on Living Room TV"
    assert [b["label"] for b in shown["buttons"]] == ["IMDb", "TMDB"]


def test_music_listens_and_episodes_have_no_tmdb_button():
    track = NowPlaying(title="Daft Punk — One More Time", kind="track", duration_ms=320_000)
    assert activity(track, NOW)["type"] == 2
    episode = NowPlaying(title="Show · S01E04 · Title", kind="episode", guids=("tmdb://5",))
    assert links(episode) == ()
    assert activity(episode, NOW)["type"] == 3


def test_playing_has_a_progress_bar_and_short_texts_are_padded():
    card = NowPlaying(title="X", position_ms=30_000, duration_ms=90_000)
    shown = activity(card, NOW)
    assert shown["timestamps"] == {"start": int(NOW) - 30, "end": int(NOW) + 60}
    assert len(shown["details"]) == 2


def test_no_plex_urls_or_tokens_leak():
    card = NowPlaying(title="T", thumb="/library/metadata/1/thumb?X-Plex-Token=secret")
    for rendered in (activity(card, NOW), embed(card), text_card(card)):
        assert "secret" not in str(rendered) and "/library" not in str(rendered)


def test_stopped_card_ends_finished_past_ninety_percent():
    done = NowPlaying(title="T", state="stopped", position_ms=95, duration_ms=100)
    assert text_card(done)[3] == "Status: Finished"
    assert embed(NowPlaying(title="T", state="stopped"))["fields"][0]["value"] == "Stopped"


def test_card_from_session():
    item = MediaItem("1", "episode", "Pilot", grandparent_title="Severance", index=1)
    item = MediaItem(**{**item.__dict__, "parent_index": 1, "duration_ms": 3_000_000})
    session = SessionInfo("7", "demo", "Living Room TV", item=item, progress_ms=10, state="paused")
    card = card_from_session(session, NOW)
    assert card.title == "Severance · S01E01 · Pilot" and card.state == "paused"
    assert card.duration_ms == 3_000_000 and card.updated_at == NOW
    assert card_from_session(SessionInfo("8", "demo", "TV"), NOW) is None
