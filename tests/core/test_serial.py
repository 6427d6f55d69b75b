"""Models survive a trip through JSON (the cache's format) unchanged."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plextui.core.models import Library, MediaInfo, MediaItem, Page, PlayerInfo, StreamInfo
from plextui.core.serial import from_plain, to_plain

items = st.builds(
    MediaItem,
    rating_key=st.text(min_size=1, max_size=8),
    kind=st.sampled_from(["movie", "episode", "track", "show"]),
    title=st.text(max_size=40),
    year=st.none() | st.integers(1900, 2100),
    guids=st.lists(st.text(max_size=10), max_size=3).map(tuple),
    media=st.lists(
        st.builds(MediaInfo, bitrate_kbps=st.none() | st.integers(0, 10**6)), max_size=2
    ).map(tuple),
    streams=st.lists(
        st.builds(StreamInfo, kind=st.sampled_from(["audio", "subtitle", "video"])), max_size=3
    ).map(tuple),
)


@given(st.lists(items, max_size=5), st.integers(0, 1000), st.integers(0, 10**6))
def test_page_round_trip_through_json(rows, start, total):
    page = Page(tuple(rows), start, total)
    assert from_plain(Page, json.loads(json.dumps(to_plain(page)))) == page


def test_lists_and_frozensets():
    players = [PlayerInfo("TV", capabilities=frozenset({"playback", "timeline"}))]
    assert from_plain(list[PlayerInfo], to_plain(players)) == players
    assert from_plain(list[Library], to_plain([Library("1", "Movies", "movie", 3)]))[0].count == 3


def test_unknown_fields_are_rejected():
    with pytest.raises(ValueError, match="unknown fields"):
        from_plain(Library, {"key": "1", "title": "x", "type": "movie", "colour": "red"})
