"""Model helpers: display titles, watched state, progress and end time."""

from __future__ import annotations

import dataclasses

import pytest

from plextui.core.models import MediaInfo, MediaItem, NowPlaying, PlayerInfo

EPISODE = MediaItem(
    "1", "episode", "Pilot", grandparent_title="Show", parent_title="Season 1",
    index=4, parent_index=1,
)  # fmt: skip
TRACK = MediaItem("2", "track", "Song", grandparent_title="Artist", parent_title="Album", year=1999)


@pytest.mark.parametrize(
    ("item", "title", "subtitle"),
    [
        (EPISODE, "Show · S01E04 · Pilot", "Season 1"),
        (dataclasses.replace(EPISODE, index=None), "Show · Pilot", "Season 1"),
        (TRACK, "Artist — Song", "Album · 1999"),
        (MediaItem("3", "movie", "Up", year=2009), "Up (2009)", ""),
        (MediaItem("4", "album", "Album", year=2001, grandparent_title="A"), "A — Album", "2001"),
        (MediaItem("5", "season", "Season 2", parent_title="Show"), "Season 2", "Show"),
        (MediaItem("6", "playlist", "Mix"), "Mix", ""),
    ],
)
def test_display_title_and_subtitle(item, title, subtitle):
    assert item.display_title == title
    assert item.subtitle == subtitle


@pytest.mark.parametrize(
    ("item", "watched", "in_progress"),
    [
        (MediaItem("1", "movie", "Up"), False, False),
        (MediaItem("1", "movie", "Up", view_count=2), True, False),
        (MediaItem("1", "movie", "Up", view_offset_ms=5), False, True),
        (MediaItem("1", "show", "S", leaf_count=10, viewed_leaf_count=10), True, False),
        (MediaItem("1", "show", "S", leaf_count=10, viewed_leaf_count=9), False, False),
        (MediaItem("1", "season", "S", leaf_count=0, viewed_leaf_count=0), False, False),
    ],
)
def test_watched(item, watched, in_progress):
    assert item.watched is watched
    assert item.in_progress is in_progress


def test_models_are_frozen_and_hashable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        EPISODE.title = "x"  # type: ignore[misc]
    assert hash(EPISODE) == hash(dataclasses.replace(EPISODE))


@pytest.mark.parametrize(
    ("media", "height"),
    [
        (MediaInfo(height=800), 800),
        (MediaInfo(resolution="4k"), 2160),
        (MediaInfo(resolution="720"), 720),
        (MediaInfo(resolution="SD"), 480),
        (MediaInfo(), None),
    ],
)
def test_video_height(media, height):
    assert media.video_height == height


def test_now_playing_progress_and_end():
    card = NowPlaying("Up", position_ms=1_000, duration_ms=4_000)
    assert card.progress == 0.25
    assert card.ends_at(100.0) == 103.0
    assert dataclasses.replace(card, state="paused").ends_at(100.0) is None
    assert NowPlaying("Up").progress == 0.0
    assert dataclasses.replace(card, position_ms=9_000).progress == 1.0


def test_player_capabilities():
    assert PlayerInfo("TV", capabilities=frozenset({"playback"})).can("playback")
    assert not PlayerInfo("TV").can("playback")
    assert PlayerInfo("This computer (mpv)", local=True).can("playback")
