"""`continue`, `recent [library]` and a collection played whole, through the Controller
against the emulated PMS and its players (and `ctl` in its own process)."""

from __future__ import annotations

import json

from plextui.core.models import MediaItem
from tests.playerkit import TV, ctl, play_on, players_put_back, run  # noqa: F401


async def test_continue_lists_the_deck_with_where_each_was_left(controller):
    result = await run(controller, "continue")
    deck = (await controller.service.on_deck(20)).items
    assert result.ok and [i.rating_key for i in result.data["items"]] == [
        i.rating_key for i in deck
    ]
    first = result.message.splitlines()[0]
    assert deck[0].display_title in first and " at 00:" in first


async def test_recent_everywhere_and_in_one_library(controller):
    everywhere = await run(controller, "recent")
    assert everywhere.ok and len(everywhere.data["items"]) == 20
    movies = await run(controller, "recent movies")  # any case
    kinds = {i.kind for i in movies.data["items"]}
    assert movies.ok and kinds == {"movie"}
    added = [i.added_at for i in movies.data["items"]]
    assert added == sorted(added, reverse=True)
    assert movies.message.splitlines()[0].startswith("movie    ")


async def test_recent_in_a_library_that_is_not_there_names_the_ones_that_are(controller):
    result = await run(controller, "recent Moviez")
    assert not result.ok
    assert result.message == "no library called 'Moviez'; the libraries are Movies, TV Shows, Music"


async def test_a_collection_plays_whole_on_a_remote_player(controller, emu):
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    collection: MediaItem = (await controller.service.collections(movies)).items[0]
    members = (await controller.service.children(collection)).items
    result = await play_on(controller, collection, TV)
    assert result.ok, result.message
    tv = emu.player(TV)
    assert [rk for _, rk in tv.queue.items] == [int(m.rating_key) for m in members]
    assert tv.current().rk == int(members[0].rating_key)


def test_ctl_continue_json(emu):
    out = ctl(emu, "continue", "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["ok"] and answer["command"] == "continue"
    assert answer["data"]["items"][0]["view_offset_ms"] > 0
