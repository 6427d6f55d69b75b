"""The REST emulator's webhooks driven by the real discord-webhook library."""

from __future__ import annotations

from http.client import HTTPException

import pytest
import requests
from discord_webhook import DiscordEmbed, DiscordWebhook

from plextui.emulators.discord import DiscordRestEmulator

CHANNEL = "900000000000000001"


@pytest.fixture
def rest():
    emulator = DiscordRestEmulator()
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def url(rest):
    return rest.create_webhook(CHANNEL, name="Plex")


def card(title: str = "Alien (1979)", **fields: str) -> DiscordEmbed:
    embed = DiscordEmbed(title=title, description="Playing · 1080p", color=0xE5A00D)
    embed.set_footer(text="01:15:30 / 02:16:00")
    for name, value in fields.items():
        embed.add_embed_field(name=name, value=value)
    return embed


def test_execute_with_embed_creates_message(rest, url):
    hook = DiscordWebhook(url=url, username="Plex Now Playing")
    hook.add_embed(card(Quality="1080p"))
    response = hook.execute()
    assert response.status_code == 200
    assert response.headers["Via"]
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "4"
    (message,) = rest.channel_messages(CHANNEL)
    assert hook.id == message["id"]
    assert message["author"]["username"] == "Plex Now Playing"
    assert message["webhook_id"] == url.split("/")[-2]
    embed = message["embeds"][0]
    assert embed["type"] == "rich"
    assert embed["title"] == "Alien (1979)"
    assert "video" not in embed and "url" not in embed  # nulls and webhook-forbidden keys dropped
    assert embed["fields"] == [{"name": "Quality", "value": "1080p", "inline": True}]
    method, path, headers, body = rest.requests[-1]
    assert (method, body["wait"]) == ("POST", True)
    assert path.endswith("/***") and url.split("/")[-1] not in path


def test_edit_in_place_then_delete(rest, url):
    hook = DiscordWebhook(url=url, content="Playing")
    hook.execute()
    hook.content = "Finished"
    hook.remove_embeds()
    hook.add_embed(card("Alien (1979) · Finished"))
    assert hook.edit().status_code == 200
    (message,) = rest.channel_messages(CHANNEL)
    assert message["id"] == hook.id
    assert message["content"] == "Finished"
    assert message["embeds"][0]["title"] == "Alien (1979) · Finished"
    assert message["edited_timestamp"] is not None
    assert rest.requests[-1].method == "PATCH"
    fetched = requests.get(f"{url}/messages/{hook.id}", timeout=5).json()
    assert fetched["content"] == "Finished"
    assert hook.delete().status_code == 204
    assert rest.channel_messages(CHANNEL) == []
    gone = requests.get(f"{url}/messages/{hook.id}", timeout=5)
    assert (gone.status_code, gone.json()) == (404, {"message": "Unknown Message", "code": 10008})


def test_file_upload_kept_on_edit_and_served(rest, url):
    poster = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    hook = DiscordWebhook(url=url, content="Now playing")
    hook.add_file(file=poster, filename="poster.png")
    embed = card()
    embed.set_thumbnail(url="attachment://poster.png")
    hook.add_embed(embed)
    assert hook.execute().status_code == 200
    (message,) = rest.channel_messages(CHANNEL)
    (attachment,) = message["attachments"]
    assert (attachment["filename"], attachment["size"]) == ("poster.png", len(poster))
    assert attachment["bytes"] == poster
    assert requests.get(attachment["url"], timeout=5).content == poster
    assert rest.requests[-1].body["files"] == [
        {"field": "_poster.png", "filename": "poster.png", "size": len(poster)}
    ]
    hook.content = "Paused"
    hook.edit()
    assert rest.channel_messages(CHANNEL)[0]["attachments"][0]["id"] == attachment["id"]
    hook.clear_attachments()
    hook.edit()
    assert rest.channel_messages(CHANNEL)[0]["attachments"] == []


def test_injected_429_is_retried_by_the_library(rest, url):
    rest.fail_next(429, retry_after=0.05)
    hook = DiscordWebhook(url=url, content="hi", rate_limit_retry=True)
    response = hook.execute()
    assert response.status_code == 200
    assert [r.method for r in rest.requests] == ["POST", "POST"]
    assert len(rest.channel_messages(CHANNEL)) == 1


def test_429_body_and_headers(rest, url):
    rest.fail_next(429, retry_after=1.5)
    response = DiscordWebhook(url=url, content="hi").execute()
    assert response.status_code == 429
    assert response.json() == {
        "message": "You are being rate limited.",
        "retry_after": 1.5,
        "global": False,
    }
    assert response.headers["Retry-After"] == "2"
    assert response.headers["X-RateLimit-Scope"] == "user"
    assert response.headers["Via"]


def test_429_without_via_is_a_cloudflare_ban_to_the_library(rest, url):
    rest.via = None
    rest.fail_next(429, retry_after=0.01)
    with pytest.raises(HTTPException):
        DiscordWebhook(url=url, content="hi", rate_limit_retry=True).execute()


def test_bucket_of_five_per_two_seconds(rest, url):
    statuses = [requests.post(url, json={"content": "x"}, timeout=5) for _ in range(6)]
    assert [r.status_code for r in statuses] == [204] * 5 + [429]
    assert [r.headers["X-RateLimit-Remaining"] for r in statuses[:5]] == ["4", "3", "2", "1", "0"]
    assert 0 < statuses[-1].json()["retry_after"] <= 2.0
    rest.rate_limits = False
    assert requests.post(url, json={"content": "x"}, timeout=5).status_code == 204


def test_server_errors_are_returned_to_the_caller(rest, url):
    rest.fail_next(500, count=2)
    hook = DiscordWebhook(url=url, content="hi")
    assert hook.execute().status_code == 500
    assert hook.execute().status_code == 500
    assert hook.execute().status_code == 200
    assert len(rest.channel_messages(CHANNEL)) == 1


def test_deleted_webhook_and_bad_token(rest, url):
    rest.delete_webhook(url)
    response = DiscordWebhook(url=url, content="hi").execute()
    assert (response.status_code, response.json()) == (
        404,
        {"message": "Unknown Webhook", "code": 10015},
    )
    other = rest.create_webhook(CHANNEL)
    forged = other.rsplit("/", 1)[0] + "/wrong-token"
    response = requests.post(forged, json={"content": "x"}, timeout=5)
    assert response.json() == {"message": "Invalid Webhook Token", "code": 50027}


def max_length(path: list[str], most: int) -> dict:
    node: dict = {
        "_errors": [
            {"code": "BASE_TYPE_MAX_LENGTH", "message": f"Must be {most} or fewer in length."}
        ]
    }
    for part in reversed(path):
        node = {part: node}
    return {"code": 50035, "errors": node, "message": "Invalid Form Body"}


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda h: h.add_embed(card("T" * 257)), max_length(["embeds", "0", "title"], 256)),
        (
            lambda h: h.add_embed(DiscordEmbed(title="ok", description="d" * 4097)),
            max_length(["embeds", "0", "description"], 4096),
        ),
        (
            lambda h: h.add_embed(card(Summary="s" * 1025)),
            max_length(["embeds", "0", "fields", "0", "value"], 1024),
        ),
        (lambda h: h.set_content("c" * 2001), max_length(["content"], 2000)),
        (lambda h: [h.add_embed(card()) for _ in range(11)], max_length(["embeds"], 10)),
    ],
)
def test_limits_give_discords_400(rest, url, build, expected):
    hook = DiscordWebhook(url=url)
    build(hook)
    response = hook.execute()
    assert (response.status_code, response.json()) == (400, expected)
    assert rest.channel_messages(CHANNEL) == []


def test_total_embed_size_and_empty_message(rest, url):
    hook = DiscordWebhook(url=url)
    for _ in range(2):
        hook.add_embed(DiscordEmbed(title="t", description="d" * 3500))
    response = hook.execute()
    assert response.status_code == 400
    assert response.json()["errors"]["embeds"]["_errors"][0]["code"] == "MAX_EMBED_SIZE_EXCEEDED"
    empty = requests.post(url, params={"wait": "true"}, json={"embeds": []}, timeout=5)
    assert empty.json() == {"message": "Cannot send an empty message", "code": 50006}


def test_unversioned_path_and_wait_false(rest, url):
    legacy = url.replace("/api/v10/", "/api/")
    assert (
        requests.post(legacy, params={"wait": "True"}, json={"content": "a"}, timeout=5).json()[
            "content"
        ]
        == "a"
    )
    assert requests.post(url, json={"content": "b"}, timeout=5).status_code == 204
    assert [m["content"] for m in rest.channel_messages(CHANNEL)] == ["a", "b"]
    invalid = requests.post(
        url, data=b"{oops", headers={"Content-Type": "application/json"}, timeout=5
    )
    assert invalid.json() == {"message": "The request body contains invalid JSON.", "code": 50109}
