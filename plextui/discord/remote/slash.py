"""Reading an interaction: who sent it, and the Command its options stand for.

A slash command arrives as a tree of options (`/plex play title:x player:y` is
`{"name": "plex", "options": [{"name": "play", "options": [title, player]}]}`, and a
group adds one level: `/plex playlist add playlist:p title:x`). `command_of` builds the
`Command` from those values directly: titles, queries, names and players are taken as
given, and only what the grammar reads as a value (a time, a level, a quality, a number)
goes through its rules. The grammar's text form is made only for the audit log.

Even a signed body is only trusted to be JSON: `shape_problem` checks the parts read here.
"""

from __future__ import annotations

import re
from typing import Any

from plextui.core.commands import Command, VolumeChange, check_text, parse_argument
from plextui.core.words import shown
from plextui.discord.remote.authorizer import Caller
from plextui.discord.remote.register import GROUPS, SUBCOMMANDS
from plextui.errors import CommandError

_SNOWFLAKE = re.compile(r"[0-9]{1,20}")
_NUMBER = re.compile(r"[0-9]+", re.ASCII)
BUTTON_COMMANDS = {  # the card's control row (replies.BUTTONS) → what a click runs
    "plex:toggle": Command("toggle"),
    "plex:next": Command("next"),
    "plex:stop": Command("stop"),
    "plex:vol+": Command("volume", volume=VolumeChange(10, relative=True)),
    "plex:vol-": Command("volume", volume=VolumeChange(-10, relative=True)),
}
_ARGUMENT = {"seek": "time", "volume": "level", "quality": "quality"}  # read by the grammar
_ARGUMENT |= {"audio": "track", "subtitles": "track", "recent": "library"}


# --- shape --------------------------------------------------------------------------------


def _is_id(value: object) -> bool:
    return isinstance(value, str) and _SNOWFLAKE.fullmatch(value) is not None


def shape_problem(payload: dict) -> str | None:
    """What is wrong with the parts of a command, click or autocomplete we read, in a few
    words (None when nothing is)."""
    member = payload.get("member")
    if member is not None:
        if not isinstance(member, dict):
            return "member is not an object"
        roles = member.get("roles", [])
        if not isinstance(roles, list) or not all(_is_id(r) for r in roles):
            return "member.roles is not a list of ids"
        if not isinstance(member.get("nick"), str | None):
            return "member.nick is not text"
    user = member.get("user") if isinstance(member, dict) else payload.get("user")
    if not isinstance(user, dict) or not _is_id(user.get("id")):
        return "no user with an id"
    if not all(isinstance(user.get(k), str | None) for k in ("username", "global_name")):
        return "a user name is not text"
    if "application_id" in payload and not _is_id(payload["application_id"]):
        return "application_id is not an id"
    if not isinstance(payload.get("token", ""), str):
        return "token is not text"
    data = payload.get("data") or {}
    if not all(isinstance(data.get(k), str | None) for k in ("name", "custom_id")):
        return "data.name or data.custom_id is not text"
    return _options_problem(data.get("options"), depth=0)


def _options_problem(options: object, depth: int) -> str | None:
    """Options are a list of objects with a text name and a plain value; subcommands (and
    their groups) nest them at most two deep."""
    if options is None:
        return None
    if depth > 2 or not isinstance(options, list):
        return "data.options is not a list of options"
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("name"), str):
            return "an option is not an object with a name"
        if not isinstance(option.get("value"), str | int | float | None):
            return "an option's value is not plain"
        if not isinstance(option.get("focused"), bool | None):
            return "an option's focus is not true or false"
        problem = _options_problem(option.get("options"), depth + 1)
        if problem:
            return problem
    return None


def caller_of(payload: dict) -> Caller:
    member = payload.get("member") or {}
    user = member.get("user") or payload.get("user") or {}
    roles = tuple(str(r) for r in member.get("roles") or () if isinstance(r, str | int))
    name = user.get("global_name") or user.get("username") or ""
    return Caller(str(user.get("id", "")), str(name), roles)


# --- options ------------------------------------------------------------------------------


def chosen(data: dict) -> tuple[list[str], list[dict]]:
    """The subcommand's path and its options: `/plex playlist add …` → (["playlist", "add"],
    [playlist, title]); a path of what was sent, checked by `command_of`."""
    path: list[str] = []
    options = data.get("options") or []
    while options and isinstance(options[0], dict) and len(path) < 2:
        path.append(str(options[0].get("name", "")))
        options = options[0].get("options") or []
        if path[0] not in GROUPS:
            break
    return path, [o for o in options if isinstance(o, dict)]


def spoken(data: dict) -> str:
    """The slash command as typed, `/plex seek 1:00`: the audit log's text for a command
    that could not be read into a Command."""
    path, options = chosen(data)
    values = [str(o.get("value")) for o in options if o.get("value") is not None]
    return " ".join([f"/{data.get('name') or '?'}", *path, *values])


def audit_text(command: Command) -> str:
    return f"/plex {command.to_text()}"


def command_of(data: dict) -> Command:
    """The Command a `/plex …` slash command stands for; CommandError when it cannot be one."""
    if data.get("name") != "plex":
        raise CommandError("that command is not mine")
    path, options = chosen(data)
    if not path:
        raise CommandError("which /plex subcommand?")
    verb = path[0]
    if verb not in SUBCOMMANDS:
        raise CommandError(f"unknown subcommand '{shown(verb)[:40]}'")
    values = {o["name"]: o.get("value") for o in options}
    if verb in GROUPS:
        return _playlist(path[1] if len(path) > 1 else "", values)
    if verb == "play":
        player = _text(values, "player", "play: on which player?", required=False)
        version = _text(values, "version", "play: which version?", required=False)
        return Command(
            "play",
            title=_text(values, "title", "play: what should I play?"),
            player=player,
            version=version,
        )
    if verb == "search":
        return Command("search", query=_text(values, "query", "search: what should I search for?"))
    if verb in _ARGUMENT:
        value = values.get(_ARGUMENT[verb])
        return parse_argument(verb, "" if value is None else str(value))
    return Command(verb)


def _text(values: dict[str, Any], name: str, missing: str, required: bool = True) -> str | None:
    """A free-text option, as given (within the grammar's limits)."""
    value = values.get(name)
    if value is None and not required:
        return None
    text = check_text("" if value is None else str(value))
    if not text.strip():
        raise CommandError(missing)
    return text


def _playlist(op: str, values: dict[str, Any]) -> Command:
    """`/plex playlist <op> …`: the same fields `playlist <op> …` typed would give."""
    if op not in GROUPS["playlist"]:
        raise CommandError(f"playlist: unknown form '{shown(op)[:40]}'")
    where = f"playlist {op}"
    if op == "create":
        name = _text(values, "name", f"{where}: what should the playlist be called?")
        return Command(
            "playlist",
            op=op,
            playlist=name,
            title=_text(values, "title", f"{where}: with which title?"),
        )
    fields: dict[str, Any] = {"playlist": _text(values, "playlist", f"{where}: which playlist?")}
    if op == "add":
        fields["title"] = _text(values, "title", f"{where}: what should I add?")
    elif op in ("remove", "move"):
        item = _text(values, "item", f"{where}: which item?") or ""
        fields |= _item(where, item)
        if op == "move":
            fields["position"] = _position(where, values.get("position"))
    elif op == "rename":
        fields["name"] = _text(values, "name", f"{where}: to what?")
    return Command("playlist", op=op, **fields)


def _item(where: str, item: str) -> dict[str, Any]:
    """An item by its number, or by title (a title that is a number is given in quotes)."""
    if _NUMBER.fullmatch(item):
        return {"index": _position(where, item)}
    if len(item) > 2 and item[0] == item[-1] == '"' and _NUMBER.fullmatch(item[1:-1]):
        return {"title": item[1:-1]}
    return {"title": item}


def _position(where: str, value: object) -> int:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not _NUMBER.fullmatch(text.strip()):
        raise CommandError(f"{where}: the position is a number, got '{shown(str(value))[:40]}'")
    if int(text) < 1:
        raise CommandError(f"{where}: positions start at 1, got '{text.strip()}'")
    return int(text)


def focused(data: dict) -> tuple[str, str] | None:
    """The option being typed in an autocomplete: its name and what is typed so far."""
    _path, options = chosen(data)
    option = next((o for o in options if o.get("focused")), None)
    if option is None:
        return None
    return str(option.get("name")), str(option.get("value") or "").strip()[:100]
