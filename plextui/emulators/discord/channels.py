"""Bot-token routes of reference §3.1: read a channel (newest first, `after`/`before`/`limit`),
post and edit the bot's own messages, look up a member's roles. Without the Message Content
intent, other people's messages come back with empty content, as on real Discord."""

from __future__ import annotations

from aiohttp import web

from .limits import message_error
from .ratelimit import BOT_GLOBAL, CHANNEL_POST, too_many
from .store import Store, public
from .webhooks import STATE
from .wire import PARSED, RATELIMIT, ApiError, unauthorized


def routes(prefix: str) -> list[web.RouteDef]:
    channel = prefix + "/channels/{channel_id}"
    return [
        web.get(channel, get_channel),
        web.get(channel + "/messages", list_messages),
        web.post(channel + "/messages", create_message),
        web.get(channel + "/messages/{message_id}", get_message),
        web.patch(channel + "/messages/{message_id}", edit_message),
        web.get(prefix + "/guilds/{guild_id}/members/{user_id}", get_member),
    ]


def require_bot(request: web.Request, *buckets: tuple[str, tuple[int, float]]) -> Store:
    """`Authorization: Bot <token>` or 401; then the bot's global and per-route buckets."""
    store = request.app[STATE]
    if request.headers.get("Authorization") != f"Bot {store.bot_token}":
        raise unauthorized()
    headers, limited = store.limiter.hit([("bot", BOT_GLOBAL), *buckets])
    request[RATELIMIT] = headers
    if limited is not None:
        raise ApiError(429, too_many(limited.retry_after, limited.scope), limited.headers)
    return store


def _messages(store: Store, channel_id: str) -> list[dict]:
    messages = store.channel(channel_id)
    if messages is None:
        raise ApiError.coded(404, "Unknown Channel", 10003)
    return messages


def _visible(store: Store, message: dict) -> dict:
    shown = public(message)
    own = message["author"]["id"] == store.application_id
    mentioned = f"<@{store.application_id}>" in message["content"]
    if not (store.message_content_intent or own or mentioned):
        shown.update(content="", embeds=[], attachments=[], components=[])
    return shown


async def get_channel(request: web.Request) -> web.Response:
    store = require_bot(request)
    channel_id = request.match_info["channel_id"]
    _messages(store, channel_id)
    body = {
        "id": channel_id,
        "type": 0,
        "guild_id": store.guild_id,
        "name": f"plex-{channel_id[-4:]}",
    }
    return web.json_response(body)


async def list_messages(request: web.Request) -> web.Response:
    store = require_bot(request)
    limit = request.query.get("limit", "50")
    if not limit.isdigit() or not 1 <= int(limit) <= 100:
        errors = {
            "limit": {
                "_errors": [
                    {
                        "code": "NUMBER_TYPE_MAX",
                        "message": "int value should be less than or equal to 100.",
                    }
                ]
            }
        }
        raise ApiError(400, {"code": 50035, "errors": errors, "message": "Invalid Form Body"})
    with store.lock:
        messages = list(_messages(store, request.match_info["channel_id"]))
    after, before = request.query.get("after"), request.query.get("before")
    if after and after.isdigit():
        page = [m for m in messages if int(m["id"]) > int(after)][: int(limit)]
    elif before and before.isdigit():
        page = [m for m in messages if int(m["id"]) < int(before)][-int(limit) :]
    else:
        page = messages[-int(limit) :]
    return web.json_response([_visible(store, m) for m in reversed(page)])


async def create_message(request: web.Request) -> web.Response:
    channel_id = request.match_info["channel_id"]
    store = require_bot(request, (f"channel-post:{channel_id}", CHANNEL_POST))
    _messages(store, channel_id)
    parsed = request[PARSED]
    body = parsed.message()
    error = message_error(body, len(parsed.uploads), creating=True)
    if error is not None:
        raise ApiError(400, error)
    extra = {"message_reference": body["message_reference"]} if "message_reference" in body else {}
    if extra:
        extra["type"] = 19
    return web.json_response(
        public(store.post(channel_id, store.bot_user, body, parsed.uploads, **extra))
    )


async def get_message(request: web.Request) -> web.Response:
    store = require_bot(request)
    _messages(store, request.match_info["channel_id"])
    found = store.find(request.match_info["channel_id"], request.match_info["message_id"])
    return web.json_response(_visible(store, found))


async def edit_message(request: web.Request) -> web.Response:
    store = require_bot(request)
    found = store.find(request.match_info["channel_id"], request.match_info["message_id"])
    if found["author"]["id"] != store.application_id:
        raise ApiError.coded(403, "Cannot edit a message authored by another user", 50005)
    parsed = request[PARSED]
    body = parsed.message()
    error = message_error(body, len(parsed.uploads), creating=False)
    if error is not None:
        raise ApiError(400, error)
    return web.json_response(public(store.edit(found, body, parsed.uploads)))


async def get_member(request: web.Request) -> web.Response:
    store = require_bot(request)
    if request.match_info["guild_id"] != store.guild_id:
        raise ApiError.coded(404, "Unknown Guild", 10004)
    with store.lock:
        member = store.members.get(request.match_info["user_id"])
    if member is None:
        raise ApiError.coded(404, "Unknown Member", 10007)
    return web.json_response(member)
