"""Options are options: only real filter fields narrow a section listing (issue 15, item 9)."""

from __future__ import annotations

import pytest
import requests

OPTIONS = (
    "nocache=1&includeGuids=1&skipRefresh=1&checkFiles=1&excludeAllLeaves=1&asyncAugmentMetadata=1"
    "&includeCollections=1&includeExternalMedia=1&includeAdvanced=1&X-Plex-Product=Plex%20Web"
    "&X-Plex-Features=external-media&X-Plex-Language=en&X-Plex-Text-Format=plain"
)


def listing(emu, path: str, **headers) -> requests.Response:
    reply = requests.get(
        f"{emu.url}{path}", headers={"X-Plex-Token": emu.token} | headers, timeout=5
    )
    assert reply.status_code == 200, reply.text
    return reply


def test_client_options_never_filter_and_size_is_paging(emu):
    reply = listing(
        emu,
        "/library/sections/1/all?nocache=1&includeGuids=1&skipRefresh=1&X-Plex-Container-Size=5",
    )
    assert reply.text.count("<Video ") == 5
    assert 'totalSize="200"' in reply.text
    assert reply.headers["X-Plex-Container-Total-Size"] == "200"


@pytest.mark.parametrize("option", OPTIONS.split("&"))
def test_each_option_alone_keeps_every_item(emu, option):
    reply = listing(emu, f"/library/sections/1/all?{option}&X-Plex-Container-Size=0")
    assert 'totalSize="200"' in reply.text


def test_paging_with_the_options_clients_add(emu, plex):
    movies = plex.library.section("Movies").all()
    start = listing(
        emu, f"/library/sections/1/all?{OPTIONS}&X-Plex-Container-Start=10&X-Plex-Container-Size=3"
    )
    assert 'offset="10"' in start.text and 'size="3"' in start.text
    keys = [m.ratingKey for m in movies[10:13]]
    assert [int(k) for k in _rating_keys(start.text)] == keys
    by_header = listing(
        emu,
        f"/library/sections/1/all?{OPTIONS}",
        **{"X-Plex-Container-Start": "10", "X-Plex-Container-Size": "3"},
    )
    assert _rating_keys(by_header.text) == _rating_keys(start.text)


def test_type_and_real_filters_still_filter(emu, plex):
    episodes = listing(emu, f"/library/sections/2/all?type=4&{OPTIONS}&X-Plex-Container-Size=0")
    shows = listing(emu, f"/library/sections/2/all?{OPTIONS}&X-Plex-Container-Size=0")
    assert _total(episodes.text) > _total(shows.text) > 0
    year = plex.library.section("Movies").all()[0].year
    found = listing(emu, f"/library/sections/1/all?year={year}&{OPTIONS}")
    assert 0 < found.text.count("<Video ") < 200
    assert all(f'year="{year}"' in v for v in found.text.split("<Video ")[1:])


def test_unknown_parameters_are_ignored_like_options(emu):
    reply = listing(emu, "/library/sections/1/all?someNewClientFlag=1&X-Plex-Container-Size=0")
    assert 'totalSize="200"' in reply.text


def test_actor_and_director_filters_match_the_tags_items_carry(plex):
    movies = plex.library.section("Movies")
    movie = movies.all()[3]
    movie.reload()
    actor, director = movie.roles[0], movie.directors[0]
    by_actor = movies.search(filters={"actor": actor.id})
    assert movie.ratingKey in [m.ratingKey for m in by_actor]
    assert 0 < len(by_actor) < 200
    for found in by_actor[:5]:
        found.reload()
        assert actor.id in [r.id for r in found.roles]
    by_director = movies.search(filters={"director": director.id})
    assert movie.ratingKey in [m.ratingKey for m in by_director] and len(by_director) < 200


def _rating_keys(text: str) -> list[str]:
    return [part.split('"', 1)[0] for part in text.split('<Video ratingKey="')[1:]]


def _total(text: str) -> int:
    return int(text.split('totalSize="', 1)[1].split('"', 1)[0])
