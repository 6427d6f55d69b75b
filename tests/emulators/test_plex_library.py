"""Conformance of library endpoints through unmodified plexapi (reference §2 rows, §6 checklist)."""

from __future__ import annotations

import pytest
import requests
from plexapi.exceptions import NotFound, Unauthorized
from plexapi.server import PlexServer

MATROSKA = b"\x1a\x45\xdf\xa3"  # the EBML header every Matroska file starts with


def test_root_identity_and_library(emu, plex):
    assert plex.machineIdentifier == emu.machine_identifier
    assert plex.friendlyName == emu.friendly_name
    assert plex.version and plex.allowSync is True
    assert plex.library.identifier == "com.plexapp.plugins.library"
    assert plex.identity().machineIdentifier == emu.machine_identifier


def test_bad_token_is_unauthorized_with_real_body(emu):
    with pytest.raises(Unauthorized):
        PlexServer(emu.url, "wrong-token", timeout=5)
    reply = requests.get(f"{emu.url}/library/sections", timeout=5)
    assert reply.status_code == 401
    assert (
        reply.text
        == "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>"
    )
    assert "web/index.html" in requests.get(emu.url + "/", timeout=5).text


def test_token_accepted_in_query(emu):
    reply = requests.get(f"{emu.url}/library/sections?X-Plex-Token={emu.token}", timeout=5)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/xml")


def test_sections_have_types_uuid_and_location(plex):
    sections = plex.library.sections()
    assert [s.type for s in sections] == ["movie", "show", "artist"]
    assert all(s.uuid and s.locations for s in sections)


def test_section_all_pages_past_150_items(emu, plex):
    movies = plex.library.section("Movies")
    items = movies.all(container_size=50)
    assert len(items) == movies.totalViewSize() == 200
    assert len({m.ratingKey for m in items}) == 200
    pages = [
        p
        for m, p, _h in emu.requests
        if p.startswith("/library/sections/1/all?includeGuids=1&type=1")
    ]
    assert len(pages) >= 4


def test_paging_offset_and_maxresults(plex):
    movies = plex.library.section("Movies")
    first = movies.search(maxresults=5)
    window = movies.search(container_start=3, container_size=2, maxresults=2)
    assert len(first) == 5
    assert [m.ratingKey for m in window] == [m.ratingKey for m in first[3:5]]


def test_title_search_and_get_trust_server_filter(plex):
    movies = plex.library.section("Movies")
    target = movies.all()[17]
    assert movies.get(target.title).title == target.title
    word = target.title.split()[-1]
    assert all(word.lower() in m.title.lower() for m in movies.search(title=word))


def test_genre_filter_sort_and_meta(plex):
    movies = plex.library.section("Movies")
    action = movies.search(genre="Action", sort="addedAt:desc")
    assert action and all("Action" in [g.tag for g in m.genres] for m in action)
    added = [m.addedAt for m in action]
    assert added == sorted(added, reverse=True)
    assert {c.title for c in movies.listFilterChoices("genre")} >= {"Action", "Drama"}
    assert "addedAt" in [s.key for s in movies.listSorts()]


def test_boolean_and_integer_filters(plex):
    movies = plex.library.section("Movies")
    found = movies.search(filters={"unwatched": True, "year>>": 1999})
    assert found and all(m.year > 1999 and not m.isPlayed for m in found)


def test_recently_added_and_on_deck(plex):
    movies = plex.library.section("Movies")
    recent = movies.recentlyAdded(maxresults=5)
    assert len(recent) == 5 and recent[0].addedAt >= recent[-1].addedAt
    deck = plex.library.onDeck()
    assert deck and all(i.viewOffset > 0 and i.librarySectionID for i in deck)
    assert plex.library.recentlyAdded()


def test_metadata_nesting_media_part_stream(plex):
    movie = plex.library.section("Movies").all()[0]
    movie.reload()
    part = movie.media[0].parts[0]
    kinds = {s.streamType for s in part.streams}
    assert {1, 2} <= kinds
    assert movie.media[0].videoResolution in {"480", "720", "1080", "4k"}
    assert part.key.startswith("/library/parts/") and movie.summary and movie.duration > 0
    assert movie.librarySectionID == 1 and movie.ratingKey and movie.type == "movie"


def test_fetch_item_and_unknown_item_not_found(plex):
    assert plex.fetchItem(1).ratingKey == 1
    with pytest.raises(NotFound):
        plex.fetchItem(999_999)


def test_tv_hierarchy(plex):
    show = plex.library.section("TV Shows").all()[0]
    seasons = show.seasons()
    assert seasons and seasons[0].parentRatingKey == show.ratingKey
    episodes = seasons[0].episodes()
    assert (
        episodes[0].grandparentTitle == show.title and episodes[0].seasonNumber == seasons[0].index
    )
    assert len(show.episodes()) == show.leafCount
    assert show.onDeck() is not None or show.isPlayed


def test_music_hierarchy(plex):
    artist = plex.library.section("Music").all()[0]
    albums = artist.albums()
    assert albums and all(a.parentRatingKey == artist.ratingKey for a in albums)
    tracks = albums[0].tracks()
    assert tracks[0].grandparentTitle == artist.title and tracks[0].media[0].parts[0].streams
    assert len(artist.tracks()) >= len(tracks)


def test_hub_search(plex):
    title = plex.library.section("Movies").all()[5].title
    results = plex.search(title, limit=3)
    assert title in [r.title for r in results]
    assert all(getattr(r, "librarySectionID", 1) for r in results)


def test_images_and_photo_transcode(emu, plex):
    movie = plex.library.section("Movies").all()[0]
    reply = requests.get(plex.url(movie.thumb, includeToken=True), timeout=5)
    assert reply.status_code == 200 and reply.content.startswith(b"\x89PNG")
    reply = requests.get(plex.transcodeImage(movie.thumb, 30, 20), timeout=5)
    assert reply.content.startswith(b"\x89PNG")


def test_direct_play_and_transcode_urls_serve_real_media(plex):
    movie = plex.library.section("Movies").all()[0]
    track = plex.library.section("Music").searchTracks(maxresults=1)[0]
    video = requests.get(plex.url(movie.media[0].parts[0].key, includeToken=True), timeout=5)
    assert video.content.startswith(MATROSKA)
    for url in (track.getStreamURL(), movie.getStreamURL(maxVideoBitrate=2000)):
        master = requests.get(url, timeout=5).text.splitlines()
        assert master[0] == "#EXTM3U" and master[1].startswith("#EXT-X-STREAM-INF:")
        base = url.split("start.m3u8")[0] + master[2].rsplit("/", 1)[0] + "/"
        segment = requests.get(base + "00000.mkv", timeout=5)
        assert segment.content.startswith(MATROSKA)


def test_emulator_find_returns_rating_key(emu, plex):
    movie = plex.library.section("Movies").all()[9]
    assert plex.fetchItem(int(emu.find(movie.title))).title == movie.title


def test_first_character_counts_cover_the_section(plex):
    """plexapi's section.firstCharacter() reads FirstCharacter rows (key, title, size)."""
    section = plex.library.section("Movies")
    letters = section.firstCharacter()
    assert letters and all(len(fc.key) == 1 and int(fc.size) > 0 for fc in letters)
    assert sum(int(fc.size) for fc in letters) == section.totalViewSize()
    keys = [fc.key for fc in letters]
    assert keys == sorted(keys, key=lambda k: (k != "#", k))
