"""A slash command's options become the Command the same line typed in the channel gives,
without being written out as text and read back; the text is made only for the audit log."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plextui.core.commands import parse_command
from plextui.discord.remote.slash import audit_text, command_of, focused, spoken
from plextui.errors import CommandError


def slash(sub: str, /, *group: str, **values) -> dict:
    """`data` of `/plex sub [form] key:value …` as Discord sends it."""
    options = [{"name": k, "type": 3, "value": v} for k, v in values.items()]
    inner: dict = {"name": group[0] if group else sub, "type": 1}
    if options:
        inner["options"] = options
    top = {"name": sub, "type": 2, "options": [inner]} if group else inner
    return {"name": "plex", "type": 1, "options": [top]}


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        (slash("play", title="Alien (1979)"), "play Alien (1979)"),
        (
            slash("play", title="Carry on", player="Living Room TV"),
            'play "Carry on" on "Living Room TV"',
        ),
        (slash("play", title='The "Best" on Earth'), r'play "The \"Best\" on Earth"'),
        (slash("search", query="brave new"), "search brave new"),
        (slash("seek", time="1:15:30"), "seek 1:15:30"),
        (slash("seek", time="-1m"), "seek -1m"),
        (slash("volume", level="+5"), "volume +5"),
        (slash("quality", quality="720p"), "quality 720p"),
        (slash("audio", track="french"), "audio french"),
        (slash("subtitles", track="off"), "subtitles off"),
        (slash("subtitles", track="2"), "subs 2"),
        (
            slash("play", title="Heat", version="Director's Cut"),
            'play Heat --version "Director\'s Cut"',
        ),
        (slash("pause"), "pause"),
        (slash("now"), "now"),
        (slash("playlist", "show", playlist="Road trip"), 'playlist show "Road trip"'),
        (
            slash("playlist", "create", name="Road trip", title="Alien"),
            'playlist create "Road trip" with Alien',
        ),
        (slash("playlist", "add", playlist="Road trip", title="Up"), 'playlist add "Road trip" Up'),
        (slash("playlist", "remove", playlist="Mix", item="3"), "playlist remove Mix 3"),
        (slash("playlist", "remove", playlist="Mix", item='"1917"'), 'playlist remove Mix "1917"'),
        (slash("playlist", "remove", playlist="Mix", item="Up"), "playlist remove Mix Up"),
        (
            slash("playlist", "move", playlist="Mix", item="Up", position=2),
            "playlist move Mix Up to 2",
        ),
        (
            slash("playlist", "rename", playlist="Mix", name="Old mix"),
            "playlist rename Mix to Old mix",
        ),
        (slash("playlist", "delete", playlist="Road trip"), 'playlist delete "Road trip"'),
    ],
)
def test_options_give_the_command_the_typed_line_gives(data, typed):
    command = command_of(data)
    assert command == parse_command(typed)
    assert parse_command(audit_text(command)) == command  # the audit line reads back the same


@given(title=st.text(min_size=1, max_size=100), player=st.none() | st.text(min_size=1, max_size=40))
def test_any_title_and_player_are_taken_as_given(title, player):
    """Quotes, ` on `, backslashes: nothing in a title is read as grammar."""
    values = {"title": title} | ({"player": player} if player is not None else {})
    try:
        command = command_of(slash("play", **values))
    except CommandError:  # blank, or a control character: the grammar's limits
        return
    assert (command.title, command.player) == (title, player)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (slash("seek", time="1:\ud800"), "seek: cannot read"),
        (slash("volume", level="loud"), "volume: expected 0-100"),
        (slash("quality", quality="8k"), "unknown quality"),
        (slash("audio", track="en fr"), "audio: expected a language or a number"),
        (slash("hack"), "unknown subcommand 'hack'"),
        (slash("play", title="x\x00y"), "control character"),
        (slash("play", title="  "), "what should I play"),
        (slash("playlist", "move", playlist="Mix", item="Up", position=0), "positions start at 1"),
        (slash("playlist", "move", playlist="Mix", item="Up", position="soon"), "is a number"),
        (slash("playlist", "explode", playlist="Mix"), "unknown form"),
        ({"name": "plex"}, "which /plex subcommand"),
        ({"name": "other", "options": []}, "not mine"),
    ],
)
def test_what_cannot_be_a_command_is_a_one_line_error(data, words):
    with pytest.raises(CommandError, match=words):
        command_of(data)


def test_the_audit_text_of_an_unreadable_command_is_what_was_sent():
    assert spoken(slash("seek", time="1:\ud800")) == "/plex seek 1:\ud800"
    assert spoken(slash("playlist", "move", playlist="Mix", item="Up", position=0)) == (
        "/plex playlist move Mix Up 0"
    )


def test_the_focused_option_is_found_in_a_group_too():
    data = slash("playlist", "add", playlist="Ro", title="x")
    data["options"][0]["options"][0]["options"][0]["focused"] = True
    assert focused(data) == ("playlist", "Ro")
    assert focused(slash("play", title="x")) is None
