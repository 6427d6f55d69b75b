"""Signed interactions from the emulated Discord to the real endpoint: forged, stale, replayed,
oversized or malformed requests are refused before anything runs; genuine ones drive the TV."""

from __future__ import annotations

import json
import logging
import secrets
import time

import aiohttp
import pytest
from aiohttp import web

from plextui.discord.remote.audit import AuditLog
from plextui.discord.remote.interactions import HANDLER, MAX_BODY, make_interactions_app
from plextui.discord.remote.queue import CommandQueue
from plextui.errors import ConfigError

from .conftest import (
    ADMIN,
    ALICE,
    BOB,
    BOT_TOKEN,
    DJ_ROLE,
    MALLORY,
    PLEX_TOKEN,
    TV,
    make_settings,
    snapshot,
    unchanged,
)


def play(title: str, player: str | None = TV) -> list[dict]:
    options = [{"name": "title", "type": 3, "value": title}]
    if player:
        options.append({"name": "player", "type": 3, "value": player})
    return [{"name": "play", "type": 1, "options": options}]


def sub(name: str, **values) -> list[dict]:
    options = [{"name": k, "type": 3, "value": v} for k, v in values.items()]
    return [{"name": name, "type": 1, **({"options": options} if options else {})}]


@pytest.fixture
async def endpoint(settings, controller, tmp_path):
    """The interactions app on a loopback port; yields its URL."""
    queue = CommandQueue(controller, window=0.2)
    audit = AuditLog(tmp_path / "audit.log", secrets=(BOT_TOKEN, PLEX_TOKEN))
    app = make_interactions_app(settings, controller, queue=queue, audit=audit)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    await queue.start()
    port = runner.addresses[0][1]
    endpoint.handler = app[HANDLER]
    yield f"http://127.0.0.1:{port}/interactions"
    await queue.stop()
    await runner.cleanup()


async def send(discord, url, payload, **kwargs):
    status, body = await discord.send_interaction_async(url, payload, **kwargs)
    await endpoint.handler.drain()
    return status, body


async def raw_post(url, body: bytes, headers: dict) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


def signed(discord, body: bytes, stamp: str | None = None) -> dict:
    stamp = stamp or str(int(time.time()))
    return {
        "X-Signature-Ed25519": discord.signer.sign(stamp, body),
        "X-Signature-Timestamp": stamp,
        "Content-Type": "application/json",
    }


async def test_ping(discord, endpoint):
    assert await send(discord, endpoint, {"type": 1}) == (200, {"type": 1})


async def test_forged_stale_replayed_and_tampered_requests_do_nothing(
    discord, channel, endpoint, plex, stopped_tv, movie
):
    before = snapshot(plex, stopped_tv)
    attack = discord.slash_command("plex", play(movie), channel_id=channel, user_id=ALICE)

    assert (await send(discord, endpoint, attack, sign=False))[0] == 401
    assert (await send(discord, endpoint, attack, tamper=True))[0] == 401
    stale = str(int(time.time()) - 301)
    assert (await send(discord, endpoint, attack, timestamp=stale))[0] == 401
    future = str(int(time.time()) + 600)
    assert (await send(discord, endpoint, attack, timestamp=future))[0] == 401

    body = json.dumps({"type": 1}).encode()
    headers = signed(discord, body) | {"X-Signature-Ed25519": secrets.token_hex(64)}
    assert await raw_post(endpoint, body, headers) == 401
    headers = signed(discord, body) | {"X-Signature-Ed25519": "not hex"}
    assert await raw_post(endpoint, body, headers) == 401
    unchanged(plex, stopped_tv, before)

    # Replay: the very same signed bytes a second time. A PING shows it without playing.
    ping = json.dumps({"type": 1, "id": "1", "token": "t"}).encode()
    headers = signed(discord, ping)
    assert await raw_post(endpoint, ping, headers) == 200
    assert await raw_post(endpoint, ping, headers) == 401
    # the same signature bytes spelled differently are the same replay
    upper = headers | {"X-Signature-Ed25519": headers["X-Signature-Ed25519"].upper()}
    assert await raw_post(endpoint, ping, upper) == 401
    spaced = headers | {"X-Signature-Ed25519": " " + headers["X-Signature-Ed25519"]}
    assert await raw_post(endpoint, ping, spaced) == 401
    fresh = json.dumps({"type": 1, "id": "2", "token": "u"}).encode()
    upper_first = signed(discord, fresh)
    upper_first["X-Signature-Ed25519"] = upper_first["X-Signature-Ed25519"].upper()
    assert await raw_post(endpoint, fresh, upper_first) == 401  # not how Discord spells it

    genuine = discord.slash_command("plex", sub("pause"), channel_id=channel, user_id=ALICE)
    genuine |= {"id": "42", "token": "replayed-token"}
    stamp = str(int(time.time()))
    status, _ = await send(discord, endpoint, genuine, timestamp=stamp)
    assert status == 200
    commands = len(stopped_tv.commands)
    assert (await send(discord, endpoint, genuine, timestamp=stamp))[0] == 401
    assert len(stopped_tv.commands) == commands


async def test_malformed_huge_and_unknown_bodies(discord, channel, endpoint, plex, stopped_tv):
    before = snapshot(plex, stopped_tv)
    for body in (b"{not json", b"[1, 2]", b'"text"', json.dumps({"type": 2, "data": 7}).encode()):
        assert await raw_post(endpoint, body, signed(discord, body)) == 400
    huge = json.dumps({"type": 2, "pad": "x" * (MAX_BODY + 10)}).encode()
    assert await raw_post(endpoint, huge, signed(discord, huge)) == 413
    assert await raw_post(endpoint, huge, {"Content-Type": "application/json"}) == 401
    for kind in (0, 5, 99, "2", None):
        assert (await send(discord, endpoint, {"type": kind}))[0] == 400
    unchanged(plex, stopped_tv, before)


async def test_not_allowed_and_unknown_player_do_nothing(
    discord, channel, endpoint, plex, stopped_tv, movie
):
    before = snapshot(plex, stopped_tv)
    cases = [
        (play(movie), MALLORY, (), "not allowed"),
        (play(movie), BOB, (), "not allowed to control"),
        (sub("quality", quality="720p"), MALLORY, (DJ_ROLE,), "not allowed to administer"),
        (sub("hack"), ALICE, (), "unknown subcommand"),
        (sub("seek", time="soon"), ALICE, (), "seek"),
    ]
    for options, user, roles, words in cases:
        payload = discord.slash_command(
            "plex", options, channel_id=channel, user_id=user, roles=roles
        )
        status, body = await send(discord, endpoint, payload)
        assert status == 200 and body["type"] == 4 and body["data"]["flags"] == 64
        assert words in body["data"]["content"]
    payload = discord.slash_command("plex", play(movie, "Garage Fridge"), channel_id=channel)
    status, body = await send(discord, endpoint, payload)
    assert (status, body) == (200, {"type": 5})
    (edit,) = discord.interaction_responses(discord.interaction_token())
    assert "no player named 'Garage Fridge'" in edit["content"]
    unchanged(plex, stopped_tv, before)


async def test_play_defers_then_buttons_drive_the_card(
    discord, channel, endpoint, plex, movie, caplog
):
    caplog.set_level(logging.DEBUG)
    tv = plex.player(TV)
    payload = discord.slash_command("plex", play(movie), channel_id=channel, user_id=ALICE)
    assert await send(discord, endpoint, payload) == (200, {"type": 5})
    assert tv.timeline()["state"] == "playing"
    token = discord.interaction_token()
    card = discord.interaction_original(token)
    assert card["content"].startswith(f"Playing {movie} on {TV}")
    assert card["embeds"][0]["fields"][2]["value"] == TV

    click = discord.button_click("plex:toggle", card, user_id=ALICE)
    status, body = await send(discord, endpoint, click)
    assert status == 200 and body["type"] == 7
    assert tv.timeline()["state"] == "paused"
    assert body["data"]["content"].startswith(f"Paused on {TV}")
    assert discord.channel_messages(channel)[-1]["embeds"][0]["fields"][0]["value"] == "Paused"

    volume = tv.timeline()["volume"]
    click = discord.button_click("plex:vol-", card, user_id=ALICE)
    assert (await send(discord, endpoint, click))[1]["type"] == 7
    assert tv.timeline()["volume"] == volume - 10

    refused = discord.button_click("plex:stop", card, user_id=BOB)
    status, body = await send(discord, endpoint, refused)
    assert body["type"] == 4 and body["data"]["flags"] == 64
    assert tv.timeline()["state"] == "paused"

    status, body = await send(
        discord,
        endpoint,
        discord.slash_command("plex", sub("now"), channel_id=channel, user_id=BOB),
    )
    assert body["type"] == 4 and body["data"]["embeds"][0]["fields"][0]["value"] == "Paused"

    status, body = await send(
        discord,
        endpoint,
        discord.slash_command("plex", sub("seek", time="1:00:00"), channel_id=channel),
    )
    assert body["type"] == 4 and "1:00:00" in body["data"]["content"]
    assert abs(tv.timeline()["time"] - 3_600_000) < 2000

    stop = discord.button_click("plex:stop", card, user_id=ADMIN)
    assert (await send(discord, endpoint, stop))[1]["type"] == 7
    assert tv.timeline()["state"] == "stopped"

    everything = caplog.text + json.dumps(discord.channel_messages(channel))
    assert BOT_TOKEN not in everything and PLEX_TOKEN not in everything
    assert token not in caplog.text


async def test_late_answers_are_deferred_and_edited(
    discord, channel, endpoint, plex, movie, monkeypatch
):
    from plextui.discord.remote import interactions

    monkeypatch.setattr(interactions, "ANSWER_WITHIN", 0.0)
    tv = plex.player(TV)
    payload = discord.slash_command("plex", play(movie), channel_id=channel, user_id=ALICE)
    await send(discord, endpoint, payload)
    card = discord.interaction_original(discord.interaction_token())
    status, body = await send(discord, endpoint, discord.button_click("plex:toggle", card))
    assert (status, body) == (200, {"type": 6})
    assert tv.timeline()["state"] == "paused"
    assert discord.interaction_original(discord.interaction_token())["content"].startswith("Paused")
    payload = discord.slash_command("plex", sub("resume"), channel_id=channel, user_id=ALICE)
    assert (await send(discord, endpoint, payload))[1] == {"type": 5}
    assert discord.interaction_original(discord.interaction_token())["content"].startswith(
        "Resumed"
    )
    assert tv.timeline()["state"] == "playing"
    await send(discord, endpoint, discord.button_click("plex:stop", card, user_id=ADMIN))


async def test_search_and_quality_answers(discord, channel, endpoint, controller, movie):
    controller.default_player = TV
    word = movie.split()[0]
    payload = discord.slash_command(
        "plex", sub("search", query=word), channel_id=channel, user_id=BOB
    )
    assert await send(discord, endpoint, payload) == (200, {"type": 5})
    shown = discord.interaction_original(discord.interaction_token())
    assert word.casefold() in shown["embeds"][0]["description"].casefold()

    payload = discord.slash_command(
        "plex", sub("quality", quality="720p"), channel_id=channel, user_id=ADMIN
    )
    status, body = await send(discord, endpoint, payload)
    assert "picks its own quality" in body["data"]["content"]


async def test_autocomplete_titles_and_players(discord, channel, endpoint, movie):
    def focused(name, value, user=ALICE):
        options = [{"name": name, "type": 3, "value": value, "focused": True}]
        payload = discord.slash_command(
            "plex",
            [{"name": "play", "type": 1, "options": options}],
            channel_id=channel,
            user_id=user,
        )
        return payload | {"type": 4}

    status, body = await send(discord, endpoint, focused("title", movie.split(" (")[0][:5]))
    assert status == 200 and body["type"] == 8
    assert movie in [c["value"] for c in body["data"]["choices"]]
    status, body = await send(discord, endpoint, focused("player", "liv"))
    assert body["data"]["choices"] == [{"name": TV, "value": TV}]
    status, body = await send(discord, endpoint, focused("title", "bra", user=MALLORY))
    assert body == {"type": 8, "data": {"choices": []}}


def test_a_missing_public_key_is_a_config_error(discord, channel, controller):
    with pytest.raises(ConfigError, match="public_key"):
        make_interactions_app(make_settings(discord, channel, public_key=""), controller)


def playlist(form: str, **values) -> list[dict]:
    options = [
        {"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in values.items()
    ]
    return [
        {"name": "playlist", "type": 2, "options": [{"name": form, "type": 1, "options": options}]}
    ]


async def test_playlist_forms_as_slash_commands(
    discord, channel, endpoint, controller, movie, tmp_path
):
    """`/plex playlist …` runs the grammar's playlist forms, each at its action class."""
    movies = next(lib for lib in await controller.service.libraries() if lib.type == "movie")
    other = (await controller.service.browse(movies, size=1, start=5)).items[0]
    name = f"Slash mix {channel[-4:]}"

    async def run(options, user=ALICE) -> str:
        payload = discord.slash_command("plex", options, channel_id=channel, user_id=user)
        status, body = await send(discord, endpoint, payload)
        assert status == 200, body
        if body["type"] == 5:
            return discord.interaction_original(discord.interaction_token())["content"]
        return body["data"]["content"]

    async def items() -> list[str]:
        found = [p for p in await controller.service.playlists() if p.title == name]
        if not found:
            return []
        return [i.rating_key for i in (await controller.service.playlist_items(found[0])).items]

    await run(playlist("create", name=name, title=movie))
    first = await items()
    await run(playlist("add", playlist=name, title=f"{other.title} ({other.year})"))
    assert (await items())[0] == first[0] and len(await items()) == 2
    shown = await run(playlist("show", playlist=name), user=BOB)
    assert movie.split(" (")[0] in shown and other.title in shown
    typing = playlist("add", playlist=name[:8], title="x")
    typing[0]["options"][0]["options"][0]["focused"] = True
    payload = discord.slash_command("plex", typing, channel_id=channel, user_id=BOB) | {"type": 4}
    assert {"name": name, "value": name} in (await send(discord, endpoint, payload))[1]["data"][
        "choices"
    ]
    await run(playlist("move", playlist=name, item="2", position=1))
    assert (await items())[1] == first[0]
    refused = await run(playlist("delete", playlist=name))
    assert "not allowed to administer" in refused and await items()
    await run(playlist("rename", playlist=name, name=f"{name} old"), user=ADMIN)
    name = f"{name} old"
    assert len(await items()) == 2
    await run(playlist("delete", playlist=name), user=ADMIN)
    assert await items() == []
    audited = [e["command"] for e in AuditLog(tmp_path / "audit.log").entries()]
    assert f'/plex playlist move "{name[:-4]}" 2 to 1' in audited
