"""Bot-token routes and command registration of the REST emulator, over real HTTP."""

from __future__ import annotations

import pytest
import requests

from plextui.emulators.discord import DiscordRestEmulator
from plextui.emulators.discord.snowflake import snowflake_iso

CHANNEL = "900000000000000002"
TOKEN = "bot-secret"
PLEX = {
    "name": "plex",
    "type": 1,
    "description": "Control Plex now-playing",
    "options": [
        {
            "type": 1,
            "name": "play",
            "description": "Play a title",
            "options": [{"type": 3, "name": "title", "description": "Title", "required": True}],
        },
        {"type": 1, "name": "pause", "description": "Pause playback"},
    ],
}


@pytest.fixture
def rest():
    emulator = DiscordRestEmulator(bot_token=TOKEN)
    emulator.start()
    emulator.create_channel(CHANNEL)
    yield emulator
    emulator.stop()


def bot(rest, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bot {TOKEN}", "User-Agent": "DiscordBot (plextui, 0.1)"}
    return requests.request(method, rest.api_url + path, headers=headers, timeout=5, **kwargs)


def test_listing_is_newest_first_and_pages_with_after(rest):
    posted = [rest.post_user_message(CHANNEL, f"!plex {n}") for n in range(5)]
    everything = bot(rest, "GET", f"/channels/{CHANNEL}/messages").json()
    assert [m["id"] for m in everything] == [m["id"] for m in reversed(posted)]
    page = bot(
        rest, "GET", f"/channels/{CHANNEL}/messages", params={"after": posted[1]["id"], "limit": 2}
    )
    assert [m["content"] for m in page.json()] == ["!plex 3", "!plex 2"]
    rest_page = bot(rest, "GET", f"/channels/{CHANNEL}/messages", params={"after": posted[3]["id"]})
    assert [m["content"] for m in rest_page.json()] == ["!plex 4"]
    assert (
        bot(rest, "GET", f"/channels/{CHANNEL}/messages", params={"limit": 101}).status_code == 400
    )


def test_messages_carry_author_and_time_from_the_snowflake(rest):
    message = rest.post_user_message(
        CHANNEL, "/plex pause", author_id="1001", username="alice", roles=("77",)
    )
    assert message["author"]["id"] == "1001"
    assert message["timestamp"] == snowflake_iso(message["id"])
    assert "member" not in message  # REST messages carry no roles; the member lookup does
    member = bot(rest, "GET", f"/guilds/{rest.guild_id}/members/1001").json()
    assert member["roles"] == ["77"]
    channel = bot(rest, "GET", f"/channels/{CHANNEL}").json()
    assert channel["guild_id"] == rest.guild_id
    assert bot(rest, "GET", f"/guilds/{rest.guild_id}/members/404").json()["code"] == 10007


def test_bot_token_required(rest):
    rest.post_user_message(CHANNEL, "!plex now")
    for headers in ({}, {"Authorization": "Bot wrong"}, {"Authorization": TOKEN}):
        response = requests.get(
            f"{rest.api_url}/channels/{CHANNEL}/messages", headers=headers, timeout=5
        )
        assert (response.status_code, response.json()) == (
            401,
            {"message": "401: Unauthorized", "code": 0},
        )
    assert all(h.get("Authorization") in (None, "Bot ***", "***") for _, _, h, _ in rest.requests)
    assert bot(rest, "GET", "/channels/1/messages").json() == {
        "message": "Unknown Channel",
        "code": 10003,
    }


def test_without_message_content_intent_only_mentions_are_readable(rest):
    rest.message_content_intent = False
    rest.post_user_message(CHANNEL, "!plex pause")
    rest.post_user_message(CHANNEL, f"<@{rest.application_id}> plex pause")
    contents = [m["content"] for m in bot(rest, "GET", f"/channels/{CHANNEL}/messages").json()]
    assert contents == [f"<@{rest.application_id}> plex pause", ""]


def test_bot_posts_and_edits_its_reply(rest):
    asked = rest.post_user_message(CHANNEL, "!plex now")
    reply = bot(
        rest,
        "POST",
        f"/channels/{CHANNEL}/messages",
        json={"content": "Nothing playing", "message_reference": {"message_id": asked["id"]}},
    ).json()
    assert reply["author"]["id"] == rest.application_id and reply["author"]["bot"] is True
    assert reply["type"] == 19
    edited = bot(
        rest, "PATCH", f"/channels/{CHANNEL}/messages/{reply['id']}", json={"content": "Paused"}
    )
    assert edited.json()["content"] == "Paused"
    refused = bot(
        rest, "PATCH", f"/channels/{CHANNEL}/messages/{asked['id']}", json={"content": "x"}
    )
    assert refused.json()["code"] == 50005
    assert [m["content"] for m in rest.channel_messages(CHANNEL)] == ["!plex now", "Paused"]


def test_command_registration_round_trip(rest):
    path = f"/applications/{rest.application_id}/commands"
    first = bot(rest, "PUT", path, json=[PLEX]).json()
    assert first[0]["name"] == "plex" and first[0]["application_id"] == rest.application_id
    again = bot(rest, "PUT", path, json=[PLEX]).json()
    assert again[0]["id"] == first[0]["id"] and again[0]["version"] != first[0]["version"]
    assert bot(rest, "GET", path).json() == again == rest.commands()
    assert bot(rest, "PUT", path, json=[]).json() == [] and rest.commands() == []
    guild = f"/applications/{rest.application_id}/guilds/{rest.guild_id}/commands"
    assert bot(rest, "PUT", guild, json=[PLEX]).status_code == 200
    assert rest.commands(guild_id=rest.guild_id)[0]["guild_id"] == rest.guild_id
    assert requests.put(rest.api_url + path, json=[PLEX], timeout=5).status_code == 401


def test_invalid_command_schema_is_rejected(rest):
    bad = dict(PLEX, name="Plex Now")
    response = bot(rest, "PUT", f"/applications/{rest.application_id}/commands", json=[bad])
    assert response.status_code == 400
    assert (
        response.json()["errors"]["0"]["name"]["_errors"][0]["code"]
        == "APPLICATION_COMMAND_INVALID_NAME"
    )
    nested = dict(
        PLEX,
        options=[{**PLEX["options"][0], "options": [{"type": 1, "name": "x", "description": "x"}]}],
    )
    response = bot(rest, "PUT", f"/applications/{rest.application_id}/commands", json=[nested])
    assert response.status_code == 400
    assert rest.commands() == []
