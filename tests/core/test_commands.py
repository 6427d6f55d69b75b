"""The command grammar: every verb, aliases, quoting, exact errors, and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plextui.core import playlist_grammar
from plextui.core.commands import (
    ACTION_CLASS,
    ALIASES,
    HELP,
    MAX_LENGTH,
    PLAYLIST_ACTIONS,
    VERBS,
    Action,
    Command,
    VolumeChange,
    parse_command,
)
from plextui.core.quality import QUALITY_NAMES
from plextui.core.timecode import MAX_MS, SeekTarget
from plextui.errors import CommandError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("play Up", Command("play", title="Up")),
        ('play "Up" on "Living Room TV"', Command("play", title="Up", player="Living Room TV")),
        (
            "play The Lord of the Rings on Den",
            Command("play", title="The Lord of the Rings", player="Den"),
        ),
        (
            "play Once Upon a Time on Den on TV",
            Command("play", title="Once Upon a Time on Den", player="TV"),
        ),
        ('play "Live on Mars" on Den', Command("play", title="Live on Mars", player="Den")),
        ('play Up on "Den on 2"', Command("play", title="Up", player="Den on 2")),
        ("play Carry On", Command("play", title="Carry On")),
        ("play “Up” on “TV”", Command("play", title="Up", player="TV")),
        ('play "a \\"b\\" c"', Command("play", title='a "b" c')),
        ('play "AC\\DC"', Command("play", title="AC\\DC")),
        ("play Schindler's List", Command("play", title="Schindler's List")),
        ('play "  spaced  "', Command("play", title="  spaced  ")),
        ("/plex play Up", Command("play", title="Up")),
        ("!PLEX   play Up ON tv", Command("play", title="Up", player="tv")),
        ("PAUSE", Command("pause")),
        ("resume", Command("resume")),
        ("unpause", Command("resume")),
        ("toggle", Command("toggle")),
        ("stop", Command("stop")),
        ("next", Command("next")),
        ("prev", Command("prev")),
        ("previous", Command("prev")),
        ("seek 1:15:30", Command("seek", seek=SeekTarget(4_530_000))),
        ("seek -1m", Command("seek", seek=SeekTarget(-60_000, relative=True))),
        ("volume 50", Command("volume", volume=VolumeChange(50))),
        ("volume 50%", Command("volume", volume=VolumeChange(50))),
        ("vol +5", Command("volume", volume=VolumeChange(5, relative=True))),
        ("volume -10", Command("volume", volume=VolumeChange(-10, relative=True))),
        ("quality 720p", Command("quality", quality="720p")),
        ("quality ORIGINAL", Command("quality", quality="original")),
        ("quality 1080p", Command("quality", quality="1080p")),
        ("quality 1080p-20", Command("quality", quality="1080p")),
        ("quality 1080p 10 Mbps", Command("quality", quality="1080p-10")),
        ("quality 1080p-10", Command("quality", quality="1080p-10")),
        ("quality auto", Command("quality", quality="auto")),
        ("search star   wars", Command("search", query="star wars")),
        ('search "on the road"', Command("search", query="on the road")),
        ("now", Command("now")),
        ("np", Command("now")),
        ("players", Command("players")),
        ("use Living Room TV", Command("use", player="Living Room TV")),
        ("sessions", Command("sessions")),
        ("libraries", Command("libraries")),
        ("playlists", Command("playlists")),
        ("history", Command("history")),
        ("help", Command("help")),
        ("help seek", Command("help", topic="seek")),
        ("? vol", Command("help", topic="volume")),
    ],
)
def test_parse(text, expected):
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty command; try 'help'"),
        ("   ", "empty command; try 'help'"),
        ("/plex", "empty command; try 'help'"),
        ("paly Up", "unknown command 'paly'; did you mean 'play'?"),
        ("Stpo", "unknown command 'Stpo'; did you mean 'stop'?"),
        ("xyzzy", "unknown command 'xyzzy'; try 'help'"),
        ("/plexus", "unknown command '/plexus'; try 'help'"),
        ("play", "play: what should I play?"),
        ('play ""', "play: what should I play?"),
        ("play on TV", "play: what should I play?"),
        ('play Up on ""', "play: on which player?"),
        ('play "Up', "play: missing closing quote"),
        ('play "Up"s', "play: expected a space after the closing quote"),
        ("pause now", "pause: takes no arguments, got 'now'"),
        ("seek", "seek: to where? use 1:15:30, 75:30, 90, +30s or -1m"),
        ("seek 1:7x", "seek: cannot read '1:7x'; use 1:15:30, 75:30, 90, +30s or -1m"),
        ("volume", "volume: expected 0-100, +N or -N"),
        ("volume 200", "volume: expected 0-100, +N or -N, got '200'"),
        ("volume +101", "volume: expected 0-100, +N or -N, got '+101'"),
        ("volume loud", "volume: expected 0-100, +N or -N, got 'loud'"),
        (
            "quality",
            "quality: which one? use original, 1080p, 1080p-10, 720p, 480p, 360p or auto",
        ),
        (
            "quality 999p",
            "quality: unknown quality '999p'; use original, 1080p, 1080p-10, 720p, 480p, "
            "360p or auto",
        ),
        ("search", "search: what should I search for?"),
        ("use", "use: which player?"),
        ("help paly", "help: unknown command 'paly'; did you mean 'play'?"),
        ("help play now", "help: expected one command name, got 'play now'"),
        ("play a\x00b", "command contains a control character"),
        ("play a\nb", "command contains a control character"),
        (
            "play " + "x" * MAX_LENGTH,
            f"command too long ({MAX_LENGTH + 5} characters; the most is 500)",
        ),
        ("pause " + "x" * 60, "pause: takes no arguments, got '" + "x" * 39 + "…'"),
    ],
)
def test_errors(text, message):
    with pytest.raises(CommandError) as caught:
        parse_command(text)
    assert str(caught.value) == message


def test_trailing_newline_is_fine():
    assert parse_command("pause\n") == Command("pause")


def test_action_classes():
    assert {v for v, a in ACTION_CLASS.items() if a is Action.VIEW} == {
        "now",
        "search",
        "players",
        "sessions",
        "libraries",
        "playlists",
        "history",
        "continue",
        "recent",
        "help",
        "stats",
    }
    assert {v for v, a in ACTION_CLASS.items() if a is Action.ADMIN} == {"quality", "playlist"}
    assert ACTION_CLASS["audio"] is ACTION_CLASS["subtitles"] is Action.CONTROL
    assert set(ACTION_CLASS) == set(VERBS) == set(HELP)
    assert Command("seek", seek=SeekTarget(0)).action == "control"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("playlist", Action.VIEW),
        ("playlist show Mix", Action.VIEW),
        ("playlist create Mix with Up", Action.CONTROL),
        ("playlist add Mix Up", Action.CONTROL),
        ("playlist move Mix 2 to 1", Action.CONTROL),
        ("playlist remove Mix 2", Action.ADMIN),
        ("playlist rename Mix to Max", Action.ADMIN),
        ("playlist delete Mix", Action.ADMIN),
    ],
)
def test_playlist_forms_have_their_own_class(text, action):
    assert parse_command(text).action is action
    assert set(PLAYLIST_ACTIONS) == set(playlist_grammar.OPS)


def test_help_covers_every_verb_with_usage_starting_with_it():
    for verb, (usage, description) in HELP.items():
        assert usage.split()[0] == verb
        assert description
    assert set(ALIASES.values()) <= set(VERBS)


@pytest.mark.parametrize(
    ("change", "current", "expected"),
    [
        (VolumeChange(30), 80, 30),
        (VolumeChange(10, True), 95, 100),
        (VolumeChange(-10, True), 5, 0),
    ],
)
def test_volume_apply_clamps(change, current, expected):
    assert change.apply(current) == expected


def test_volume_then_accumulates_and_clamps():
    step = VolumeChange(5, True)
    total = step
    for _ in range(9):
        total = total.then(step)
    assert total == VolumeChange(50, True)
    for _ in range(20):
        total = total.then(step)
    assert total == VolumeChange(100, True)
    assert VolumeChange(90).then(step).then(step).then(step) == VolumeChange(100)
    assert step.then(VolumeChange(20)) == VolumeChange(20)


# --- playlist forms -------------------------------------------------------------------


def pl(op: str, playlist: str, **fields) -> Command:
    return Command("playlist", op=op, playlist=playlist, **fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("playlist", Command("playlist")),
        ("PLAYLIST Show Movie Night", pl("show", "Movie Night")),
        ('playlist show "Movie Night"', pl("show", "Movie Night")),
        ("playlist create Road trip with Alien", pl("create", "Road trip", title="Alien")),
        (
            "playlist create Road trip with Gone with the Wind",
            pl("create", "Road trip", title="Gone with the Wind"),
        ),
        ('playlist create "Fun with Dick" with Up', pl("create", "Fun with Dick", title="Up")),
        ('playlist add "Road trip" Alien (1979)', pl("add", "Road trip", title="Alien (1979)")),
        ("playlist add Mix Back to the Future", pl("add", "Mix", title="Back to the Future")),
        ("playlist add “Road trip” “Up”", pl("add", "Road trip", title="Up")),
        ('/plex playlist remove "Road trip" 3', pl("remove", "Road trip", index=3)),
        ('playlist remove Mix "1917"', pl("remove", "Mix", title="1917")),
        ("playlist remove Mix 1917 (2019)", pl("remove", "Mix", title="1917 (2019)")),
        ("playlist move Mix 3 to 1", pl("move", "Mix", index=3, position=1)),
        (
            "playlist move Mix Back to the Future TO 2",
            pl("move", "Mix", title="Back to the Future", position=2),
        ),
        ("playlist move Mix to to 2", pl("move", "Mix", title="to", position=2)),
        ("playlist rename Road trip to Summer", pl("rename", "Road trip", name="Summer")),
        ("playlist rename Mix to to be sorted", pl("rename", "Mix", name="to be sorted")),
        ('playlist rename "Up to 11" to Eleven', pl("rename", "Up to 11", name="Eleven")),
        ("playlist delete Movie Night", pl("delete", "Movie Night")),
        ("!plex playlist delete Mix", pl("delete", "Mix")),
    ],
)
def test_parse_playlist(text, expected):
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "playlist clear Mix",
            "playlist: expected show, create, add, remove, move, rename or delete, got 'clear'",
        ),
        (
            'playlist "add" Mix Up',
            "playlist: expected show, create, add, remove, move, rename or delete, got 'add'",
        ),
        ("playlist show", "playlist show: which playlist? playlist show <playlist>"),
        ('playlist delete ""', "playlist delete: which playlist? playlist delete <playlist>"),
        (
            "playlist create Road trip",
            "playlist create: a Plex playlist starts with an item: "
            "playlist create <name> with <title>",
        ),
        (
            "playlist create Played with",
            "playlist create: a Plex playlist starts with an item: "
            "playlist create <name> with <title>",
        ),
        (
            'playlist create "" with Up',
            "playlist create: expected playlist create <name> with <title>",
        ),
        ("playlist add", "playlist add: which playlist? playlist add <playlist> <title>"),
        (
            "playlist add Mix",
            "playlist add: what should I add to 'Mix'? playlist add <playlist> <title> "
            "(quote a name with spaces)",
        ),
        (
            'playlist add Mix ""',
            "playlist add: what should I add to 'Mix'? playlist add <playlist> <title> "
            "(quote a name with spaces)",
        ),
        (
            "playlist remove Mix",
            "playlist remove: which item should I remove from 'Mix'? "
            "playlist remove <playlist> <title|n> (quote a name with spaces)",
        ),
        ("playlist remove Mix 0", "playlist remove: positions start at 1, got '0'"),
        (
            "playlist move Mix Up",
            "playlist move: to which position? playlist move <playlist> <title|n> to <position>",
        ),
        (
            "playlist move Mix Up to",
            "playlist move: to which position? playlist move <playlist> <title|n> to <position>",
        ),
        (
            "playlist move Mix to 2",
            "playlist move: which item? playlist move <playlist> <title|n> to <position>",
        ),
        ("playlist move Mix Up to top", "playlist move: the position is a number, got 'top'"),
        ('playlist move Mix Up to "2"', "playlist move: the position is a number, got '2'"),
        ("playlist move Mix Up to 0", "playlist move: positions start at 1, got '0'"),
        (
            "playlist rename Mix",
            "playlist rename: to what? playlist rename <playlist> to <new name>",
        ),
        ('playlist add "Road trip Up', "playlist: missing closing quote"),
    ],
)
def test_playlist_errors(text, message):
    with pytest.raises(CommandError) as caught:
        parse_command(text)
    assert str(caught.value) == message


# --- properties -----------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40).filter(
    str.strip
)
no_args = st.sampled_from(
    sorted(
        v
        for v in VERBS
        if v not in {"play", "seek", "volume", "quality", "search", "use", "audio", "subtitles"}
    )
)
commands = st.one_of(
    st.builds(Command, no_args.filter(lambda v: v != "help")),
    st.builds(lambda t, p: Command("play", title=t, player=p), names, st.none() | names),
    st.builds(
        lambda t, p, v: Command("play", title=t, player=p, version=v),
        names,
        st.none() | names,
        names,
    ),
    st.builds(lambda v, t: Command(v, track=t), st.sampled_from(["audio", "subtitles"]), names),
    st.builds(lambda p: Command("use", player=p), names),
    st.builds(lambda q: Command("search", query=q), names),
    st.builds(
        lambda ms, rel: Command("seek", seek=SeekTarget(ms if rel else abs(ms), rel)),
        st.integers(-MAX_MS, MAX_MS),
        st.booleans(),
    ),
    st.builds(lambda v: Command("volume", volume=VolumeChange(v)), st.integers(0, 100)),
    st.builds(lambda v: Command("volume", volume=VolumeChange(v, True)), st.integers(-100, 100)),
    st.builds(lambda q: Command("quality", quality=q), st.sampled_from(QUALITY_NAMES)),
    st.builds(lambda t: Command("help", topic=t), st.none() | st.sampled_from(VERBS)),
)
positions = st.integers(1, 10**6)
playlist_commands = st.one_of(
    st.builds(lambda op, p: pl(op, p), st.sampled_from(["show", "delete"]), names),
    st.builds(lambda p, t: pl("create", p, title=t), names, names),
    st.builds(lambda p, t: pl("add", p, title=t), names, names),
    st.builds(lambda p, t: pl("remove", p, title=t), names, names),
    st.builds(lambda p, n: pl("remove", p, index=n), names, positions),
    st.builds(lambda p, t, n: pl("move", p, title=t, position=n), names, names, positions),
    st.builds(lambda p, i, n: pl("move", p, index=i, position=n), names, positions, positions),
    st.builds(lambda p, n: pl("rename", p, name=n), names, names),
)
keywords = st.sampled_from(["to", "with", "To", "1917", "3", '"x"', "on"])
tricky = st.lists(keywords | names, min_size=1, max_size=4).map(" ".join)
playlist_tricky = st.builds(
    lambda op, p, t: pl(op, p, title=t) if op != "move" else pl(op, p, title=t, position=2),
    st.sampled_from(["create", "add", "remove", "move"]),
    tricky,
    tricky,
)


@given(commands)
def test_to_text_round_trips(command):
    assert parse_command(command.to_text()) == command


@given(playlist_commands | playlist_tricky)
def test_playlist_to_text_round_trips(command):
    assert parse_command(command.to_text()) == command
    assert parse_command("!plex " + command.to_text()) == command


@given(commands)
def test_discord_prefix_is_transparent(command):
    assert parse_command("/plex " + command.to_text()) == command


@given(st.text(max_size=600))
def test_parse_raises_only_command_error(text):
    try:
        parse_command(text)
    except CommandError:
        pass


@given(st.sampled_from(VERBS), st.text(max_size=80))
def test_parse_any_arguments_raises_only_command_error(verb, rest):
    try:
        parse_command(f"{verb} {rest}")
    except CommandError:
        pass


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("shuffle", None),
        ("shuffle on", "on"),
        ("SHUFFLE Off", "off"),
        ("repeat", None),
        ("repeat all", "all"),
        ("/plex repeat one", "one"),
    ],
)
def test_shuffle_and_repeat_modes(text, mode):
    command = parse_command(text)
    assert command.mode == mode
    assert parse_command(command.to_text()) == command


def test_bad_repeat_mode_is_explained():
    with pytest.raises(CommandError, match="repeat: expected off or one or all, got 'twice'"):
        parse_command("repeat twice")
