"""The words people saw in issue 17, said once and as a person would say them, in every
front end: the Discord reply to a failed or unreadable command, `stats` as a verb of the
grammar (the TUI's palette and the channel ask the running process, which counted its
hits), and the player list."""

from __future__ import annotations

import pytest

from plextui.cache.sqlite import SqliteCache
from plextui.control.answers import Result, cache_stats, player_line
from plextui.core.commands import parse_command
from plextui.core.models import PlayerInfo
from plextui.discord.remote.replies import CHANNEL_HINT, reply_body, unreadable
from plextui.errors import CommandError, StreamError


def test_a_failed_verb_is_told_as_what_it_tried():
    refused = StreamError("'Living Room TV' picks its own quality")
    body = reply_body(Result(False, "quality", str(refused), error=refused))
    assert body["content"] == "Could not set the quality: 'Living Room TV' picks its own quality"
    body = reply_body(Result(False, "pause", "nothing is playing on Den"))
    assert body["content"] == "Could not pause: nothing is playing on Den"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("/plex", "I couldn't read that: empty command. Try `/plex help`."),
        ("!plex xyzzy", "I couldn't read that: unknown command 'xyzzy'. Try `/plex help`."),
        (
            "/plex paly x",
            "I couldn't read that: unknown command 'paly'; did you mean 'play'? Try `/plex help`.",
        ),
    ],
)
def test_the_channel_gives_one_hint_spelled_as_the_channel_spells_help(typed, said):
    with pytest.raises(CommandError) as refused:
        parse_command(typed)
    assert unreadable(refused.value, CHANNEL_HINT) == said


def test_this_computer_is_named_once():
    local = PlayerInfo(name="This computer", product="plextui (mpv)", local=True)
    assert player_line(local) == "  This computer (mpv)"
    tv = PlayerInfo(name="Living Room TV", product="Plex HTPC")
    assert player_line(tv, active=True) == "* Living Room TV (Plex HTPC)"


async def test_stats_is_a_verb_with_the_hit_ratio_of_the_running_process(controller, tmp_path):
    controller.service.cache = cache = SqliteCache(tmp_path / "cache.db", "words")
    await controller.execute(parse_command("libraries"))  # a miss, then stored
    await controller.execute(parse_command("libraries"))  # a hit
    result = await controller.execute(parse_command("stats"))
    assert result.ok and result.verb == "stats"
    assert result.message.splitlines()[0] == (
        f"sqlite cache: {cache.stats().entries} entries, {cache.stats().size_bytes} bytes, "
        "hit ratio 50% (1 hit, 1 miss)"
    )
    assert "libraries" in result.message and result.data["cache"]["hits"] == 1
    cache.close()


def test_no_reads_is_no_ratio_rather_than_zero():
    text = cache_stats({"backend": "redis", "entries": 0, "size_bytes": 0, "hits": 0,
                        "misses": 0, "hit_ratio": 0.0, "kinds": {}})  # fmt: skip
    assert text.splitlines()[0] == "redis cache: 0 entries, 0 bytes, hit ratio – (0 hits, 0 misses)"
    assert "the TUI shows them under S" in text
