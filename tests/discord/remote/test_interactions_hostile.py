"""Validly signed but hostile interactions: odd timestamps, bodies of the wrong shape, lone
surrogates in every text field and autocomplete floods. Each is answered (never a 500 or a
traceback), the audit log keeps one line per command, and nothing reaches the player."""

from __future__ import annotations

import json
import logging
import time

import pytest

from . import test_interactions as served
from .conftest import ADMIN, ALICE, BOB, DJ_ROLE, TV, snapshot, unchanged
from .test_interactions import endpoint, play, raw_post, send, signed, sub

__all__ = ["endpoint"]  # the fixture, shared with test_interactions


def interaction(discord, channel, options, **extra) -> bytes:
    payload = discord.slash_command("plex", options, channel_id=channel, user_id=ALICE)
    return json.dumps(payload | extra).encode()


def no_traceback(caplog) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "spelling",
    ["nan", "NaN", "inf", "-inf", "1e3", "-0", "", " {now}", "{now} ", "{now}.5", "{now}e0",
     "+{now}", "{now_}", "{arabic}", "0x{hex}", "1" * 40],
)  # fmt: skip
async def test_timestamps_must_be_plain_decimal_integers(
    discord, channel, endpoint, plex, stopped_tv, caplog, spelling
):
    """A stamp Discord would never send is refused even when signed and fresh-looking:
    `nan` once slipped through the freshness check (`abs(now - nan) > limit` is False)."""
    now = int(time.time())
    stamp = spelling.format(
        now=now,
        now_=f"{now:_}",
        arabic=str(now).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        hex=f"{now:x}",
    )
    before = snapshot(plex, stopped_tv)
    body = interaction(discord, channel, sub("resume"))
    headers = signed(discord, body) | {"X-Signature-Timestamp": stamp}
    headers["X-Signature-Ed25519"] = discord.signer.sign(stamp, body)
    assert await raw_post(endpoint, body, headers) == 401
    unchanged(plex, stopped_tv, before)
    no_traceback(caplog)


async def test_a_plain_stamp_with_leading_zeros_is_still_accepted(discord, endpoint):
    body = json.dumps({"type": 1}).encode()
    stamp = "0" + str(int(time.time()))
    headers = signed(discord, body, stamp)
    assert await raw_post(endpoint, body, headers) == 200


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE = {
    "nested arrays": lambda base: _nested(30_000).encode(),
    "nested options": lambda base: (
        json.dumps(base).replace('"options": [', '"options": [' + _nested(30_000) + ",", 1).encode()
    ),  # noqa: E501
    "member a string": lambda base: base | {"member": "alice"},
    "member.user a list": lambda base: base | {"member": {"user": [1, 2], "roles": []}},
    "roles an integer": lambda base: base | {"member": base["member"] | {"roles": 7}},
    "role ids of a dict": lambda base: base | {"member": base["member"] | {"roles": [{}]}},
    "user missing": lambda base: {k: v for k, v in base.items() if k != "member"},
    "user id an integer": lambda base: base | {"member": {"user": {"id": int(ALICE)}}},
    "user id a dict": lambda base: base | {"member": {"user": {"id": {"id": ALICE}}}},
    "username a list": lambda base: base | {"member": {"user": {"id": ALICE, "username": ["a"]}}},
    "options an integer": lambda base: base | {"data": base["data"] | {"options": 5}},
    "options a string": lambda base: base | {"data": base["data"] | {"options": "pause"}},
    "options of integers": lambda base: base | {"data": base["data"] | {"options": [1, 2]}},
    "sub-options an integer": lambda base: (
        base | {"data": base["data"] | {"options": [{"name": "seek", "type": 1, "options": 7}]}}
    ),
    "sub-options a string": lambda base: (
        base | {"data": base["data"] | {"options": [{"name": "seek", "type": 1, "options": "+30"}]}}
    ),
    "sub-options of lists": lambda base: (
        base | {"data": base["data"] | {"options": [{"name": "seek", "type": 1, "options": [[1]]}]}}
    ),
    "option name a list": lambda base: (
        base
        | {
            "data": base["data"]
            | {"options": [{"name": "seek", "type": 1, "options": [{"name": [1], "value": "9"}]}]}
        }
    ),
    "option value a dict": lambda base: (
        base
        | {
            "data": base["data"]
            | {"options": [{"name": "seek", "type": 1, "options": [{"name": "time", "value": {}}]}]}
        }
    ),
    "token an integer": lambda base: base | {"token": 12},
    "application id a list": lambda base: base | {"application_id": ["1"]},
    "custom id a dict": lambda base: base | {"type": 3, "data": {"custom_id": {"a": 1}}},
    "focused a string": lambda base: (
        base | {"type": 4, "data": base["data"] | {"options": [{"name": "play", "options": "x"}]}}
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_signed_bodies_of_the_wrong_shape_get_400_and_one_line(
    discord, channel, endpoint, plex, stopped_tv, caplog, case
):
    caplog.set_level(logging.INFO)
    base = discord.slash_command("plex", sub("resume"), channel_id=channel, user_id=ALICE)
    base |= {"id": "77", "token": "aW50ZXJhY3Rpb24hostile", "application_id": "1"}
    made = HOSTILE[case](base)
    body = made if isinstance(made, bytes) else json.dumps(made).encode()
    before = snapshot(plex, stopped_tv)
    caplog.clear()
    assert await raw_post(endpoint, body, signed(discord, body)) == 400
    unchanged(plex, stopped_tv, before)
    no_traceback(caplog)
    said = [r for r in caplog.records if r.name.startswith("plextui")]
    assert len(said) == 1 and "\n" not in said[0].getMessage(), caplog.text


# --- lone surrogates -----------------------------------------------------------------------

LONE = "\ud800"


def _member(payload: dict, **user) -> dict:
    member = payload["member"]
    return payload | {"member": member | {"user": member["user"] | user, "nick": LONE}}


async def test_surrogates_in_every_text_field_leave_one_audit_line_each(
    discord, channel, endpoint, plex, controller, movie, caplog, tmp_path
):
    """A lone surrogate once made the audit write raise: the action ran, its line was lost
    and the answer was a 500. Every command now answers and leaves one line; one that
    cannot be read is refused (allowed false) with the parse error, in its own words."""
    caplog.set_level(logging.INFO)
    tv = plex.player(TV)
    await send(discord, endpoint, discord.slash_command("plex", play(movie), channel_id=channel))
    assert tv.timeline()["state"] == "playing"
    audited = [  # (options, whether the command can be read, so it may run)
        (play(f"x{LONE}y"), True),
        (play(movie, f"TV{LONE}"), True),
        (sub("search", query=f"br{LONE}"), True),
        (sub("seek", time=f"1:{LONE}"), False),
        (sub("volume", level=LONE), False),
        (sub("quality", quality=LONE), False),
        (sub(f"pa{LONE}use"), False),
        (sub("pause"), True),
        (sub("resume"), True),
    ]
    names = [
        {"global_name": LONE},
        {"global_name": f"al{LONE}ice"},
        {"username": LONE, "global_name": None},
    ]
    users = [(ALICE, ()), (ADMIN, ()), ("1003", (DJ_ROLE,))]  # one burst each, not one for all
    for index, (options, _) in enumerate(audited):
        user, roles = users[index % 3]
        payload = discord.slash_command(
            "plex", options, channel_id=channel, user_id=user, roles=roles
        )
        payload = _member(payload, **names[index % 3])
        status, body = await send(discord, endpoint, payload)
        assert status == 200 and body["type"] in (4, 5), ascii((options, body))
    card = discord.interaction_original(discord.interaction_token())
    click = _member(discord.button_click("plex:toggle", card, user_id=ADMIN), global_name=LONE)
    status, body = await send(discord, endpoint, click)
    assert status == 200 and body["type"] == 7 and tv.timeline()["state"] == "paused"

    lines = (tmp_path / "audit.log").read_bytes().decode("utf-8").splitlines()
    entries = [json.loads(line) for line in lines]  # the endpoint fixture's audit log
    assert len(entries) == 1 + len(audited) + 1, ascii(entries)
    assert [e["allowed"] for e in entries[1:-1]] == [readable for _, readable in audited]
    unread = [e for e in entries if not e["allowed"]]
    assert all(e["message"].startswith("I couldn't read that: ") for e in unread)
    assert all(LONE in e["command"] and LONE in e["message"] for e in unread), ascii(unread)
    assert sum(LONE in e["command"] for e in entries) == 3 + len(unread)
    assert sum(LONE in e["user"] for e in entries) == len(audited) + 1
    ran = [e for e in entries if e["allowed"]]
    assert sum(LONE in e["message"] for e in ran) == 2  # "no player named 'TV…'" etc.
    no_traceback(caplog)

    typed = _member(_focused(discord, channel, f"br{LONE}"), global_name=LONE)
    assert (await send(discord, endpoint, typed))[1]["type"] == 8
    stop = _member(discord.slash_command("plex", sub("stop"), channel_id=channel, user_id=ADMIN))
    assert (await send(discord, endpoint, stop))[0] == 200
    assert tv.timeline()["state"] == "stopped"


# --- autocomplete floods -------------------------------------------------------------------


def _focused(discord, channel, value: str, user: str = ALICE) -> dict:
    options = [{"name": "title", "type": 3, "value": value, "focused": True}]
    payload = discord.slash_command(
        "plex", [{"name": "play", "type": 1, "options": options}], channel_id=channel, user_id=user
    )
    return payload | {"type": 4}


def _searches(plex) -> int:
    return sum(1 for _method, path, _headers in plex.requests if "search" in path.lower())


async def test_autocomplete_is_rate_limited_per_user(discord, channel, endpoint, plex, movie):
    title = movie.split(" (")[0][:5]
    searches = _searches(plex)
    answered = []
    # the flood arrives within one instant: a loaded machine must not refill the budget midway
    served.endpoint.handler.gate.authorizer.clock = lambda: 1_000.0
    for _ in range(40):
        status, body = await send(discord, endpoint, _focused(discord, channel, title))
        assert status == 200 and body["type"] == 8
        answered.append(bool(body["data"]["choices"]))
    ran = _searches(plex) - searches
    assert answered[0] and not answered[-1]
    assert 1 <= ran <= 15, ran
    assert ran == sum(answered)
    # another user is not held back by the first one's flood
    status, body = await send(discord, endpoint, _focused(discord, channel, title, user=BOB))
    assert body["data"]["choices"] and _searches(plex) - searches == ran + 1
