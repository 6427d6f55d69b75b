"""Webhook routes (reference §2, §3.2 follow-ups): execute, and GET/PATCH/DELETE of a message,
for channel webhooks and for the application-owned webhook of an interaction token."""

from __future__ import annotations

from aiohttp import web

from .limits import message_error
from .ratelimit import CHANNEL, WEBHOOK, too_many
from .store import LOADING, Interaction, Store, Webhook, public
from .wire import PARSED, RATELIMIT, ApiError, Parsed, query_true, unknown_message, unknown_webhook

STATE: web.AppKey[Store] = web.AppKey("discord_store", Store)


def routes(prefix: str) -> list[web.RouteDef]:
    hook = prefix + "/webhooks/{webhook_id}/{token}"
    return [
        web.get(hook, get_webhook),
        web.post(hook, execute),
        web.get(hook + "/messages/{message_id}", message),
        web.patch(hook + "/messages/{message_id}", message),
        web.delete(hook + "/messages/{message_id}", message),
    ]


def _resolve(request: web.Request) -> Webhook | Interaction:
    store = request.app[STATE]
    webhook_id, token = request.match_info["webhook_id"], request.match_info["token"]
    if webhook_id == store.application_id:
        interaction = store.interaction(token)
        if interaction is None:
            raise unknown_webhook()
        _limit(request, token, interaction.payload.get("channel_id", ""))
        return interaction
    webhook = store.webhooks.get(webhook_id)
    if webhook is None:
        raise unknown_webhook()
    if webhook.token != token:
        raise ApiError.coded(401, "Invalid Webhook Token", 50027)
    _limit(request, webhook_id, webhook.channel_id)
    return webhook


def _limit(request: web.Request, key: str, channel_id: str) -> None:
    store = request.app[STATE]
    headers, limited = store.limiter.hit(
        [(f"webhook:{key}", WEBHOOK), (f"channel:{channel_id}", CHANNEL)]
    )
    request[RATELIMIT] = headers
    if limited is not None:
        raise ApiError(429, too_many(limited.retry_after, limited.scope), limited.headers)


def _validated(request: web.Request, *, creating: bool) -> tuple[dict, Parsed]:
    parsed: Parsed = request[PARSED]
    body = parsed.message()
    error = message_error(body, len(parsed.uploads), creating=creating)
    if error is not None:
        raise ApiError(400, error)
    return body, parsed


async def get_webhook(request: web.Request) -> web.Response:
    store = request.app[STATE]
    target = _resolve(request)
    if isinstance(target, Interaction):
        raise unknown_webhook()
    return web.json_response(
        {
            "id": target.id,
            "type": 1,
            "name": target.name,
            "avatar": None,
            "channel_id": target.channel_id,
            "guild_id": store.guild_id,
            "application_id": None,
            "token": target.token,
        }
    )


async def execute(request: web.Request) -> web.Response:
    store = request.app[STATE]
    target = _resolve(request)
    body, parsed = _validated(request, creating=True)
    if isinstance(target, Interaction):
        target.responses.append(body)
        original = target.original
        if original is not None and original["flags"] & LOADING:
            return web.json_response(public(store.edit(original, body, parsed.uploads)))
        channel_id = target.payload.get("channel_id", "")
        sent = store.post(channel_id, store.bot_user, body, parsed.uploads, **_app_fields(store))
        return web.json_response(public(sent))
    author = {
        "id": target.id,
        "username": body.get("username") or target.name,
        "avatar": None,
        "discriminator": "0000",
        "global_name": None,
        "bot": True,
    }
    sent = store.post(target.channel_id, author, body, parsed.uploads, webhook_id=target.id)
    if not query_true(request, "wait"):
        return web.Response(status=204)
    return web.json_response(public(sent))


async def message(request: web.Request) -> web.Response:
    store = request.app[STATE]
    target = _resolve(request)
    found = _find(store, target, request.match_info["message_id"])
    if request.method == "GET":
        return web.json_response(public(found))
    if request.method == "DELETE":
        store.delete(found)
        if isinstance(target, Interaction) and found is target.original:
            target.original = None
        return web.Response(status=204)
    body, parsed = _validated(request, creating=False)
    if isinstance(target, Interaction):
        target.responses.append(body)
    return web.json_response(public(store.edit(found, body, parsed.uploads)))


def _find(store: Store, target: Webhook | Interaction, message_id: str) -> dict:
    if isinstance(target, Webhook):
        found = store.find(target.channel_id, message_id)
        if found.get("webhook_id") != target.id:
            raise unknown_message()
        return found
    if message_id == "@original" or (target.original and target.original["id"] == message_id):
        if target.original is None:
            raise unknown_message()
        return target.original
    found = store.find(target.payload.get("channel_id", ""), message_id)
    if found.get("webhook_id") != store.application_id:
        raise unknown_message()
    return found


def _app_fields(store: Store) -> dict:
    return {"webhook_id": store.application_id, "application_id": store.application_id}
