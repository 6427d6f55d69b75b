"""The one command grammar (DESIGN §3) shared by the TUI palette, `plextui ctl` and Discord.

`parse_command(text)` turns what a person typed into a `Command`; `Command.to_text()`
spells it back so that `parse_command(cmd.to_text()) == cmd`, which lets the relay
forward commands as text and lets tests generate them. Every refusal is a CommandError
whose message says what was expected.

Titles and player names may be bare or double-quoted (straight or curly quotes; `\\"`
and `\\\\` escape inside quotes). `play` splits on the LAST bare word `on`, so quote a
player or title that contains " on ". A trailing bare `on` belongs to the title
(`play Carry On`). `quality` takes a rung name from the ladder: `original`, `1080p`
(20 Mbps), `1080p-10` (also `1080p 10 Mbps`), `720p`, `480p`, `360p` or `auto`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from plextui.core import playlist_grammar
from plextui.core.quality import QUALITY_NAMES, quality_name
from plextui.core.timecode import HINT, SeekTarget, parse_timecode
from plextui.core.volume import VolumeChange
from plextui.core.words import is_bare as _is_bare
from plextui.core.words import join as _join
from plextui.core.words import quote as _quote
from plextui.core.words import shown as _shown
from plextui.core.words import tokens as _tokens
from plextui.errors import CommandError

MAX_LENGTH = 500
VERSION_FLAG = "--version"  # play … --version <n|name>
HELP_HINT = "try 'help'"  # ends a refusal; a front end where help is spelled otherwise swaps it


class Action(StrEnum):
    """What a verb needs to be allowed from Discord: look, drive playback, or administer."""

    VIEW = "view"
    CONTROL = "control"
    ADMIN = "admin"


# verb → (usage, one-line description), in the order help lists them.
HELP: dict[str, tuple[str, str]] = {
    "play": (
        "play <title> [on <player>] [--version <n|name>]",
        "Play the best match for a title; --version picks one of its files (4k, 2)",
    ),
    "pause": ("pause", "Pause playback"),
    "resume": ("resume", "Resume playback"),
    "toggle": ("toggle", "Pause if playing, resume if paused"),
    "stop": ("stop", "Stop playback"),
    "seek": ("seek <time>", "Jump to 1:15:30, 75:30 or 90, or move by +30s / -1m"),
    "next": ("next", "Skip to the next item"),
    "prev": ("prev", "Go back to the previous item"),
    "volume": ("volume <0-100|+N|-N>", "Set the volume, or change it by N"),
    "shuffle": ("shuffle [on|off]", "Shuffle the play queue (toggles without an argument)"),
    "repeat": ("repeat [off|one|all]", "Repeat one item or the queue (cycles without one)"),
    "quality": (f"quality <{'|'.join(QUALITY_NAMES)}>", "Set local stream quality"),
    "audio": ("audio <language|n>", "Switch the audio track of what plays (audio french, audio 2)"),
    "subtitles": ("subtitles <language|n|off>", "Show subtitles in a language, by number, or off"),
    "search": ("search <query>", "Search every library"),
    "now": ("now", "Show what is playing"),
    "players": ("players [add|remove <address>]", "List players, or add one by address"),
    "use": ("use <player>", "Choose the default player"),
    "sessions": ("sessions", "List streams on the server"),
    "libraries": ("libraries", "List libraries"),
    "playlists": ("playlists", "List playlists"),
    "playlist": (playlist_grammar.USAGE, playlist_grammar.ABOUT),
    "history": ("history", "Show recently watched"),
    "continue": ("continue", "Show Continue Watching: what you stopped part way through"),
    "recent": ("recent [library]", "Show what was added lately, everywhere or in one library"),
    "stats": ("stats", "Cache statistics: entries, size and hit ratio per kind"),
    "help": ("help [command]", "List commands, or explain one"),
}
VERBS = tuple(HELP)

_CONTROL = {
    "play",
    "pause",
    "resume",
    "toggle",
    "stop",
    "seek",
    "next",
    "prev",
    "volume",
    "use",
    "shuffle",
    "repeat",
    "audio",
    "subtitles",
}
# Playlists are what the owner made, so the class follows what a form can lose: forms
# that only add or reorder (create, add, move) are CONTROL, like queueing something for
# the room; forms that take away or change what exists (remove, rename, delete) are
# ADMIN. `playlist` alone (the forms) and `playlist show` only look.
PLAYLIST_ACTIONS: dict[str, Action] = {
    "show": Action.VIEW,
    "create": Action.CONTROL,
    "add": Action.CONTROL,
    "move": Action.CONTROL,
    "remove": Action.ADMIN,
    "rename": Action.ADMIN,
    "delete": Action.ADMIN,
}
# Terminating other users' sessions is ADMIN too; it is a TUI action, not a verb.
# `playlist` is listed at the most its forms need; Command.action gives each form's class.
ACTION_CLASS: dict[str, Action] = {
    verb: Action.ADMIN
    if verb in ("quality", "playlist")
    else Action.CONTROL
    if verb in _CONTROL
    else Action.VIEW
    for verb in VERBS
}

ALIASES = {"previous": "prev", "unpause": "resume", "vol": "volume", "np": "now", "?": "help"}
ALIASES |= {"subs": "subtitles", "subtitle": "subtitles"}
MODES = {"shuffle": ("on", "off"), "repeat": ("off", "one", "all")}
_PREFIX = re.compile(r"[/!]plex(?:\s+|$)", re.IGNORECASE)
_VOLUME = re.compile(r"([+-]?)(\d{1,3})%?", re.ASCII)


@dataclass(frozen=True)
class Command:
    """One parsed command; only the fields its verb uses are set."""

    verb: str
    title: str | None = None  # play
    player: str | None = None  # play … on <player>, use <player>
    query: str | None = None  # search
    seek: SeekTarget | None = None
    volume: VolumeChange | None = None
    quality: str | None = None  # canonical rung name, see core.quality
    topic: str | None = None  # help <verb>
    mode: str | None = None  # shuffle on|off, repeat off|one|all; None toggles or cycles
    op: str | None = None  # playlist show|create|…|delete (None lists them); players add|remove
    playlist: str | None = None  # playlist <op> <playlist> (create: the new playlist's name)
    index: int | None = None  # playlist remove|move: the item by its number (1 is first)
    position: int | None = None  # playlist move … to <position>
    name: str | None = None  # playlist rename … to <name>
    address: str | None = None  # players add|remove <address> (op is add or remove)
    track: str | None = None  # audio <language|n>, subtitles <language|n|off>
    version: str | None = None  # play … --version <n|name>: which of the item's files
    library: str | None = None  # recent [library]
    # `title` is also the item of playlist create|add|remove|move when it is not a number

    @property
    def action(self) -> Action:
        if self.verb == "playlist":
            return PLAYLIST_ACTIONS[self.op] if self.op else Action.VIEW
        if self.verb == "players" and self.op:
            return Action.ADMIN  # it writes the config file
        return ACTION_CLASS[self.verb]

    def to_text(self) -> str:
        """The canonical spelling; `parse_command` reads it back to an equal Command."""
        words = [self.verb]
        if self.verb == "playlist" and self.op is not None:
            fields = {"playlist": self.playlist, "title": self.title, "index": self.index}
            fields |= {"position": self.position, "name": self.name}
            words += [self.op, *playlist_grammar.spell(self.op, fields)]
        elif self.verb == "players" and self.op is not None:
            words += [self.op, _quote(self.address or "")]
        elif self.verb == "play":
            words.append(_quote(self.title or "", ("on", VERSION_FLAG)))
            if self.player is not None:
                words += ["on", _quote(self.player, ("on", VERSION_FLAG))]
            if self.version is not None:
                words += [VERSION_FLAG, _quote(self.version, (VERSION_FLAG,), one_word=True)]
        elif self.track is not None:
            words.append(_quote(self.track, (), one_word=True))
        elif self.verb == "use":
            words.append(_quote(self.player or ""))
        elif self.verb == "search":
            words.append(_quote(self.query or ""))
        elif self.library is not None:
            words.append(_quote(self.library))
        elif self.seek is not None:
            words.append(self.seek.to_text())
        elif self.volume is not None:
            words.append(self.volume.to_text())
        elif self.quality is not None:
            words.append(self.quality)
        elif self.topic is not None:
            words.append(self.topic)
        elif self.mode is not None:
            words.append(self.mode)
        return " ".join(words)


def parse_command(text: str) -> Command:
    """Parse one command line, with or without a leading `/plex` or `!plex`."""
    text = check_text(text.strip())
    prefix = _PREFIX.match(text)
    if prefix:
        text = text[prefix.end() :]
    if not text:
        raise CommandError(f"empty command; {HELP_HINT}")
    word, *rest = text.split(maxsplit=1)
    verb = _verb(word)
    return _PARSERS.get(verb, _no_arguments)(verb, rest[0] if rest else "")


def check_text(text: str) -> str:
    """`text` when a command may hold it (a line, or one option of a slash command)."""
    if len(text) > MAX_LENGTH:
        raise CommandError(f"command too long ({len(text)} characters; the most is {MAX_LENGTH})")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise CommandError("command contains a control character")
    return text


def parse_argument(verb: str, argument: str) -> Command:
    """A known verb and its argument given as one value (a slash command's time, level or
    quality option), read by the rules, and refused with the messages, of a typed line."""
    return _PARSERS.get(verb, _no_arguments)(verb, check_text(argument.strip()))


def _verb(word: str) -> str:
    lowered = word.lower()
    lowered = ALIASES.get(lowered, lowered)
    if lowered in HELP:
        return lowered
    raise CommandError(f"unknown command '{_shown(word)}'; {_suggest(lowered)}")


def _suggest(word: str) -> str:
    import difflib  # only a wrong verb needs it

    matches = difflib.get_close_matches(word, [*VERBS, *ALIASES], n=1, cutoff=0.6)
    return f"did you mean '{ALIASES.get(matches[0], matches[0])}'?" if matches else HELP_HINT


def _no_arguments(verb: str, rest: str) -> Command:
    if rest:
        raise CommandError(f"{verb}: takes no arguments, got '{_shown(rest)}'")
    return Command(verb)


def _play(verb: str, rest: str) -> Command:
    tokens = _tokens(verb, rest)
    version = None
    flags = [i for i, token in enumerate(tokens) if _is_bare(token, VERSION_FLAG)]
    if flags:
        at = flags[0]
        if len(flags) > 1 or at + 1 >= len(tokens) or not tokens[at + 1][0].strip():
            raise CommandError("play: --version needs one number or name, like --version 4k")
        version = tokens[at + 1][0]
        tokens = tokens[:at] + tokens[at + 2 :]
    split = [i for i, (t, quoted) in enumerate(tokens) if not quoted and t.casefold() == "on"]
    cut = split[-1] if split and split[-1] < len(tokens) - 1 else None
    title = _join(tokens[:cut])
    if not title.strip():
        raise CommandError("play: what should I play?")
    if cut is None:
        return Command(verb, title=title, version=version)
    player = _join(tokens[cut + 1 :])
    if not player.strip():
        raise CommandError("play: on which player?")
    return Command(verb, title=title, player=player, version=version)


def _track(verb: str, rest: str) -> Command:
    """`audio <language|n>`, `subtitles <language|n|off>`: one word (quoted if it has spaces)."""
    words = _tokens(verb, rest)
    wants = "a language or a number" + (", or off" if verb == "subtitles" else "")
    if not words or not words[0][0].strip():
        raise CommandError(f"{verb}: which track? give {wants}, like '{verb} french' or '{verb} 2'")
    if len(words) > 1:
        raise CommandError(f"{verb}: expected {wants}, got '{_shown(rest)}'")
    return Command(verb, track=words[0][0])


def _use(verb: str, rest: str) -> Command:
    player = _join(_tokens(verb, rest))
    if not player.strip():
        raise CommandError("use: which player?")
    return Command(verb, player=player)


def _search(verb: str, rest: str) -> Command:
    query = _join(_tokens(verb, rest))
    if not query.strip():
        raise CommandError("search: what should I search for?")
    return Command(verb, query=query)


def _recent(verb: str, rest: str) -> Command:
    """`recent` (every library) or `recent <library>` (its name, as the server spells it)."""
    library = _join(_tokens(verb, rest)) if rest else ""
    return Command(verb, library=library.strip() or None)


def _seek(verb: str, rest: str) -> Command:
    if not rest:
        raise CommandError(f"seek: to where? {HINT}")
    return Command(verb, seek=parse_timecode(rest, verb))


def _volume(verb: str, rest: str) -> Command:
    match = _VOLUME.fullmatch(rest)
    if match is None or int(match[2]) > 100:
        got = f", got '{_shown(rest)}'" if rest else ""
        raise CommandError(f"volume: expected 0-100, +N or -N{got}")
    sign, value = match[1], int(match[2])
    if sign:
        return Command(verb, volume=VolumeChange(-value if sign == "-" else value, relative=True))
    return Command(verb, volume=VolumeChange(value))


def _quality(verb: str, rest: str) -> Command:
    choices = ", ".join(QUALITY_NAMES[:-1]) + f" or {QUALITY_NAMES[-1]}"
    if not rest:
        raise CommandError(f"quality: which one? use {choices}")
    name = quality_name(rest)
    if name is None:
        raise CommandError(f"quality: unknown quality '{_shown(rest)}'; use {choices}")
    return Command(verb, quality=name)


def _help(verb: str, rest: str) -> Command:
    if not rest:
        return Command(verb)
    if len(rest.split()) > 1:
        raise CommandError(f"help: expected one command name, got '{_shown(rest)}'")
    topic = rest.lower()
    topic = ALIASES.get(topic, topic)
    if topic not in HELP:
        raise CommandError(f"help: unknown command '{_shown(rest)}'; {_suggest(topic)}")
    return Command(verb, topic=topic)


def _mode(verb: str, rest: str) -> Command:
    if not rest:
        return Command(verb)
    mode = rest.strip().lower()
    if mode not in MODES[verb]:
        raise CommandError(f"{verb}: expected {' or '.join(MODES[verb])}, got '{_shown(rest)}'")
    return Command(verb, mode=mode)


def _players(verb: str, rest: str) -> Command:
    """`players`, `players add <address>` or `players remove <address>`."""
    if not rest:
        return Command(verb)
    op, _, address = rest.strip().partition(" ")
    if op.lower() not in ("add", "remove"):
        raise CommandError(f"players: expected add or remove, got '{_shown(op)}'")
    address = _join(_tokens(verb, address))
    if not address.strip():
        raise CommandError(f"players {op.lower()}: which address? like http://192.168.1.20:32500")
    return Command(verb, op=op.lower(), address=address)


def _playlist(verb: str, rest: str) -> Command:
    return Command(verb, **playlist_grammar.parse(rest))


_PARSERS = {
    "playlist": _playlist,
    "players": _players,
    "shuffle": _mode,
    "repeat": _mode,
    "play": _play,
    "use": _use,
    "search": _search,
    "recent": _recent,
    "seek": _seek,
    "volume": _volume,
    "quality": _quality,
    "audio": _track,
    "subtitles": _track,
    "help": _help,
}
