"""Words of a command line: splitting with quotes, joining, and quoting back.

Shared by the grammar (core.commands) and its playlist forms (core.playlist_grammar), so
that every verb reads `"Road trip"` and `“Road trip”` the same way and spells names back
in a form that reads back unchanged.
"""

from __future__ import annotations

from plextui.errors import CommandError

QUOTES = {'"': '"', "\u201c": "\u201d"}  # straight, and curly as phones type them

Token = tuple[str, bool]  # (text, quoted)


def tokens(verb: str, text: str) -> list[Token]:
    """Split into (text, quoted) words; a quote only opens at the start of a word."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        close = QUOTES.get(text[i])
        j = i + 1
        if close is None:
            while j < n and not text[j].isspace():
                j += 1
            out.append((text[i:j], False))
            i = j
            continue
        chars = []
        while j < n and text[j] != close:
            if text[j] == "\\" and j + 1 < n and text[j + 1] in (close, "\\"):
                j += 1
            chars.append(text[j])
            j += 1
        if j >= n:
            raise CommandError(f"{verb}: missing closing quote")
        if j + 1 < n and not text[j + 1].isspace():
            raise CommandError(f"{verb}: expected a space after the closing quote")
        out.append(("".join(chars), True))
        i = j + 1
    return out


def join(words: list[Token]) -> str:
    """One quoted word as it was; several words with single spaces between them."""
    return words[0][0] if len(words) == 1 else " ".join(t for t, _ in words)


def is_bare(token: Token, word: str) -> bool:
    """True when `token` is the unquoted keyword `word` (any case)."""
    return not token[1] and token[0].casefold() == word


def quote(text: str, reserved: tuple[str, ...] = ("on",), *, one_word: bool = False) -> str:
    """`text` bare when it reads back unchanged, else double-quoted with escapes.

    A word in `reserved` (a keyword that splits the line) forces quotes, as does more
    than one word when `one_word` (a name that must stay a single token).
    """
    words = text.split()
    plain = bool(words) and text == " ".join(words) and not (one_word and len(words) > 1)
    if plain and all(w.casefold() not in reserved and w[0] not in QUOTES for w in words):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def shown(text: str) -> str:
    """`text` cut to 40 characters for an error message."""
    return text if len(text) <= 40 else text[:39] + "…"
