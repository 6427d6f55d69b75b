"""Collections, section hubs, category lists and removal from Continue Watching, as PMS
serves them, through unmodified plexapi."""

from __future__ import annotations

import pytest
import requests
from plexapi.server import PlexServer


def test_section_collections_list_and_members(plex):
    movies = plex.library.section("Movies")
    collections = movies.collections()
    assert 2 <= len(collections) <= 4
    first = collections[0]
    assert first.type == "collection" and first.subtype == "movie"
    assert first.title.endswith("Essentials") and first.ratingKey
    members = first.items()
    assert len(members) == first.childCount >= 2
    assert all(m.type == "movie" for m in members)
    genre = first.title.removesuffix(" Essentials")
    assert all(genre in [g.tag for g in m.genres] for m in members)
    years = [m.year for m in members]
    assert years == sorted(years)  # release order
    assert movies.collection(first.title).ratingKey == first.ratingKey


def test_show_collections_and_metadata_route(emu, plex):
    shows = plex.library.section("TV Shows").collections()
    assert shows and all(c.subtype == "show" for c in shows)
    again = plex.fetchItem(shows[0].ratingKey)
    assert again.type == "collection" and again.title == shows[0].title
    url = f"{emu.url}/library/collections/999999/children?X-Plex-Token={emu.token}"
    assert requests.get(url, timeout=5).status_code == 404


def test_a_collection_plays_whole_as_a_play_queue(plex):
    from plexapi.playqueue import PlayQueue

    collection = plex.library.section("Movies").collections()[0]
    queue = PlayQueue.create(plex, collection)
    keys = [i.ratingKey for i in queue.items]
    assert keys == [m.ratingKey for m in collection.items()]


def test_section_hubs_are_the_recommended_shelves(plex):
    hubs = plex.library.section("Movies").hubs()
    titles = [h.title for h in hubs]
    assert titles[0] == "Recently Added Movies"
    assert {"Continue Watching", "Recently Released", "Top Rated", "Collections"} <= set(titles)
    top = next(h for h in hubs if h.title == "Top Rated")
    ratings = [i.rating for i in top.items()]
    assert ratings == sorted(ratings, reverse=True) and ratings


def test_recently_added_per_section_and_category_lists(plex):
    movies = plex.library.section("Movies")
    recent = movies.recentlyAdded(maxresults=5)
    added = [m.addedAt for m in recent]
    assert len(recent) == 5 and added == sorted(added, reverse=True)
    for field in ("genre", "year", "decade", "director", "actor"):
        choices = movies.listFilterChoices(field)
        assert choices, field
    genre = movies.listFilterChoices("genre")[0]
    hits = movies.search(filters={"genre": genre})
    assert hits and all(genre.title in [g.tag for g in m.genres] for m in hits[:5])


def test_remove_from_continue_watching(fresh):
    emu = fresh()
    plex = PlexServer(emu.url, emu.token, timeout=10)
    deck = plex.library.onDeck()
    assert deck
    item = deck[0]
    offset = item.viewOffset
    item.removeFromContinueWatching()
    assert item.ratingKey not in [i.ratingKey for i in plex.library.onDeck()]
    hub = plex.query("/hubs/continueWatching?count=100")[0]
    assert str(item.ratingKey) not in [e.attrib["ratingKey"] for e in hub]
    items = plex.query("/hubs/continueWatching/items")
    assert str(item.ratingKey) not in [e.attrib["ratingKey"] for e in items]
    assert plex.fetchItem(item.ratingKey).viewOffset == offset  # the resume point stays
    emu.clock.advance(60)
    plex.query(f"/:/progress?key={item.ratingKey}&time=60000&identifier=x")
    assert item.ratingKey in [i.ratingKey for i in plex.library.onDeck()]  # watched again


@pytest.mark.parametrize(("query", "status"), [("", 400), ("?ratingKey=999999", 404)])
def test_remove_from_continue_watching_refuses_bad_keys(emu, query, status):
    url = f"{emu.url}/actions/removeFromContinueWatching{query}"
    reply = requests.put(url, headers={"X-Plex-Token": emu.token}, timeout=5)
    assert reply.status_code == status
