"""`playlist create|add|remove|move|rename|delete|show` through the Controller and `plextui ctl`.

What the server holds afterwards is read back with plexapi (an independent client), not
taken from our own answers; every refusal is checked word for word.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
import requests
from plexapi.server import PlexServer

from plextui.config import RemoteSettings
from plextui.core.commands import parse_command
from plextui.discord.remote.authorizer import Authorizer, Caller
from plextui.errors import CommandError, MediaError
from tests.entry.test_ctl import env_for, plextui


async def run(controller, text):
    return await controller.execute(parse_command(text))


def keys(emu_url: str, token: str, name: str) -> list[str]:
    """The playlist's ratingKeys in order, as plexapi reads them from the server."""
    return [str(i.ratingKey) for i in PlexServer(emu_url, token).playlist(name).items()]


def names(emu_url: str, token: str) -> set[str]:
    return {p.title for p in PlexServer(emu_url, token).playlists()}


async def movies(controller, n: int, start: int = 40):
    """`n` movies whose "Title (Year)" resolves to exactly that movie."""
    section = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    found = []
    for item in (await controller.service.browse(section, size=40, start=start)).items:
        try:
            if (await controller.resolve(item.display_title)).rating_key == item.rating_key:
                found.append(item)
        except MediaError:
            continue
        if len(found) == n:
            return found
    raise AssertionError("not enough distinct movies in the emulated library")


@pytest.fixture
async def trip(controller, emu):
    """A playlist "Road trip" of four movies, made by the command and gone afterwards."""
    a, b, c, d = await movies(controller, 4)
    created = await run(controller, f'playlist create Road trip with "{a.display_title}"')
    assert created.ok, created.message
    for item in (b, c, d):
        assert (await run(controller, f'playlist add "Road trip" {item.display_title}')).ok
    yield [a, b, c, d]
    for playlist in PlexServer(emu.url, emu.token).playlists():
        if playlist.title in ("Road trip", "Summer 2024"):
            playlist.delete()


async def test_create_add_move_remove_rename_delete(controller, emu, trip):
    a, b, c, d = (m.rating_key for m in trip)
    assert keys(emu.url, emu.token, "Road trip") == [a, b, c, d]

    moved = await run(controller, 'playlist move "Road trip" 4 to 1')
    assert moved.ok and moved.data["from"] == 4 and moved.data["to"] == 1
    assert keys(emu.url, emu.token, "Road trip") == [d, a, b, c]
    moved = await run(controller, f'playlist move "Road trip" {trip[1].display_title} to 4')
    assert moved.message == f"Moved {trip[1].display_title} from 3 to 4 of 4 in 'Road trip'"
    assert keys(emu.url, emu.token, "Road trip") == [d, a, c, b]
    same = await run(controller, 'playlist move "Road trip" 2 to 2')
    assert same.ok and same.message.endswith("is already at 2 in 'Road trip'")

    removed = await run(controller, 'playlist remove "Road trip" 2')
    assert removed.message == (
        f"Removed {trip[0].display_title} (was 2) from 'Road trip' (now 3 items)"
    )
    assert removed.data["position"] == 2 and removed.data["playlist"].count == 3
    assert keys(emu.url, emu.token, "Road trip") == [d, c, b]
    by_title = await run(controller, f'playlist remove "Road trip" {trip[2].title}')
    assert by_title.ok, by_title.message
    assert keys(emu.url, emu.token, "Road trip") == [d, b]

    shown = await run(controller, "playlist show road TRIP")
    assert shown.message.splitlines() == [
        "Road trip: 2 items",
        f"   1. {trip[3].display_title}",
        f"   2. {trip[1].display_title}",
    ]
    assert [i.rating_key for i in shown.data["items"]] == [d, b]

    renamed = await run(controller, "playlist rename Road trip to Summer 2024")
    assert renamed.data["previous"] == "Road trip"
    assert renamed.data["playlist"].title == "Summer 2024"
    assert "Summer 2024" in names(emu.url, emu.token)
    assert "Road trip" not in names(emu.url, emu.token)
    assert keys(emu.url, emu.token, "Summer 2024") == [d, b]

    deleted = await run(controller, 'playlist delete "summer 2024"')
    assert deleted.message == "Deleted playlist 'Summer 2024' (2 items)"
    assert "Summer 2024" not in names(emu.url, emu.token)


async def test_the_same_movie_twice_is_told_apart_by_number(controller, emu, trip):
    a, b = trip[0], trip[1]
    await run(controller, f'playlist add "Road trip" {a.display_title}')  # 5th: a again
    ambiguous = await run(controller, f'playlist remove "Road trip" {a.display_title}')
    assert isinstance(ambiguous.error, MediaError)
    assert ambiguous.message == (
        f"'{a.display_title}' matches 2 items in 'Road trip': 1. {a.display_title}, "
        f"5. {a.display_title}. Say which by number."
    )
    assert (await run(controller, 'playlist remove "Road trip" 5')).ok
    # the first entry stays: the number picked the entry, not the first with that item
    assert keys(emu.url, emu.token, "Road trip") == [m.rating_key for m in trip]
    await run(controller, f'playlist add "Road trip" {a.display_title}')
    assert (await run(controller, 'playlist move "Road trip" 5 to 2')).ok
    assert keys(emu.url, emu.token, "Road trip")[:3] == [a.rating_key, a.rating_key, b.rating_key]


async def test_adding_a_show_adds_every_episode(controller, emu, trip):
    shows = next(lib for lib in await controller.service.libraries() if lib.type == "show")
    show = (await controller.service.browse(shows, size=1, start=3)).items[0]
    episodes = (await controller.service.leaves(show)).items
    added = await run(controller, f'playlist add "Road trip" "{show.display_title}"')
    assert added.ok, added.message
    assert added.data["added"] == len(episodes)
    assert keys(emu.url, emu.token, "Road trip")[4:] == [e.rating_key for e in episodes]


async def test_refusals_name_what_is_there(controller, emu, trip):
    unknown = await run(controller, "playlist delete Movie")
    assert isinstance(unknown.error, MediaError) and unknown.exit_code == 1
    assert unknown.message == (
        "no playlist called 'Movie' (playlists: Movie Night, Binge Queue, Kitchen Mix, Road trip)"
    )
    assert "Movie Night" in names(emu.url, emu.token)  # never deleted by a prefix

    unquoted = await run(controller, "playlist add Road trip Heat")
    assert isinstance(unquoted.error, CommandError) and unquoted.exit_code == 2
    assert unquoted.message == (
        "no playlist called 'Road'; quote a name with spaces: playlist add \"Road trip\" Heat"
    )
    unquoted = await run(controller, "playlist move Road trip 4 to 1")
    assert unquoted.message.endswith('playlist move "Road trip" 4 to 1')

    far = await run(controller, 'playlist remove "Road trip" 9')
    assert far.message == "position 9 is out of range: 'Road trip' has 4 items (1-4)"
    far = await run(controller, 'playlist move "Road trip" 1 to 5')
    assert far.message == "target position 5 is out of range: 'Road trip' has 4 items (1-4)"

    missing = await run(controller, 'playlist remove "Road trip" Zzyzx')
    assert missing.message == (
        "nothing called 'Zzyzx' in 'Road trip' (4 items; playlist show \"Road trip\" lists them)"
    )

    music = next(lib for lib in await controller.service.libraries() if lib.type == "artist")
    artist = (await controller.service.browse(music, size=1, start=2)).items[0]
    wrong = await run(controller, f'playlist add "Road trip" "{artist.title}"')
    assert (
        wrong.message == f"{artist.display_title} is an artist and 'Road trip' is a video playlist"
    )

    taken = await run(controller, f"playlist create movie night with {trip[0].display_title}")
    assert taken.message == "there is already a playlist called 'Movie Night'"
    taken = await run(controller, "playlist rename Road trip to Kitchen Mix")
    assert taken.message == "there is already a playlist called 'Kitchen Mix'"
    assert keys(emu.url, emu.token, "Road trip") == [m.rating_key for m in trip]


async def test_smart_playlists_are_refused_item_edits_but_can_be_renamed(controller, emu):
    plex = PlexServer(emu.url, emu.token)
    smart = plex.createPlaylist(
        "Newest", section=plex.library.sectionByID(1), smart=True, limit=5, sort="year:desc"
    )
    try:
        before = [i.ratingKey for i in smart.items()]
        assert len(before) == 5
        movie = (await movies(controller, 1))[0]
        why = "'Newest' is a smart playlist: Plex fills it from its rules, so items cannot be"
        for text, done in [
            (f"playlist add Newest {movie.display_title}", "added to"),
            ("playlist remove Newest 1", "removed from"),
            ("playlist move Newest 1 to 2", "moved in"),
        ]:
            result = await run(controller, text)
            assert result.message == f"{why} {done} it by hand (change its rules in Plex)"
        shown = await run(controller, "playlist show Newest")
        assert shown.message.splitlines()[0] == "Newest (smart): 5 items"
        assert (await run(controller, "playlist rename Newest to Latest five")).ok
        assert [i.ratingKey for i in plex.playlist("Latest five").items()] == before
    finally:
        for playlist in plex.playlists():
            if playlist.smart:
                playlist.delete()


async def test_playlist_alone_lists_the_forms_and_help_lists_playlist(controller):
    forms = await run(controller, "playlist")
    assert forms.ok and forms.data["commands"]["move"] == (
        "playlist move <playlist> <title|n> to <position>"
    )
    assert len(forms.message.splitlines()) == 7
    assert "playlist <form> …" in (await run(controller, "help")).message


def test_emulator_playlist_edits_as_pms(emu):
    """Rename by `title` and by plexapi's `title.value`; smart playlists refuse item edits."""
    plex = PlexServer(emu.url, emu.token)
    pl = plex.playlist("Binge Queue")
    http = requests.Session()
    http.headers["X-Plex-Token"] = emu.token
    assert http.put(f"{emu.url}/playlists/{pl.ratingKey}", params={"title": "Q"}).ok
    pl = plex.playlist("Q").editTitle("Binge Queue")
    assert "Binge Queue" in names(emu.url, emu.token) and "Q" not in names(emu.url, emu.token)
    smart = plex.createPlaylist("S", section=plex.library.sectionByID(1), smart=True, limit=3)
    try:
        assert smart.smart and "/library/sections/1/all" in smart.content
        url = f"{emu.url}/playlists/{smart.ratingKey}/items"
        assert http.put(f"{url}/1/move").status_code == 400
        assert http.delete(f"{url}/1").status_code == 400
        assert "playlistItemID" not in http.get(url).text
    finally:
        smart.delete()


# --- `plextui ctl playlist …` as a user runs it ---------------------------------------------


@pytest.fixture(scope="module")
def demo():
    proc = subprocess.Popen(
        [sys.executable, "-m", "plextui", "serve-demo", "--port", "0", "--token", "ctl-token"]
        + ["--size", "200", "--seed", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = proc.stdout.readline().split()[0]
    yield url
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0


def test_ctl_edits_a_playlist(demo):
    env, plex = env_for(demo), PlexServer(demo, "ctl-token")
    a, b = [m for m in plex.library.sectionByID(1).all() if m.year][30:32]
    first, second = f"{a.title} ({a.year})", f"{b.title} ({b.year})"

    made = plextui("ctl", "playlist", "create", "Road trip", "with", first, env=env)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"Created playlist 'Road trip' with {first}"
    added = plextui("ctl", "--json", "playlist", "add", "Road trip", second, env=env)
    answer = json.loads(added.stdout)
    assert answer["ok"] is True and answer["command"] == "playlist"
    assert answer["data"]["playlist"]["title"] == "Road trip"
    assert answer["data"]["playlist"]["count"] == 2
    assert answer["data"]["item"]["rating_key"] == str(b.ratingKey)
    assert answer["data"]["added"] == 1
    assert [i.ratingKey for i in plex.playlist("Road trip").items()] == [a.ratingKey, b.ratingKey]

    assert plextui("ctl", "playlist", "move", "Road trip", "2", "to", "1", env=env).returncode == 0
    assert [i.ratingKey for i in plex.playlist("Road trip").items()] == [b.ratingKey, a.ratingKey]
    gone = plextui("ctl", "--json", "playlist", "remove", "Road trip", "1", env=env)
    assert json.loads(gone.stdout)["data"]["position"] == 1
    assert [i.ratingKey for i in plex.playlist("Road trip").items()] == [a.ratingKey]
    renamed = plextui("ctl", "playlist", "rename", "Road trip", "to", "Summer", env=env)
    assert renamed.stdout.strip() == "Renamed playlist 'Road trip' to 'Summer'"
    deleted = plextui("ctl", "playlist", "delete", "Summer", env=env)
    assert deleted.returncode == 0, deleted.stderr
    assert {p.title for p in plex.playlists()} == {"Movie Night", "Binge Queue", "Kitchen Mix"}


def test_ctl_refusals_exit_codes_and_messages(demo):
    env = env_for(demo)
    usage = plextui("ctl", "playlist", "create", "Road trip", env=env)
    assert usage.returncode == 2
    assert usage.stderr.strip() == (
        "plextui: playlist create: a Plex playlist starts with an item: "
        "playlist create <name> with <title>"
    )
    unknown = plextui("ctl", "--json", "playlist", "delete", "Nope", env=env)
    assert unknown.returncode == 1
    assert json.loads(unknown.stdout) == {
        "ok": False,
        "command": "playlist",
        "message": "no playlist called 'Nope' (playlists: Movie Night, Binge Queue, Kitchen Mix)",
        "data": {},
        "error": "MediaError",
        "exit_code": 1,
    }
    far = plextui("ctl", "playlist", "move", "Movie Night", "1", "to", "99", env=env)
    assert far.returncode == 1
    assert far.stderr.strip() == (
        "plextui: target position 99 is out of range: 'Movie Night' has 12 items (1-12)"
    )
    helped = plextui("ctl", "help", env=env)
    assert "playlist <form> …" in helped.stdout and "Traceback" not in helped.stderr


def test_discord_allowlist_follows_each_forms_class():
    """A CONTROL user may add and reorder; removing, renaming and deleting need ADMIN."""
    auth = Authorizer(RemoteSettings(control_users=["2"], admin_users=["3"], rate_per_minute=60))
    guest, owner = Caller("2", "guest"), Caller("3", "owner")
    for text in ("playlist show Mix", "playlist create Mix with Up", "playlist add Mix Up"):
        assert auth.check(guest, parse_command(text)) is None, text
    assert auth.check(guest, parse_command("playlist move Mix 2 to 1")) is None
    for text in ("playlist remove Mix 1", "playlist rename Mix to Max", "playlist delete Mix"):
        refusal = auth.check(guest, parse_command(text))
        assert refusal is not None and "not allowed to administer" in refusal.message
        assert auth.check(owner, parse_command(text)) is None
