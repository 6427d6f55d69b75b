"""Replies render the Controller's typed answer (the NowPlaying card, the MediaItems found):
JSON is made here, where the answer leaves the process, and nowhere before."""

from __future__ import annotations

from plextui.control.answers import Result
from plextui.core.commands import Command
from plextui.core.models import MediaItem, NowPlaying
from plextui.discord.remote.replies import reply_body

CARD = NowPlaying("Alien", "1979", state="paused", position_ms=60_000, duration_ms=7_000_000,
                  player="Living Room TV", year=1979)  # fmt: skip
FOUND = [
    MediaItem("1", "movie", "Alien", year=1979),
    MediaItem("2", "episode", "Pilot", grandparent_title="Brave New"),
]


def test_a_now_playing_card_becomes_the_embed_and_the_control_row():
    body = reply_body(Result(True, "now", "Paused: Alien", {"now": CARD}), with_buttons=True)
    (embed,) = body["embeds"]
    assert embed["title"].startswith("Alien") and embed["fields"][0]["value"] == "Paused"
    assert body["components"][0]["components"][0]["custom_id"] == "plex:toggle"
    assert body["content"] == "Paused: Alien" and body["allowed_mentions"] == {"parse": []}


def test_search_results_become_one_embed():
    result = Result(True, "search", "…", {"items": FOUND})
    body = reply_body(result, Command("search", query="a"))
    assert body["content"] == "Top results for a"
    assert body["embeds"][0]["description"] == "`movie` Alien (1979)\n`episode` Brave New · Pilot"


def test_a_failure_says_so_without_a_card():
    body = reply_body(Result(False, "play", "no player named 'x'", {"now": CARD}))
    assert body["content"] == "Could not play: no player named 'x'" and body["embeds"] == []
