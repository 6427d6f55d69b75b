"""PlexService's other ways into a library, against the emulated PMS: collections, the
section's shelves, category values, recently added per section, the way up from an
episode, and removal from Continue Watching."""

from __future__ import annotations

import pytest

from plextui.cache.sqlite import SqliteCache
from plextui.errors import MediaError


async def section(service, kind: str):
    return next(lib for lib in await service.libraries() if lib.type == kind)


async def an_episode(service):
    shows = await section(service, "show")
    show = (await service.browse(shows, size=1)).items[0]
    season = (await service.children(show)).items[-1]
    return show, season, (await service.children(season)).items[-1]


async def test_collections_list_and_their_members(service):
    movies = await section(service, "movie")
    page = await service.collections(movies)
    assert page.total == len(page.items) >= 2
    first = page.items[0]
    assert first.kind == "collection" and first.leaf_count and first.title.endswith("Essentials")
    members = await service.children(first)
    assert members.total == first.leaf_count
    assert {m.kind for m in members.items} == {"movie"}


async def test_shelves_are_the_sections_hubs_with_their_items(service):
    shelves = await service.shelves(await section(service, "movie"))
    titles = [s.title for s in shelves]
    assert titles[0] == "Recently Added Movies" and "Top Rated" in titles
    collections = next(s for s in shelves if s.title == "Collections")
    assert {i.kind for i in collections.items} == {"collection"}
    assert all(len(s.items) <= 50 for s in shelves)


@pytest.mark.parametrize("kind", ["movie", "show"])
@pytest.mark.parametrize("field", ["genre", "year", "decade", "director", "actor"])
async def test_each_category_value_filters_the_library(service, field, kind):
    movies = await section(service, kind)
    values = await service.categories(movies, field)
    assert values and all(v.field == field and v.key and v.title for v in values)
    value = values[len(values) // 2]
    filtered = await service.browse(movies, size=5, filters={field: value.key})
    everything = await service.browse(movies, size=5)
    assert 0 < filtered.total < everything.total


async def test_an_unknown_category_is_refused(service):
    with pytest.raises(MediaError, match="no category 'mood'"):
        await service.categories(await section(service, "movie"), "mood")


async def test_recently_added_in_one_section_newest_first(service):
    page = await service.section_recent(await section(service, "movie"), 0, 10)
    added = [i.added_at for i in page.items]
    assert len(added) == 10 and added == sorted(added, reverse=True)
    assert {i.kind for i in page.items} == {"movie"}


async def test_an_episode_goes_up_to_its_season_and_show(service):
    show, season, episode = await an_episode(service)
    assert (await service.ancestor(episode, "season")).rating_key == season.rating_key
    assert (await service.ancestor(episode, "show")).rating_key == show.rating_key
    assert (await service.ancestor(season, "show")).rating_key == show.rating_key
    with pytest.raises(MediaError, match="has no show"):
        await service.ancestor(show, "show")


async def test_removing_from_continue_watching_drops_it_from_the_cached_deck(
    make_plex, make_service, tmp_path
):
    emu = make_plex(token="t", size=120, seed=2)
    cache = SqliteCache(tmp_path / "cache.db", emu.machine_identifier)
    service = await make_service(emu, cache=cache)
    before = (await service.on_deck()).items
    told: list[tuple[str, ...]] = []
    service.written.append(told.append)
    await service.remove_from_deck(before[0])
    after = (await service.on_deck()).items
    assert [i.rating_key for i in after] == [i.rating_key for i in before[1:]]
    assert told and "deck" in told[0]
    assert (await service.view_offset(before[0])) == before[0].view_offset_ms  # it stays
