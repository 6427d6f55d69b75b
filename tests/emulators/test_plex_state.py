"""Watch state, playlists, play queues, history, prefs, accounts and statistics through plexapi."""

from __future__ import annotations

import plexapi
import pytest
import requests
from plexapi.exceptions import BadRequest, NotFound
from plexapi.playqueue import PlayQueue
from plexapi.server import PlexServer


@pytest.fixture
def server(fresh):
    emu = fresh(size=300)
    return emu, PlexServer(emu.url, emu.token, timeout=10)


def test_scrobble_unscrobble_progress_rate(server):
    _emu, plex = server
    movie = plex.library.section("Movies").all()[0]
    movie.markPlayed()
    movie.reload()
    assert movie.isPlayed and movie.viewCount >= 1
    movie.markUnplayed()
    movie.reload()
    assert not movie.isPlayed
    movie.updateProgress(60_000)
    assert movie.reload().viewOffset == 60_000
    movie.rate(8)
    assert movie.reload().userRating == 8.0


def test_show_scrobble_marks_every_episode(server):
    _emu, plex = server
    show = plex.library.section("TV Shows").all()[0]
    show.markPlayed()
    assert all(e.isPlayed for e in show.episodes())


def test_update_timeline_creates_session_for_the_reporting_client(server):
    emu, plex = server
    movie = plex.library.section("Movies").all()[1]
    movie.updateTimeline(60_000, state="playing", duration=movie.duration)
    sessions = plex.sessions()
    assert [s.ratingKey for s in sessions] == [movie.ratingKey]
    assert (
        sessions[0].viewOffset == 60_000
        and sessions[0].players[0].product == plexapi.X_PLEX_PRODUCT
    )
    movie.updateTimeline(70_000, state="stopped", duration=movie.duration)
    assert plex.sessions() == [] and movie.reload().viewOffset == 70_000


def test_playlist_lifecycle(server):
    _emu, plex = server
    movies = plex.library.section("Movies").all()[:4]
    pl = plex.createPlaylist("Weekend", items=movies[:3])
    assert (
        pl.title == "Weekend"
        and not pl.smart
        and [i.ratingKey for i in pl.items()] == [m.ratingKey for m in movies[:3]]
    )
    assert all(i.playlistItemID for i in pl.items())
    pl.addItems([movies[3]])
    pl.reload()
    assert len(pl.items()) == 4
    pl.removeItems([pl.items()[0]])
    pl.reload()
    first, second = pl.items()[:2]
    pl.moveItem(first, after=second)
    pl.reload()
    assert [i.ratingKey for i in pl.items()][:2] == [second.ratingKey, first.ratingKey]
    assert plex.playlist("Weekend").ratingKey == pl.ratingKey
    pl.delete()
    with pytest.raises(NotFound):
        plex.playlist("Weekend")


def test_seeded_playlists_exist(server):
    _emu, plex = server
    kinds = {p.title: p.playlistType for p in plex.playlists()}
    assert kinds == {"Movie Night": "video", "Binge Queue": "video", "Kitchen Mix": "audio"}


def test_play_queue_offset_indexes_selected_item(server):
    _emu, plex = server
    movies = plex.library.section("Movies").all()[:4]
    pq = plex.createPlayQueue(movies, startItem=movies[2])
    assert pq.playQueueSelectedItemOffset == 2 and pq.selectedItem.ratingKey == movies[2].ratingKey
    assert all(i.playQueueItemID for i in pq.items)
    again = PlayQueue.get(plex, pq.playQueueID)
    assert again.playQueueTotalCount == 4
    pq.addItem(movies[0], playNext=True)
    assert pq.playQueueTotalCount == 5 and pq.playQueueVersion == 2
    pq.removeItem(pq.items[-1])
    assert pq.playQueueTotalCount == 4


def test_play_queue_from_playlist(server):
    _emu, plex = server
    pl = plex.playlist("Kitchen Mix")
    pq = plex.createPlayQueue(pl)
    assert pq.playQueueTotalCount == len(pl.items())


def test_history_filters_and_delete(server):
    _emu, plex = server
    everything = plex.history()
    assert len({h.accountID for h in everything}) > 1
    alice = plex.history(accountID=2)
    assert alice and all(h.accountID == 2 for h in alice)
    newest = plex.history(maxresults=3)
    assert [h.viewedAt for h in newest] == sorted((h.viewedAt for h in newest), reverse=True)
    item = plex.fetchItem(everything[0].ratingKey)
    assert all(h.ratingKey == item.ratingKey for h in item.history())
    movies_only = plex.history(librarySectionID=1)
    assert all(h.librarySectionID == 1 for h in movies_only)
    newest[0].delete()
    assert len(plex.history()) == len(everything) - 1


def test_prefs_get_and_set(server):
    emu, plex = server
    assert plex.settings.get("FriendlyName").value == plex.friendlyName
    setting = plex.settings.get("MaxStreamingSessions")
    setting.set(3)
    plex.settings.save()
    again = PlexServer(emu.url, emu.token, timeout=10)
    assert again.settings.get("MaxStreamingSessions").value == 3
    assert plex.settings.get("allowDirectPlay").value is True
    with pytest.raises(BadRequest):
        plex.query("/:/prefs?NoSuchPref=1", method=plex._session.put)


def test_accounts_account_and_token(server):
    _emu, plex = server
    assert [a.name for a in plex.systemAccounts()][:2] == ["demo", "alice"]
    assert plex.account().username
    assert plex.createToken().startswith("transient-")


def test_clients_lists_players_with_ports(server):
    emu, plex = server
    clients = plex.clients()
    assert {c.title for c in clients} == {"Living Room TV", "Kitchen Plexamp"}
    assert all(c._baseurl == p.url for c, p in zip(clients, emu.players, strict=True))


def test_bandwidth_and_resources_statistics(server):
    emu, plex = server
    emu.add_session(user="alice", transcode=True, lan=False)
    emu.advance(12)
    rows = plex.bandwidth()
    assert rows and all(r.bytes > 0 for r in rows)
    assert not any(r.lan for r in rows)
    assert plex.resources()[0].hostCpuUtilization > 0


def test_foreign_session_has_user_player_transcode(server):
    emu, plex = server
    emu.add_session(user="bob", player_name="Bedroom Roku", transcode=True, lan=False)
    session = plex.sessions()[0]
    assert session.usernames == ["bob"] and session.players[0].title == "Bedroom Roku"
    assert session.session.location == "wan" and session.session.bandwidth > 0
    transcode = session.transcodeSession
    assert transcode.videoDecision == "transcode" and transcode.speed >= 0
    assert isinstance(transcode.throttled, bool)
    assert plex.transcodeSessions()[0].key
    assert emu.sessions()[0]["user"] == "bob"


def test_terminate_session(server):
    emu, plex = server
    emu.add_session(user="carol")
    session = plex.sessions()[0]
    session.stop(reason="Go Away")
    assert plex.sessions() == []


def test_unknown_ids_are_404(server):
    emu, plex = server
    for path in (
        "/playlists/424242/items",
        "/playQueues/424242",
        "/library/metadata/424242/children",
        "/library/sections/9/all",
        "/no/such/thing",
    ):
        with pytest.raises(NotFound):
            plex.query(path)
    reply = requests.get(f"{emu.url}/library/metadata/999999?X-Plex-Token={emu.token}", timeout=5)
    assert reply.status_code == 404 and "404 Not Found" in reply.text
