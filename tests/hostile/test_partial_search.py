"""Hub search against an answer of the shape real servers send: one search, one request.

PMS answers /hubs/search with partial items (no Media, fewer attributes) and with hubs of
tags and collections. plexapi reloads a partial object whenever an attribute it reads is
missing, so careless conversion costs a GET /library/metadata/K per hit. The shape below
follows plex-api.md §2.4 (hubs, `reason*` attributes, tag Directories) and PMS 1.40.
"""

from __future__ import annotations

import pytest
from aiohttp import web

from plextui.plex.server import PlexService

ROOT = (
    '<MediaContainer size="0" friendlyName="Real shape" machineIdentifier="5e1f0c7a9b"'
    ' version="1.40.0.7998" platform="Linux"/>'
)
HUBS = """<MediaContainer size="9">
<Hub title="Movies" type="movie" hubIdentifier="movie" context="" size="2" more="0" style="shelf">
<Video allowSync="1" librarySectionID="1" librarySectionTitle="Movies" librarySectionUUID="0d2b" score="0.95" ratingKey="101" key="/library/metadata/101" guid="plex://movie/5d7768" type="movie" title="Heat" contentRating="R" summary="A group of high-end professional thieves." rating="8.7" audienceRating="9.4" year="1995" thumb="/library/metadata/101/thumb/1700000000" art="/library/metadata/101/art/1700000000" duration="10227000" originallyAvailableAt="1995-12-15" addedAt="1700000000" updatedAt="1700000000" />
<Video allowSync="1" librarySectionID="1" librarySectionTitle="Movies" librarySectionUUID="0d2b" score="0.61" reason="actor" reasonTitle="Al Pacino" reasonID="4242" ratingKey="102" key="/library/metadata/102" guid="plex://movie/5d7769" type="movie" title="Heat Wave" year="2008" thumb="/library/metadata/102/thumb/1700000000" duration="5400000" addedAt="1700000100" viewOffset="60000" lastViewedAt="1700000200" />
</Hub>
<Hub title="Shows" type="show" hubIdentifier="show" context="" size="1" more="0" style="shelf">
<Directory librarySectionID="2" librarySectionTitle="TV Shows" score="0.8" ratingKey="201" key="/library/metadata/201/children" guid="plex://show/5d9c" type="show" title="Heat of the Night" year="1988" thumb="/library/metadata/201/thumb/1700000000" leafCount="142" viewedLeafCount="3" childCount="7" addedAt="1700000000" />
</Hub>
<Hub title="Episodes" type="episode" hubIdentifier="episode" context="" size="1" more="0" style="shelf">
<Video librarySectionID="2" librarySectionTitle="TV Shows" score="0.7" ratingKey="301" key="/library/metadata/301" parentRatingKey="202" grandparentRatingKey="201" guid="plex://episode/5d9c" type="episode" title="The Heat Is On" grandparentTitle="Heat of the Night" parentTitle="Season 1" index="4" parentIndex="1" year="1988" thumb="/library/metadata/301/thumb/1700000000" grandparentThumb="/library/metadata/201/thumb/1700000000" duration="2880000" addedAt="1700000000" />
</Hub>
<Hub title="Artists" type="artist" hubIdentifier="artist" context="" size="1" more="0" style="shelf">
<Directory librarySectionID="3" librarySectionTitle="Music" score="0.6" ratingKey="401" key="/library/metadata/401/children" type="artist" title="Heatwave" thumb="/library/metadata/401/thumb/1700000000" addedAt="1700000000" />
</Hub>
<Hub title="Tracks" type="track" hubIdentifier="track" context="" size="1" more="0" style="shelf">
<Track librarySectionID="3" score="0.5" ratingKey="501" key="/library/metadata/501" parentRatingKey="402" grandparentRatingKey="401" type="track" title="Boogie Nights (Heat Mix)" grandparentTitle="Heatwave" parentTitle="Too Hot to Handle" index="1" parentIndex="1" duration="301000" addedAt="1700000000" />
</Hub>
<Hub title="Collections" type="collection" hubIdentifier="collection" context="" size="1" more="0" style="shelf">
<Directory librarySectionID="1" score="0.4" ratingKey="601" key="/library/collections/601/children" type="collection" title="Heat Collection" subtype="movie" childCount="3" addedAt="1700000000" />
</Hub>
<Hub title="Playlists" type="playlist" hubIdentifier="playlist" context="" size="1" more="0" style="shelf">
<Playlist ratingKey="701" key="/playlists/701/items" type="playlist" title="Heat Mix" playlistType="audio" smart="0" leafCount="12" duration="3600000" addedAt="1700000000" />
</Hub>
<Hub title="Actors" type="actor" hubIdentifier="actor" context="" size="1" more="0" style="shelf">
<Directory id="4242" filter="actor=4242" tag="Al Pacino" tagType="6" thumb="https://metadata-static.plex.tv/p/people/x.jpg" score="0.3" />
</Hub>
<Hub title="Genres" type="genre" hubIdentifier="genre" context="" size="1" more="0" style="shelf">
<Directory id="88" filter="genre=88" tag="Heat Drama" tagType="1" score="0.2" />
</Hub>
<Hub title="Albums" type="album" hubIdentifier="album" context="" size="0" more="0" style="shelf" />
</MediaContainer>"""
FULL = (
    '<MediaContainer size="1" librarySectionID="1"><Video ratingKey="{key}"'
    ' key="/library/metadata/{key}" type="movie" title="Heat" year="1995" duration="10227000"'
    ' summary="A group of high-end professional thieves." librarySectionID="1">'
    '<Media id="7" videoResolution="1080" videoCodec="h264" audioCodec="dca" container="mkv"'
    ' bitrate="9000" width="1920" height="800" duration="10227000"><Part id="8"'
    ' key="/library/parts/8/1/file.mkv" size="11500000000" container="mkv"><Stream id="9"'
    ' streamType="2" codec="dca" language="English" selected="1"/></Part></Media></Video>'
    "</MediaContainer>"
)


@pytest.fixture
async def real_shape():
    """A tiny server with real-shape answers that records every request path."""
    seen: list[str] = []

    async def answer(request: web.Request) -> web.Response:
        seen.append(request.path)
        if request.path == "/":
            return web.Response(text=ROOT, content_type="text/xml")
        if request.path == "/hubs/search":
            return web.Response(text=HUBS, content_type="text/xml")
        if request.path.startswith("/library/metadata/"):
            key = request.path.rsplit("/", 1)[1]
            return web.Response(text=FULL.format(key=key), content_type="text/xml")
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    service = PlexService(
        f"http://127.0.0.1:{runner.addresses[0][1]}", "t", client_id="plextui-shape", timeout=5
    )
    await service.connect()
    seen.clear()
    yield service, seen
    service.close()
    await runner.cleanup()


async def test_one_search_is_one_request(real_shape):
    service, seen = real_shape
    found = await service.search("heat", limit=10)
    assert seen == ["/hubs/search"]
    assert [(i.kind, i.rating_key, i.title) for i in found] == [
        ("movie", "101", "Heat"),
        ("movie", "102", "Heat Wave"),
        ("show", "201", "Heat of the Night"),
        ("episode", "301", "The Heat Is On"),
        ("artist", "401", "Heatwave"),
        ("track", "501", "Boogie Nights (Heat Mix)"),
        ("playlist", "701", "Heat Mix"),
    ]  # the collection and the actor and genre tags are not rows to play
    heat, wave, _show, episode = found[:4]
    assert (heat.year, heat.duration_ms, heat.library_key, heat.media) == (1995, 10227000, "1", ())
    assert wave.view_offset_ms == 60000
    assert (episode.grandparent_title, episode.parent_index, episode.index) == (
        "Heat of the Night",
        1,
        4,
    )


async def test_details_cost_one_request_for_the_item_looked_at(real_shape):
    service, seen = real_shape
    heat = (await service.search("heat"))[0]
    full = await service.item(heat.rating_key)
    assert seen == ["/hubs/search", "/library/metadata/101"]
    assert full.media[0].resolution == "1080" and full.streams[0].language == "English"
