"""What a reply to a remote command looks like, in the channel and to an interaction: the
answer's text, the now-playing card or the search results as an embed, and the control row.

This is where a command's answer leaves the process, so this is where it becomes JSON:
the Result's typed values (the NowPlaying card, the MediaItems found) are rendered here
and nowhere earlier. Echoed titles never ping anyone (`allowed_mentions` parses nothing).
"""

from __future__ import annotations

from typing import Any

from plextui.config import Settings
from plextui.control.answers import Result, failed
from plextui.core.commands import HELP_HINT, Command
from plextui.core.models import MediaItem, NowPlaying
from plextui.discord.mirror import card as cards

CONTENT_MAX = 2000
SEARCH_SHOWN = 10
BUTTONS = (
    ("plex:toggle", "Play/Pause", 1),
    ("plex:next", "Next", 2),
    ("plex:stop", "Stop", 4),
    ("plex:vol-", "Vol −", 2),
    ("plex:vol+", "Vol +", 2),
)
NO_PINGS = {"parse": []}  # echoed titles must never ping @everyone or anyone else
BUSY = "I'm busy with a lot of commands right now; try again in a moment. I did nothing."
CHANNEL_HINT = " Try `/plex help`."  # the channel takes every verb; slash commands list theirs


def unreadable(error: Exception, hint: str = "") -> str:
    """The answer to a command the grammar cannot read; `hint` replaces the grammar's own
    "try 'help'" (one hint, spelled as this front end spells help)."""
    text = f"I couldn't read that: {error}"
    if not hint:
        return text
    text = text.removesuffix(HELP_HINT).rstrip("; ")
    return text + ("" if text.endswith(("?", ".")) else ".") + hint


def card_of(result: Result) -> NowPlaying | None:
    """The now-playing card a `play`/`now` result carries."""
    card = result.data.get("now")
    return card if isinstance(card, NowPlaying) else None


def search_embed(result: Result, query: str) -> dict:
    items: list[MediaItem] = result.data.get("items") or []
    lines = [f"`{item.kind}` {cards.clean(_title(item))}" for item in items[:SEARCH_SHOWN]]
    return {
        "title": cards.cut_units(f"Search: {cards.clean(query)}", cards.EMBED_TITLE_MAX),
        "description": cards.cut_units("\n".join(lines) or "No results.", 4096),
        "color": cards.COLOURS["Playing"],
        "footer": {"text": "plextui"},
    }


def _title(item: MediaItem) -> str:
    if item.kind == "episode" and item.grandparent_title:
        return f"{item.grandparent_title} · {item.title}"
    return f"{item.title} ({item.year})" if item.year else item.title


def buttons() -> list[dict]:
    """The now-playing card's control row; clicks arrive at the interactions endpoint."""
    row = [
        {"type": 2, "style": style, "label": label, "custom_id": custom_id}
        for custom_id, label, style in BUTTONS
    ]
    return [{"type": 1, "components": row}]


def reply_body(
    result: Result, command: Command | None = None, *, with_buttons: bool = False
) -> dict:
    """Message JSON for a result: the text, plus the card or the search results as an embed."""
    text = result.message if result.ok else failed(result.verb, result.message)
    body: dict[str, Any] = {"allowed_mentions": NO_PINGS, "embeds": [], "components": []}
    card = card_of(result) if result.ok else None
    if card is not None:
        body["embeds"] = [cards.embed(card)]
        if with_buttons:
            body["components"] = buttons()
    elif result.ok and result.verb == "search":
        body["embeds"] = [search_embed(result, command.query or "" if command else "")]
        text = f"Top results for {cards.clean(command.query)}" if command else "Top results"
    body["content"] = cards.cut_units(text, CONTENT_MAX)
    return body


def refusal_body(message: str) -> dict:
    return {"content": cards.cut_units(message, CONTENT_MAX), "allowed_mentions": NO_PINGS}


def interactive(settings: Settings) -> bool:
    """Buttons only work when Discord has an interactions endpoint to send clicks to."""
    remote = settings.discord.remote
    return bool(remote.public_key and remote.application_id)
