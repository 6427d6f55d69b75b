"""Application command registration (reference §3.2): bulk overwrite with PUT, list with GET,
upsert with POST, global or per guild, validated the way Discord rejects bad schemas."""

from __future__ import annotations

import re

from aiohttp import web

from .channels import require_bot
from .limits import FormErrors
from .store import Store
from .wire import PARSED, ApiError

NAME = re.compile(r"^[-_'\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")
OPTIONS_MAX = 25
CHOICES_MAX = 25
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def routes(prefix: str) -> list[web.RouteDef]:
    base = prefix + "/applications/{application_id}"
    out = []
    for path in (base + "/commands", base + "/guilds/{guild_id}/commands"):
        out += [web.get(path, list_commands), web.put(path, overwrite), web.post(path, upsert)]
        out.append(web.delete(path + "/{command_id}", delete))
    return out


def _scope(request: web.Request) -> tuple[Store, tuple[str, str | None]]:
    store = require_bot(request)
    application_id = request.match_info["application_id"]
    if application_id != store.application_id:
        raise ApiError.coded(403, "Missing Access", 50001)
    guild_id = request.match_info.get("guild_id")
    if guild_id is not None and guild_id != store.guild_id:
        raise ApiError.coded(403, "Missing Access", 50001)
    return store, (application_id, guild_id)


def _check(errors: FormErrors, path: tuple, command: object, *, top: bool) -> None:
    if not isinstance(command, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    name = command.get("name")
    kind = command.get("type", 1)
    lower = kind == 1 or not top
    if not isinstance(name, str) or not NAME.match(name) or (lower and name != name.lower()):
        errors.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    description = command.get("description", "")
    if (top and kind == 1 or not top) and not (
        isinstance(description, str) and 1 <= len(description) <= 100
    ):
        errors.add(
            (*path, "description"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    options = command.get("options") or []
    if len(options) > OPTIONS_MAX:
        errors.too_long((*path, "options"), OPTIONS_MAX)
    for index, option in enumerate(options):
        _check(errors, (*path, "options", index), option, top=False)
        if isinstance(option, dict) and len(option.get("choices") or []) > CHOICES_MAX:
            errors.too_long((*path, "options", index, "choices"), CHOICES_MAX)
        if not top and _misplaced_subcommand(command, option):
            errors.add(
                (*path, "options", index, "type"),
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Sub-command and sub-command group option types are mutually exclusive to all "
                "other types",
            )


def _misplaced_subcommand(parent: dict, option: object) -> bool:
    """Nesting is command > group > subcommand only."""
    if not isinstance(option, dict) or option.get("type") not in (SUB_COMMAND, SUB_COMMAND_GROUP):
        return False
    return parent.get("type") != SUB_COMMAND_GROUP or option.get("type") != SUB_COMMAND


def _stored(
    store: Store, scope: tuple[str, str | None], command: dict, existing: dict | None
) -> dict:
    application_id, guild_id = scope
    kept = {
        "id": existing["id"] if existing else store.ids.next(),
        "application_id": application_id,
        "version": store.ids.next(),
        "type": command.get("type", 1),
        "name": command["name"],
        "description": command.get("description", ""),
        "options": command.get("options", []),
        "default_member_permissions": command.get("default_member_permissions"),
        "contexts": command.get("contexts"),
        "integration_types": command.get("integration_types", [0]),
        "nsfw": command.get("nsfw", False),
    }
    if guild_id is not None:
        kept["guild_id"] = guild_id
    return kept


def _validated(request: web.Request, many: bool) -> list[dict]:
    body = request[PARSED].json
    if request[PARSED].error is not None:
        raise request[PARSED].error
    commands = body if many else [body]
    if not isinstance(commands, list):
        raise ApiError(
            400,
            {
                "code": 50035,
                "errors": {"_errors": [{"code": "BASE_TYPE_LIST", "message": "Must be an array."}]},
                "message": "Invalid Form Body",
            },
        )
    errors = FormErrors()
    for index, command in enumerate(commands):
        _check(errors, (index,) if many else (), command, top=True)
    if errors.body():
        raise ApiError(400, errors.body())
    return commands


async def list_commands(request: web.Request) -> web.Response:
    store, scope = _scope(request)
    with store.lock:
        return web.json_response(store.commands.get(scope, []))


async def overwrite(request: web.Request) -> web.Response:
    """Bulk overwrite: the list replaces every command; names kept keep their ids."""
    store, scope = _scope(request)
    commands = _validated(request, many=True)
    with store.lock:
        old = {command["name"]: command for command in store.commands.get(scope, [])}
        store.commands[scope] = [_stored(store, scope, c, old.get(c["name"])) for c in commands]
        return web.json_response(store.commands[scope])


async def upsert(request: web.Request) -> web.Response:
    store, scope = _scope(request)
    (command,) = _validated(request, many=False)
    with store.lock:
        current = store.commands.setdefault(scope, [])
        existing = next((c for c in current if c["name"] == command["name"]), None)
        kept = _stored(store, scope, command, existing)
        store.commands[scope] = [c for c in current if c is not existing] + [kept]
    return web.json_response(kept, status=200 if existing else 201)


async def delete(request: web.Request) -> web.Response:
    store, scope = _scope(request)
    with store.lock:
        current = store.commands.get(scope, [])
        kept = [c for c in current if c["id"] != request.match_info["command_id"]]
        if len(kept) == len(current):
            raise ApiError.coded(404, "Unknown application command", 10063)
        store.commands[scope] = kept
    return web.Response(status=204)
