"""JSON when asked (issue 15, item 8): PMS's JSON shape, checked against the OpenAPI description."""

from __future__ import annotations

import pytest
import requests

from .plex_openapi import response_errors

JSON = {"Accept": "application/json"}


def get(emu, path: str, headers: dict | None = None, method: str = "GET") -> requests.Response:
    reply = requests.request(
        method,
        f"{emu.url}{path}",
        headers={"X-Plex-Token": emu.token} | (headers or {}),
        timeout=10,
    )
    assert reply.status_code == 200, (path, reply.status_code, reply.text[:200])
    return reply


def answer(emu, path: str, method: str = "GET") -> dict:
    reply = get(emu, path, JSON, method)
    assert reply.headers["Content-Type"].startswith("application/json")
    return reply.json()


# (path as the description spells it, request path)
ROUTES = [
    ("/", "/"),
    ("/identity", "/identity"),
    ("/:/prefs", "/:/prefs"),
    ("/library/sections/all", "/library/sections/all"),
    ("/library/sections/{sectionId}", "/library/sections/1"),
    ("/library/sections/{sectionId}/all", "/library/sections/1/all?X-Plex-Container-Size=5&nocache=1&includeGuids=1"),
    ("/library/sections/{sectionId}/all", "/library/sections/1/all?includeMeta=1&X-Plex-Container-Size=0"),
    ("/library/sections/{sectionId}/all", "/library/sections/2/all?type=4&X-Plex-Container-Size=20"),
    ("/library/sections/{sectionId}/all", "/library/sections/3/all?type=10&X-Plex-Container-Size=20"),
    ("/library/sections/{sectionId}/sorts", "/library/sections/1/sorts"),
    ("/library/sections/{sectionId}/firstCharacters", "/library/sections/1/firstCharacters"),
    ("/library/sections/{sectionId}/collections", "/library/sections/1/collections"),
    ("/library/metadata/{ids}", "/library/metadata/{movie}"),
    ("/library/metadata/{ids}", "/library/metadata/{show}?includeOnDeck=1"),
    ("/library/metadata/{ids}/allLeaves", "/library/metadata/{show}/allLeaves"),
    ("/library/metadata/{ids}/allLeaves", "/library/metadata/{show}/grandchildren"),
    ("/hubs", "/hubs"),
    ("/hubs", "/hubs?identifier=home.movies.recent,home.ondeck&count=3"),
    ("/hubs/sections/{sectionId}", "/hubs/sections/2"),
    ("/hubs/search", "/hubs/search?query=the&limit=5"),
    ("/activities", "/activities"),
    ("/{transcodeType}/:/transcode/universal/decision", "/video/:/transcode/universal/decision?path=/library/metadata/{movie}"),
    ("/{transcodeType}/:/transcode/universal/decision", "/video/:/transcode/universal/decision?path=/library/metadata/{movie}&directPlay=0&hasMDE=1"),
    ("/{transcodeType}/:/transcode/universal/decision", "/music/:/transcode/universal/decision?path=/library/metadata/{track}&maxAudioBitrate=128"),
    ("/status/sessions/history/all", "/status/sessions/history/all?X-Plex-Container-Size=20"),
    ("/playlists", "/playlists"),
]  # fmt: skip


@pytest.fixture(scope="module")
def keys(emu) -> dict:
    lib = emu.library
    show = lib.sections[2].by_type[2][0]
    return {
        "movie": lib.sections[1].by_type[1][0].rk,
        "show": show.rk,
        "track": lib.sections[3].by_type[10][0].rk,
    }


@pytest.mark.parametrize(("spec_path", "path"), ROUTES, ids=[p for _s, p in ROUTES])
def test_json_answers_follow_the_openapi_description(emu, keys, spec_path, path):
    body = answer(emu, path.format(**keys))
    assert list(body) == ["MediaContainer"]
    assert response_errors(spec_path, body) == []


def test_transient_token_answer_and_live_sessions_validate(fresh):
    emu = fresh(size=60)
    emu.add_session(title=None, transcode=True)
    body = answer(emu, "/status/sessions")
    assert body["MediaContainer"]["Metadata"][0]["Player"]["local"] is False
    assert response_errors("/status/sessions", body) == []
    token = answer(emu, "/security/token?type=delegation&scope=all", method="POST")
    assert response_errors("/security/token", token, method="post") == []


def test_done_when_five_items_as_json(emu):
    """The issue's check: curl -H 'Accept: application/json' …/all?X-Plex-Container-Size=5&nocache=1"""
    body = answer(emu, "/library/sections/1/all?X-Plex-Container-Size=5&nocache=1")
    container = body["MediaContainer"]
    assert container["size"] == 5 and len(container["Metadata"]) == 5
    assert container["totalSize"] == 200 and container["offset"] == 0


def test_values_have_the_types_pms_sends(emu, keys):
    movie = answer(emu, f"/library/metadata/{keys['movie']}")["MediaContainer"]
    assert movie["allowSync"] is True and movie["librarySectionID"] == 1
    item = movie["Metadata"][0]
    assert item["ratingKey"] == str(keys["movie"]) and isinstance(item["addedAt"], int)
    assert isinstance(item["rating"], float | int) and isinstance(item["year"], int)
    media = item["Media"][0]
    part = media["Part"][0]
    assert isinstance(media["id"], int) and isinstance(media["optimizedForStreaming"], bool)
    assert isinstance(media["aspectRatio"], float) and media["videoResolution"] in (
        "480",
        "720",
        "1080",
        "4k",
    )
    assert isinstance(part["size"], int) and isinstance(part["Stream"], list)
    video = part["Stream"][0]
    assert video["streamType"] == 1 and video["default"] is True
    assert isinstance(video["frameRate"], float)
    assert {g["tag"] for g in item["Genre"]} and all(
        isinstance(g["id"], int) for g in item["Genre"]
    )
    assert all(g["id"].startswith(("imdb://", "tmdb://", "tvdb://")) for g in item["Guid"])
    prefs = {s["id"]: s for s in answer(emu, "/:/prefs")["MediaContainer"]["Setting"]}
    assert prefs["allowDirectPlay"]["value"] is True
    assert prefs["MaxStreamingSessions"]["value"] == 5
    assert prefs["FriendlyName"]["value"] == emu.friendly_name


def test_shows_and_seasons_are_metadata_and_sections_are_directories(emu, keys):
    sections = answer(emu, "/library/sections")["MediaContainer"]
    assert [d["type"] for d in sections["Directory"]] == ["movie", "show", "artist"]
    assert sections["Directory"][0]["Location"][0]["id"] == 1
    shows = answer(emu, "/library/sections/2/all?X-Plex-Container-Size=2")["MediaContainer"]
    assert "Directory" not in shows and [m["type"] for m in shows["Metadata"]] == ["show", "show"]
    assert isinstance(shows["Metadata"][0]["leafCount"], int)


def test_xml_stays_the_default(emu):
    reply = get(emu, "/library/sections/1/all?X-Plex-Container-Size=1")
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.text.startswith("<?xml") and "<Video " in reply.text
    xml_asked = get(emu, "/library/sections", {"Accept": "text/xml, */*"})
    assert xml_asked.text.startswith("<?xml")


def test_errors_stay_html_and_faults_reach_json(fresh):
    emu = fresh(size=30)
    reply = requests.get(
        f"{emu.url}/library/metadata/99999", headers=JSON | {"X-Plex-Token": emu.token}, timeout=5
    )
    assert reply.status_code == 404 and reply.headers["Content-Type"].startswith("text/html")
    emu.faults.truncated = True
    try:
        broken = requests.get(
            f"{emu.url}/library/sections", headers=JSON | {"X-Plex-Token": emu.token}, timeout=5
        )
    finally:
        emu.faults.truncated = False
    assert broken.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        broken.json()
