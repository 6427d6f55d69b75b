"""Routes PMS has and clients call (issue 15, items 10 and 11), through plexapi and plain HTTP."""

from __future__ import annotations

import re

import plexapi
import pytest
import requests
from plexapi.exceptions import BadRequest, Unauthorized
from plexapi.server import PlexServer


def http(emu, path: str, token: str | None = None, **headers) -> requests.Response:
    return requests.get(
        f"{emu.url}{path}", headers={"X-Plex-Token": token or emu.token} | headers, timeout=10
    )


def test_sections_all_and_a_sections_own_listing(emu, plex):
    assert plex.library.sectionByID(2).title == "TV Shows"
    same = plex.query("/library/sections/all")
    assert [d.get("key") for d in same] == [str(s.key) for s in plex.library.sections()]
    listing = plex.query("/library/sections/1")
    keys = [d.get("key") for d in listing]
    assert listing.get("librarySectionID") == "1" and listing.get("content") == "secondary"
    assert {"all", "onDeck", "recentlyAdded", "genre"} <= set(keys)
    for key in ("all", "onDeck", "recentlyAdded", "genre", "firstCharacter"):
        assert http(emu, f"/library/sections/1/{key}").status_code == 200, key
    assert http(emu, "/library/sections/9").status_code == 404


def test_grandchildren_are_a_shows_episodes_and_an_artists_tracks(plex):
    show = plex.library.section("TV Shows").all()[0]
    episodes = plex.fetchItems(f"/library/metadata/{show.ratingKey}/grandchildren")
    assert [e.ratingKey for e in episodes] == [e.ratingKey for e in show.episodes()]
    artist = plex.library.section("Music").all()[0]
    tracks = plex.fetchItems(f"/library/metadata/{artist.ratingKey}/grandchildren")
    assert tracks and {t.type for t in tracks} == {"track"}
    assert [t.ratingKey for t in tracks] == [t.ratingKey for t in artist.tracks()]


def test_global_hubs_by_identifier_and_section_hubs(plex):
    every = plex.library.hubs()
    idents = [h.hubIdentifier for h in every]
    assert idents[:2] == ["home.continue", "home.ondeck"] and "home.movies.recent" in idents
    (recent,) = plex.library.hubs(identifier="home.movies.recent")
    assert recent.title == "Recently Added Movies" and recent.size == 6 and recent.more is True
    shown = recent.hubKey.rsplit("/", 1)[1].split(",")
    everything = recent.items()  # more=1: plexapi fetches the hub's key for the whole shelf
    assert [str(m.ratingKey) for m in everything[:6]] == shown and len(everything) == 200
    both = plex.library.hubs(identifier=["home.ondeck", "home.music.recent"])
    assert [h.hubIdentifier for h in both] == ["home.ondeck", "home.music.recent"]
    section_hubs = plex.library.section("Movies").hubs()
    assert [h.hubIdentifier for h in section_hubs] == [
        "movie.recentlyadded", "movie.inprogress", "movie.recentlyreleased", "movie.toprated",
        "movie.collections",
    ]  # fmt: skip


def test_devices_lists_the_household_and_every_client_seen(plex):
    devices = plex.systemDevices()
    assert {d.name for d in devices} >= {"Living Room TV", "Bedroom Roku"}
    # plexapi's identity is a process global that other tests in this worker may set
    sent = plexapi.BASE_HEADERS
    ours = next(d for d in devices if d.clientIdentifier == sent["X-Plex-Client-Identifier"])
    assert ours.name == sent["X-Plex-Device-Name"] and ours.key == f"/devices/{ours.id}"
    assert len({d.id for d in devices}) == len(devices)


def test_activities_list_running_work(fresh):
    emu = fresh(size=30)
    plex = PlexServer(emu.url, emu.token, timeout=10)
    assert plex.activities == []
    emu.core.activities["scan-1"] = {
        "uuid": "scan-1", "type": "library.update.section", "cancellable": False, "userID": 1,
        "title": "Scanning Movies", "subtitle": "", "progress": 40,
        "Context": {"librarySectionID": "1"},
    }  # fmt: skip
    (activity,) = plex.activities
    assert (activity.uuid, activity.progress, activity.cancellable) == ("scan-1", 40, False)
    body = http(emu, "/activities", Accept="application/json").json()["MediaContainer"]
    assert body["Activity"][0]["Context"] == {"librarySectionID": "1"}


def test_sidecar_subtitles_the_metadata_advertises_are_served(emu, plex):
    movie = next(m for m in plex.library.section("Movies").all() if int(m.ratingKey) % 3 == 2)
    movie.reload()
    subtitles = movie.media[0].parts[0].subtitleStreams()  # two languages and a forced one
    assert len(subtitles) == 3 and all(s.key for s in subtitles)
    reply = requests.get(plex.url(subtitles[1].key, includeToken=True), timeout=5)
    assert reply.status_code == 200
    blocks = reply.text.strip().split("\n\n")
    assert len(blocks) == 4
    for n, block in enumerate(blocks, 1):
        number, times, text = block.split("\n", 2)
        assert int(number) == n and text
        assert re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", times)
    assert subtitles[1].language in reply.text
    vtt = http(emu, f"{subtitles[0].key}.vtt")
    assert vtt.text.startswith("WEBVTT\n") and " --> " in vtt.text
    video_stream = movie.videoStreams()[0]
    assert http(emu, f"/library/streams/{video_stream.id}").status_code == 404
    assert http(emu, "/library/streams/1").status_code == 404


@pytest.mark.parametrize(
    ("query", "general", "direct", "transcode"),
    [
        ("", (1000, "Direct play OK."), (1000, "Direct play OK."), None),
        (
            "&directPlay=0",
            (1001, "Direct play not available; Conversion OK."),
            (3000, "App cannot direct play this item. Direct play is disabled."),
            (1001, "Direct play not available; Conversion OK."),
        ),
        (
            "&maxVideoBitrate=64",
            (1001, "Direct play not available; Conversion OK."),
            (3001, "Not enough bandwidth for direct play of this item."),
            (1001, "Direct play not available; Conversion OK."),
        ),
    ],
)
def test_transcode_decision_codes(emu, plex, query, general, direct, transcode):
    movie = plex.library.section("Movies").all()[0]
    data = plex.query(
        f"/video/:/transcode/universal/decision?path=/library/metadata/{movie.ratingKey}{query}"
    )
    assert (int(data.get("generalDecisionCode")), data.get("generalDecisionText")) == general
    assert int(data.get("directPlayDecisionCode")) == direct[0]
    assert data.get("directPlayDecisionText").startswith(direct[1])
    if transcode is None:
        assert data.get("transcodeDecisionCode") is None
    else:
        assert (
            int(data.get("transcodeDecisionCode")),
            data.get("transcodeDecisionText"),
        ) == transcode
    part = data.find("Video/Media/Part")
    assert part.get("decision") == ("directplay" if transcode is None else "transcode")


def test_decision_without_a_path_is_a_bad_request(plex):
    with pytest.raises(BadRequest):
        plex.query("/video/:/transcode/universal/decision")


def test_hls_master_media_playlist_and_segment(emu, plex):
    movie = plex.library.section("Movies").all()[0]
    master = requests.get(
        movie.getStreamURL(maxVideoBitrate=2000, videoResolution="1280x720"), timeout=5
    )
    assert master.headers["Content-Type"].startswith("application/vnd.apple.mpegurl")
    lines = master.text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[1].startswith("#EXT-X-STREAM-INF:") and "BANDWIDTH=2000000" in lines[1]
    assert "RESOLUTION=1280x720" in lines[1]
    base = master.url.split("start.m3u8")[0]
    media = requests.get(base + lines[2], timeout=5)  # relative, without the token, as players do
    assert media.status_code == 200
    text = media.text
    assert "#EXT-X-ENDLIST" in text and "#EXT-X-PLAYLIST-TYPE:VOD" in text
    seconds = float(re.search(r"#EXTINF:([\d.]+),", text).group(1))
    assert seconds == pytest.approx(movie.duration / 1000, abs=0.01)
    segment_name = text.strip().splitlines()[-2]
    segment = requests.get(base + lines[2].rsplit("/", 1)[0] + "/" + segment_name, timeout=10)
    assert segment.status_code == 200 and segment.content[:4] == b"\x1a\x45\xdf\xa3"
    unknown = requests.get(base + "session/nope/base/index.m3u8", timeout=5)
    assert unknown.status_code == 404


def test_transient_tokens_are_accepted_until_restart(fresh):
    emu = fresh(size=30)
    plex = PlexServer(emu.url, emu.token, timeout=10)
    transient = plex.createToken()
    assert transient.startswith("transient-")
    as_transient = PlexServer(emu.url, transient, timeout=10)
    assert as_transient.library.section("Movies").totalViewSize() > 0
    assert http(emu, "/security/token?type=other&scope=all").status_code == 400
    emu.add_user_token("home-user", 3, "bob")
    from_user = http(emu, "/security/token?type=delegation&scope=all", token="home-user")
    user_transient = from_user.text.split('token="')[1].split('"')[0]
    assert emu.core.account_of(user_transient) == (3, "bob")
    with pytest.raises(Unauthorized):
        PlexServer(emu.url, "transient-made-up", timeout=10)
    emu.restart()
    assert http(emu, "/library/sections", token=transient).status_code == 401
    assert http(emu, "/library/sections").status_code == 200


def test_hub_search_items_are_partial_and_details_cost_one_fetch(emu, plex):
    title = plex.library.section("Movies").all()[5].title
    results = plex.search(title, mediatype="movie", limit=3)
    hit = next(r for r in results if r.title == title)
    assert hit.isPartialObject() and hit.librarySectionID and hit.duration
    before = len(emu.requests)
    assert hit.summary  # not in the search answer: plexapi fetches the item's key once
    fetched = [p for _m, p, _h in emu.requests[before:]]
    assert len(fetched) == 1 and fetched[0].startswith(f"/library/metadata/{hit.ratingKey}")
    raw = http(emu, f"/hubs/search?query={title}").text
    item = raw.split("<Video ", 1)[1].split("/>", 1)[0]
    assert (
        "summary=" not in item
        and "rating=" not in item
        and "<Part " not in raw
        and "<Genre " not in raw
    )
    assert f'title="{title}"' in item and "addedAt=" in item and "key=" in item
