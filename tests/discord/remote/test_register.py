"""`plextui discord register` against the emulated Discord, which validates schemas as Discord does."""

from __future__ import annotations

from plextui.discord.remote import register
from plextui.discord.remote.register import SUBCOMMANDS, register_commands

from .conftest import BOT_TOKEN, make_settings


def test_bulk_overwrite_is_idempotent_and_complete(discord, channel):
    settings = make_settings(discord, channel)
    first = register_commands(settings)
    second = register_commands(settings)
    assert [c["name"] for c in second] == ["plex"] and first[0]["id"] == second[0]["id"]
    (plex,) = discord.commands()
    subs = {o["name"]: o for o in plex["options"]}
    assert (
        set(subs)
        == SUBCOMMANDS
        == {
            "play",
            "pause",
            "resume",
            "stop",
            "seek",
            "next",
            "prev",
            "volume",
            "quality",
            "audio",
            "subtitles",
            "search",
            "now",
            "continue",
            "recent",
            "playlist",
        }
    )
    title, player, version = subs["play"]["options"]
    assert title["autocomplete"] and title["required"] and player["autocomplete"]
    assert not version["required"]
    assert "720p" in [c["value"] for c in subs["quality"]["options"][0]["choices"]]


def test_playlist_is_a_group_of_the_grammars_forms(discord, channel):
    register_commands(make_settings(discord, channel))
    (plex,) = discord.commands()
    (group,) = [o for o in plex["options"] if o["name"] == "playlist"]
    assert group["type"] == 2  # a subcommand group, which Discord nests one level only
    forms = {
        o["name"]: [(f["name"], f["type"]) for f in o.get("options", [])] for o in group["options"]
    }
    assert forms == {
        "show": [("playlist", 3)],
        "create": [("name", 3), ("title", 3)],
        "add": [("playlist", 3), ("title", 3)],
        "remove": [("playlist", 3), ("item", 3)],
        "move": [("playlist", 3), ("item", 3), ("position", 4)],
        "rename": [("playlist", 3), ("name", 3)],
        "delete": [("playlist", 3)],
    }
    move = next(o for o in group["options"] if o["name"] == "move")
    assert move["options"][2]["min_value"] == 1 and move["options"][0]["autocomplete"]


def test_main_reports_config_and_discord_errors(discord, channel, capsys):
    assert register.main(make_settings(discord, channel, application_id="")) == 2
    assert "application_id" in capsys.readouterr().err
    wrong = make_settings(discord, channel, bot_token="not-the-token")
    assert register.main(wrong) == 1
    err = capsys.readouterr().err
    assert "401" in err and "not-the-token" not in err and BOT_TOKEN not in err
    assert register.main(make_settings(discord, channel)) == 0
    assert "Registered /plex" in capsys.readouterr().out
