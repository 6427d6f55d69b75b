"""The `playlist …` forms of the command grammar: which playlist, which item, where to.

One rule for every form: the playlist comes first, right after the form's name, and a
name with spaces is quoted: `playlist add "Road trip" Alien`. Where a keyword or the end
of the line ends the name (`create … with`, `rename … to`, `show`, `delete`) the quotes
may be left out: `playlist rename Road trip to Summer`. An item is a title or its number
in the playlist (`playlist remove "Road trip" 3`); quote a title that is a number
(`"1917"`). `create` and `rename` split on the first bare `with` / `to` after the name,
`move` on the last bare `to`, so titles may hold those words.

A Plex playlist cannot be empty (the server creates one from its first item), so
`create` needs `with <title>`; there is no implicit create on `add`, where a mistyped
name would quietly make a second playlist.
"""

from __future__ import annotations

import re
from typing import Any

from plextui.core.words import Token, is_bare, join, quote, shown, tokens
from plextui.errors import CommandError

# form → (usage, one-line description), in the order `playlist` alone lists them.
OPS: dict[str, tuple[str, str]] = {
    "show": ("playlist show <playlist>", "List a playlist's items, numbered"),
    "create": ("playlist create <name> with <title>", "Make a playlist from its first item"),
    "add": ("playlist add <playlist> <title>", "Add a title (a show or album adds all of it)"),
    "remove": ("playlist remove <playlist> <title|n>", "Take an item out, by title or number"),
    "move": ("playlist move <playlist> <title|n> to <position>", "Move an item (1 is first)"),
    "rename": ("playlist rename <playlist> to <new name>", "Rename a playlist"),
    "delete": ("playlist delete <playlist>", "Delete a playlist (cannot be undone)"),
}
USAGE = "playlist <form> …"
ABOUT = f"Show or edit playlists: {', '.join(OPS)} ('playlist' alone shows how)"
_NUMBER = re.compile(r"[0-9]+", re.ASCII)
_HINT = " (quote a name with spaces)"


def parse(rest: str) -> dict[str, Any]:
    """The Command fields of `playlist <rest>`; {} for `playlist` alone."""
    words = tokens("playlist", rest)
    if not words:
        return {}
    op = words[0][0].casefold()
    if words[0][1] or op not in OPS:
        forms = ", ".join(list(OPS)[:-1]) + f" or {list(OPS)[-1]}"
        raise CommandError(f"playlist: expected {forms}, got '{shown(words[0][0])}'")
    return {"op": op, **_PARSERS[op](op, words[1:])}


def spell(op: str, fields: dict[str, Any]) -> list[str]:
    """The words after `playlist <op>` that `parse` reads back to the same fields."""
    words = [quote(fields["playlist"] or "", ("to", "with"), one_word=True)]
    if op == "create":
        words += ["with", quote(fields["title"] or "", ())]
    elif op == "add":
        words.append(quote(fields["title"] or "", ()))
    elif op in ("remove", "move"):
        index, title = fields["index"], fields["title"] or ""
        words.append(str(index) if index is not None else _title(title))
        if op == "move":
            words += ["to", str(fields["position"])]
    elif op == "rename":
        words += ["to", quote(fields["name"] or "", ())]
    return words


def _title(title: str) -> str:
    return f'"{title}"' if _NUMBER.fullmatch(title) else quote(title, ())


def _usage(op: str) -> str:
    return OPS[op][0]


def _whole(op: str, words: list[Token]) -> dict[str, Any]:
    """show, delete: the whole rest is the playlist."""
    name = join(words) if words else ""
    if not name.strip():
        raise CommandError(f"playlist {op}: which playlist? {_usage(op)}")
    return {"playlist": name}


def _split(op: str, words: list[Token], keyword: str, field: str) -> dict[str, Any]:
    """create … with <title>, rename … to <name>: cut at the first keyword after the name."""
    cut = next((i for i in range(1, len(words) - 1) if is_bare(words[i], keyword)), None)
    if cut is None:
        what = "a Plex playlist starts with an item:" if op == "create" else "to what?"
        raise CommandError(f"playlist {op}: {what} {_usage(op)}")
    name, value = join(words[:cut]), join(words[cut + 1 :])
    if not name.strip() or not value.strip():
        raise CommandError(f"playlist {op}: expected {_usage(op)}")
    return {"playlist": name, field: value}


def _create(op: str, words: list[Token]) -> dict[str, Any]:
    return _split(op, words, "with", "title")


def _rename(op: str, words: list[Token]) -> dict[str, Any]:
    return _split(op, words, "to", "name")


def _first(op: str, words: list[Token]) -> tuple[str, list[Token]]:
    """add, remove, move: the first word is the playlist; the rest names the item."""
    if not words or not words[0][0].strip():
        raise CommandError(f"playlist {op}: which playlist? {_usage(op)}")
    if len(words) == 1:
        raise CommandError(_missing_item(op, words[0][0]))
    return words[0][0], words[1:]


def _missing_item(op: str, playlist: str) -> str:
    what = "what should I add to" if op == "add" else f"which item should I {op} from"
    return f"playlist {op}: {what} '{shown(playlist)}'? {_usage(op)}{_HINT}"


def _item(op: str, words: list[Token]) -> dict[str, Any]:
    """A number (bare, ASCII digits) is a position; anything else is a title."""
    if len(words) == 1 and not words[0][1] and _NUMBER.fullmatch(words[0][0]):
        return {"index": _position(op, words[0][0])}
    title = join(words)
    if not title.strip():
        raise CommandError(f"playlist {op}: which item? {_usage(op)}")
    return {"title": title}


def _position(op: str, text: str) -> int:
    value = int(text)
    if value < 1:
        raise CommandError(f"playlist {op}: positions start at 1, got '{shown(text)}'")
    return value


def _add(op: str, words: list[Token]) -> dict[str, Any]:
    playlist, rest = _first(op, words)
    title = join(rest)
    if not title.strip():
        raise CommandError(_missing_item(op, playlist))
    return {"playlist": playlist, "title": title}


def _remove(op: str, words: list[Token]) -> dict[str, Any]:
    playlist, rest = _first(op, words)
    return {"playlist": playlist, **_item(op, rest)}


def _move(op: str, words: list[Token]) -> dict[str, Any]:
    playlist, rest = _first(op, words)
    cut = next((i for i in range(len(rest) - 1, 0, -1) if is_bare(rest[i], "to")), None)
    if cut is None and is_bare(rest[0], "to"):
        raise CommandError(f"playlist {op}: which item? {_usage(op)}")
    if cut is None or cut == len(rest) - 1:
        raise CommandError(f"playlist {op}: to which position? {_usage(op)}")
    target = rest[cut + 1 :]
    if len(target) > 1 or target[0][1] or not _NUMBER.fullmatch(target[0][0]):
        got = shown(join(target))
        raise CommandError(f"playlist {op}: the position is a number, got '{got}'")
    return {"playlist": playlist, **_item(op, rest[:cut]), "position": _position(op, target[0][0])}


_PARSERS = {
    "show": _whole,
    "delete": _whole,
    "create": _create,
    "rename": _rename,
    "add": _add,
    "remove": _remove,
    "move": _move,
}
