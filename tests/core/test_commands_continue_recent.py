"""`continue` and `recent [library]` in the grammar: parsed the same from every front end."""

from __future__ import annotations

import pytest

from plextui.core.commands import Action, Command, parse_argument, parse_command
from plextui.errors import CommandError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("continue", Command("continue")),
        ("/plex continue", Command("continue")),
        ("recent", Command("recent")),
        ("recent movies", Command("recent", library="movies")),
        ('!plex recent "TV Shows"', Command("recent", library="TV Shows")),
        ("recent TV Shows", Command("recent", library="TV Shows")),
    ],
)
def test_parse(text, expected):
    command = parse_command(text)
    assert command == expected
    assert command.action is Action.VIEW
    assert parse_command(command.to_text()) == command


def test_continue_takes_no_arguments():
    with pytest.raises(CommandError, match="continue: takes no arguments"):
        parse_command("continue movies")


def test_a_slash_commands_library_option_reads_the_same():
    assert parse_argument("recent", "Music") == Command("recent", library="Music")
    assert parse_argument("recent", "") == Command("recent")


@pytest.mark.parametrize(
    ("options", "typed"),
    [
        ({"name": "continue", "type": 1}, "continue"),
        ({"name": "recent", "type": 1}, "recent"),
        (
            {
                "name": "recent",
                "type": 1,
                "options": [{"name": "library", "type": 3, "value": "TV Shows"}],
            },
            'recent "TV Shows"',
        ),
    ],
)
def test_discord_slash_commands_give_the_typed_lines_command(options, typed):
    from plextui.discord.remote.slash import command_of

    assert command_of({"name": "plex", "type": 1, "options": [options]}) == parse_command(typed)
