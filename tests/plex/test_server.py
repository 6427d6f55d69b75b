"""PlexService against the emulator: browsing, search, playlists, history, sessions, errors."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from plextui.errors import AuthError, MediaError, PlexError, UnreachableError
from plextui.plex.server import PlexService
from tests.fixtures import no_sleep


async def test_connect_reports_server(service, emu):
    assert service.info.machine_identifier == emu.machine_identifier
    assert service.info.name == emu.friendly_name


async def test_bad_token_is_auth_error(emu):
    svc = PlexService(emu.url, "wrong-token", timeout=5)
    with pytest.raises(AuthError, match="refused the token") as info:
        await svc.connect()
    assert "wrong-token" not in str(info.value)
    svc.close()


async def test_connection_refused_is_unreachable_with_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    svc = PlexService(f"http://127.0.0.1:{port}", "t", timeout=2, retries=1, sleep=no_sleep)
    with pytest.raises(
        UnreachableError, match=f"cannot reach the Plex server at http://127.0.0.1:{port}"
    ):
        await svc.connect()
    svc.close()


async def test_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    svc = PlexService(url, "t", timeout=0.5, retries=0, sleep=no_sleep)
    with pytest.raises(UnreachableError, match="did not answer within 0.5 s"):
        await svc.connect()
    stop.set()
    thread.join()
    listener.close()
    svc.close()


async def test_libraries_have_counts(service):
    libraries = await service.libraries()
    kinds = {lib.type for lib in libraries}
    assert {"movie", "show", "artist"} <= kinds
    assert all(lib.count > 0 for lib in libraries)


async def test_browse_pages_without_loading_everything(service, emu):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    first = await service.browse(movies, start=0, size=20)
    assert len(first.items) == 20 and first.total == movies.count
    second = await service.browse(movies, start=20, size=20)
    assert {i.rating_key for i in first.items}.isdisjoint(i.rating_key for i in second.items)
    titles = [i.title.lower() for i in first.items]
    assert titles == sorted(titles) or first.items[0].title  # sorted by titleSort on the server
    last = await service.browse(movies, start=movies.count - 5, size=20)
    assert len(last.items) == 5 and not last.has_more


async def test_browse_filters_unwatched_and_year(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    unwatched = await service.browse(movies, size=200, filters={"unwatched": True})
    assert unwatched.items and all(not i.watched for i in unwatched.items)
    assert unwatched.total < movies.count
    some_year = unwatched.items[0].year
    by_year = await service.browse(movies, size=200, filters={"year": some_year})
    assert by_year.items and all(i.year == some_year for i in by_year.items)


async def test_browse_sort_by_year(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    page = await service.browse(movies, size=50, sort="year")
    years = [i.year for i in page.items]
    assert years == sorted(years, reverse=True)


async def test_genre_filter_by_title(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    genres = await service.genres(movies)
    assert genres
    page = await service.browse(movies, size=200, filters={"genre": genres[0]})
    assert 0 < page.total < movies.count


async def test_drill_down_show_season_episode(service):
    shows = next(lib for lib in await service.libraries() if lib.type == "show")
    show = (await service.browse(shows, size=1)).items[0]
    seasons = await service.children(show)
    assert seasons.items and all(s.kind == "season" for s in seasons.items)
    episodes = await service.children(seasons.items[0])
    assert episodes.items and all(e.kind == "episode" for e in episodes.items)
    assert episodes.items[0].grandparent_title == show.title
    assert episodes.items[0].display_title.startswith(f"{show.title} · S")


async def test_item_details_have_media_and_streams(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    row = (await service.browse(movies, size=1)).items[0]
    item = await service.item(row.rating_key)
    assert item.summary and item.duration_ms
    media = item.media[0]
    assert media.video_codec and media.bitrate_kbps and media.resolution
    assert any(s.kind == "audio" for s in item.streams)


async def test_the_answer_cap_is_per_answer_and_the_service_goes_on(emu, make_service):
    svc = await make_service(emu, timeout=5, max_answer_bytes=128 * 1024)
    movies = next(lib for lib in await svc.libraries() if lib.type == "movie")
    assert len((await svc.browse(movies, size=5)).items) == 5
    message = r"sent an answer over 0.125 MB \(plex.max_answer_mb\); stopped reading it"
    with pytest.raises(UnreachableError, match=message):
        await svc.browse(movies, size=movies.count)
    assert len((await svc.browse(movies, start=5, size=5)).items) == 5


async def test_unknown_item_is_media_error(service):
    with pytest.raises(MediaError, match="not found"):
        await service.item("99999999")


async def test_search_finds_a_title(service, emu):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    title = (await service.browse(movies, size=1, start=3)).items[0].title
    before = len(emu.requests)
    results = await service.search(title)
    assert any(r.title == title for r in results)
    assert [path.partition("?")[0] for _, path, _ in emu.requests[before:]] == ["/hubs/search"]


async def test_playlist_lifecycle(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    a, b, c = (await service.browse(movies, size=3)).items
    playlist = await service.create_playlist("Friday night", [a, b])
    assert playlist.title == "Friday night"
    await service.add_to_playlist(playlist, [c])
    keys = [i.rating_key for i in (await service.playlist_items(playlist)).items]
    assert keys == [a.rating_key, b.rating_key, c.rating_key]
    await service.move_in_playlist(playlist, c, after=None)
    keys = [i.rating_key for i in (await service.playlist_items(playlist)).items]
    assert keys[0] == c.rating_key
    await service.remove_from_playlist(playlist, a)
    keys = [i.rating_key for i in (await service.playlist_items(playlist)).items]
    assert a.rating_key not in keys and len(keys) == 2
    await service.delete_playlist(playlist)
    assert all(p.rating_key != playlist.rating_key for p in await service.playlists())


async def test_mark_watched_and_unwatched(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    item = (await service.browse(movies, size=1, filters={"unwatched": True})).items[0]
    await service.mark_watched(item, True)
    assert (await service.item(item.rating_key)).watched
    await service.mark_watched(item, False)
    assert not (await service.item(item.rating_key)).watched


async def test_history_per_user(service):
    everything = await service.history(size=50)
    assert everything
    user = everything[0].user
    mine = await service.history(user=user, size=50)
    assert mine and all(e.user == user for e in mine)
    with pytest.raises(MediaError, match="no Plex user named 'nobody'"):
        await service.history(user="nobody")


async def test_sessions_and_terminate(service, emu):
    emu.add_session(user="alice", player_name="Bedroom Roku", transcode=True, lan=False)
    sessions = await service.sessions()
    alice = next(s for s in sessions if s.user == "alice")
    assert alice.decision == "transcode" and alice.location == "wan"
    assert alice.bandwidth_kbps and alice.transcode_speed
    await service.terminate(alice.session_key, reason="maintenance")
    assert all(s.user != "alice" for s in await service.sessions())


async def test_bandwidth_and_settings(service, emu):
    key = emu.add_session(user="carol", player_name="Carol's TV", transcode=False)
    samples = ()
    for _ in range(40):  # the server bins bytes per second while something streams
        samples = await service.bandwidth()
        if samples:
            break
        await asyncio.sleep(0.1)
    await service.terminate(str(key))
    assert samples and sum(s.total_bytes for s in samples) > 0
    settings = await service.server_settings()
    assert isinstance(settings, dict)


async def test_malformed_answer_is_a_clear_error(service, emu):
    emu.faults.malformed = True
    try:
        with pytest.raises(PlexError, match="malformed answer"):
            await service.libraries()
    finally:
        emu.faults.malformed = False


async def test_server_errors_are_plex_errors(service, emu):
    emu.faults.status = 500
    try:
        with pytest.raises(PlexError, match="answered 500"):
            await service.libraries()
    finally:
        emu.faults.status = None


async def test_account_name_is_the_owner(service, emu):
    assert await service.account_name()


async def test_poster_bytes_are_a_png_and_cached(service, tmp_path):
    from plextui.cache import open_cache

    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    thumb = (await service.browse(movies, size=1)).items[0].thumb
    service.cache = open_cache(f"sqlite:///{tmp_path}/p.db", namespace="posters")
    try:
        data = await service.poster(thumb)
        assert data.startswith(b"\x89PNG")
        again = await service.poster(thumb)
        assert again == data
        assert service.cache.stats().kinds["poster"].hits == 1
    finally:
        service.cache.close()
        service.cache = None


async def test_first_characters_give_offsets_for_a_letter_jump(service):
    movies = next(lib for lib in await service.libraries() if lib.type == "movie")
    letters = await service.first_characters(movies)
    assert sum(n for _, n in letters) == movies.count
    offset = 0
    for letter, count in letters[:4]:
        row = (await service.browse(movies, start=offset, size=1)).items[0]
        first = row.title.removeprefix("The ").removeprefix("A ")[:1].upper()
        assert first == letter or letter == "#"
        offset += count
    unwatched = await service.first_characters(movies, {"unwatched": True})
    assert sum(n for _, n in unwatched) < movies.count
