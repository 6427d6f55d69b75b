"""The now-playing card, rendered three ways: Rich Presence, webhook embed and plain text.

Every rendering starts from one `Face` (the words and links of a card), so presence, the
channel card and the TUI can never disagree. Nothing here carries a secret: posters travel
as uploaded bytes (`attachment://`), never as Plex URLs, which would hold the server token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pypresence.payloads import Payload
from pypresence.types import ActivityType, StatusDisplayType

from plextui.core.models import AUDIO_KINDS, NowPlaying, SessionInfo
from plextui.core.timecode import format_clock

Ending = Literal["Finished", "Stopped"]

PRESENCE_TEXT_MIN, PRESENCE_TEXT_MAX = 2, 128  # Discord counts bytes at times: cut by bytes
BUTTONS_MAX, BUTTON_LABEL_MAX = 2, 32
EMBED_TITLE_MAX, EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX = 256, 4096, 6000
FIELD_NAME_MAX, FIELD_VALUE_MAX, FOOTER_MAX = 256, 1024, 2048
LARGE_IMAGE = "plex"  # an art asset named "plex" in the Discord application (README)
PAD = "\u2800"  # invisible but not whitespace, so Discord does not strip it back to 1 char
FINISHED_AT = 0.9  # Plex marks an item watched at 90 %: ending past it is "Finished"
CONTROLS = "space pause · ←/→ seek · n next · s stop"

DECISIONS = {"directplay": "Direct Play", "directstream": "Direct Stream", "transcode": "Transcode"}
COLOURS = {
    "Playing": 0xE5A00D,  # Plex orange
    "Paused": 0x95A5A6,
    "Buffering": 0x3498DB,
    "Finished": 0x2ECC71,
    "Stopped": 0xE74C3C,
}
_IMDB = re.compile(r"imdb://(tt\d{1,12})")
_TMDB = re.compile(r"tmdb://(\d{1,12})")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class Face:
    """What a card says, in words every rendering shares."""

    title: str
    subtitle: str
    status: str  # Playing, Paused, Buffering, Finished, Stopped
    progress: str  # 01:15:30 / 02:16:00
    quality: str  # 1080p · Direct Play
    player: str
    user: str
    links: tuple[tuple[str, str], ...]  # (label, url) for IMDb / TMDB
    listening: bool


def clean(text: str | None) -> str:
    """One line of printable text: control characters and lone surrogates dropped."""
    return " ".join(_UNPRINTABLE.sub("", text or "").split())


def face(card: NowPlaying, ending: Ending | None = None) -> Face:
    if ending is None and card.state == "stopped":
        ending = ending_of(card)
    status = ending or card.state.capitalize()
    quality = " · ".join(q for q in (clean(card.quality), DECISIONS.get(card.decision or "")) if q)
    return Face(
        title=clean(card.title) or "Unknown title",
        subtitle=clean(card.subtitle),
        status=status,
        progress=f"{format_clock(card.position_ms)} / {format_clock(card.duration_ms)}",
        quality=quality,
        player=clean(card.player),
        user=clean(card.user),
        links=links(card),
        listening=card.kind in AUDIO_KINDS or card.kind in ("album", "artist"),
    )


def ending_of(card: NowPlaying) -> Ending:
    """How a playback ended: Finished when it got as far as Plex's watched mark."""
    return "Finished" if card.progress >= FINISHED_AT else "Stopped"


def links(card: NowPlaying) -> tuple[tuple[str, str], ...]:
    """IMDb and TMDB pages of the item; TMDB episode ids have no page, so only films and shows."""
    found: list[tuple[str, str]] = []
    for guid in card.guids:
        if (imdb := _IMDB.fullmatch(guid)) and not any(label == "IMDb" for label, _ in found):
            found.append(("IMDb", f"https://www.imdb.com/title/{imdb.group(1)}/"))
        tmdb = _TMDB.fullmatch(guid)
        if tmdb and card.kind in ("movie", "show") and not any(lb == "TMDB" for lb, _ in found):
            page = "movie" if card.kind == "movie" else "tv"
            found.append(("TMDB", f"https://www.themoviedb.org/{page}/{tmdb.group(1)}"))
    return tuple(found[:BUTTONS_MAX])


# --- cutting to Discord's limits ---------------------------------------------------------


def cut_bytes(text: str, most: int) -> str:
    """At most `most` UTF-8 bytes, ending in "…" when cut."""
    if len(text.encode()) <= most:
        return text
    while len(text.encode()) > most - 3:
        text = text[: max(0, min(len(text) - 1, most - 3))]
    return text.rstrip() + "…"


def units(text: str) -> int:
    """Length as Discord's JavaScript counts it (UTF-16 code units): never below len().
    A lone surrogate (JSON can carry one) is one unit there too, not an error."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_units(text: str, most: int) -> str:
    if units(text) <= most:
        return text
    while units(text) > most - 1:
        text = text[: max(0, min(len(text) - 1, most - 1))]
    return text.rstrip() + "…" if most >= 1 else ""


def presence_text(text: str) -> str | None:
    """Presence strings: 2 to 128 bytes; None (left out) when there is nothing to say."""
    text = cut_bytes(clean(text), PRESENCE_TEXT_MAX)
    if not text:
        return None
    return text if len(text) >= PRESENCE_TEXT_MIN else text + PAD


# --- (a) Rich Presence -------------------------------------------------------------------


def presence_kwargs(card: NowPlaying, now: float) -> dict[str, Any]:
    """Keyword arguments for pypresence `update()`; `now` is wall-clock epoch seconds.

    Playing sends start and end so Discord draws the progress bar; paused sends no
    timestamps (a bar would keep running) and says "Paused" with the position instead.
    """
    shown = face(card)
    kwargs: dict[str, Any] = {
        "activity_type": ActivityType.LISTENING if shown.listening else ActivityType.WATCHING,
        "status_display_type": StatusDisplayType.DETAILS,
        "details": presence_text(shown.title),
        "state": presence_text(_presence_state(shown, card)),
        "large_image": LARGE_IMAGE,
        "large_text": presence_text(shown.subtitle or shown.title),
        "small_image": shown.status.lower(),
        "small_text": presence_text(f"{shown.status} on {shown.player}" if shown.player else ""),
    }
    if card.state == "playing":
        start = int(now - card.position_ms / 1000)
        kwargs["start"] = start
        if card.duration_ms:
            kwargs["end"] = start + max(1, round(card.duration_ms / 1000))
    buttons = [{"label": label[:BUTTON_LABEL_MAX], "url": url} for label, url in shown.links]
    if buttons:  # an empty list breaks the display (pypresence#225)
        kwargs["buttons"] = buttons
    return {key: value for key, value in kwargs.items() if value is not None}


def _presence_state(shown: Face, card: NowPlaying) -> str:
    if card.state == "playing":
        return " · ".join(part for part in (shown.subtitle, shown.quality) if part) or "Playing"
    return f"{shown.status} · {shown.progress}"


def activity(card: NowPlaying, now: float) -> dict[str, Any]:
    """The activity exactly as pypresence puts it on the wire: what Discord shows."""
    payload = Payload.set_activity(**presence_kwargs(card, now))
    return payload.data["args"]["activity"]


# --- (b) webhook embed -------------------------------------------------------------------


def embed(card: NowPlaying, ending: Ending | None = None, poster: str | None = None) -> dict:
    """A Discord embed within every limit (title 256, fields 1024, total 6000 …).

    `poster` is the filename of an uploaded attachment to show as the thumbnail.
    """
    shown = face(card, ending)
    fields = [
        {"name": "Status", "value": shown.status, "inline": True},
        {"name": "Progress", "value": shown.progress, "inline": True},
        {"name": "Player", "value": shown.player or "—", "inline": True},
        {"name": "Quality", "value": shown.quality or "—", "inline": True},
    ]
    for field in fields:
        field["value"] = cut_units(field["value"], FIELD_VALUE_MAX)
    result: dict[str, Any] = {
        "title": cut_units(shown.title, EMBED_TITLE_MAX),
        "color": COLOURS.get(shown.status, COLOURS["Playing"]),
        "fields": fields,
        "footer": {"text": cut_units(f"plextui · {shown.user}" if shown.user else "plextui", 256)},
    }
    if shown.links:
        result["url"] = shown.links[0][1]
    if poster:
        result["thumbnail"] = {"url": f"attachment://{poster}"}
    room = EMBED_TOTAL_MAX - embed_size(result)
    description = cut_units(shown.subtitle, min(EMBED_DESCRIPTION_MAX, room))
    if description:
        result["description"] = description
    return result


def embed_size(data: dict) -> int:
    """Characters Discord counts toward the 6000 total of an embed."""
    parts = [data.get("title"), data.get("description"), (data.get("footer") or {}).get("text")]
    parts += [(data.get("author") or {}).get("name")]
    for field in data.get("fields") or []:
        parts += [field.get("name"), field.get("value")]
    return sum(units(part.strip()) for part in parts if part)


# --- (c) plain text ----------------------------------------------------------------------


def text_card(card: NowPlaying | None, ending: Ending | None = None) -> list[str]:
    """The seed's text card: title, quality, progress, status, controls."""
    if card is None:
        return ["Nothing is playing."]
    shown = face(card, ending)
    title = f"{shown.title} — {shown.subtitle}" if shown.subtitle else shown.title
    where = f" on {shown.player}" if shown.player else ""
    return [
        title,
        f"Quality: {shown.quality or 'unknown'}",
        f"Progress: {shown.progress}",
        f"Status: {shown.status}{where}",
        CONTROLS,
    ]


# --- from the event bus ------------------------------------------------------------------


def card_from_session(session: SessionInfo, now: float) -> NowPlaying | None:
    """The card of one server session; None for a session without an item."""
    item = session.item
    if item is None:
        return None
    return NowPlaying.for_item(
        item,
        state=session.state,
        position_ms=session.progress_ms,
        duration_ms=session.duration_ms,
        player=session.player,
        user=session.user,
        quality=_quality(session),
        decision=session.decision,
        now=now,
    )


def _quality(session: SessionInfo) -> str | None:
    media = session.item.media[0] if session.item and session.item.media else None
    if media is None:
        return None
    if media.is_audio_only:
        return (media.audio_codec or "").upper() or None
    label = (media.resolution or "").lower()
    return {"4k": "4K", "sd": "SD"}.get(label) or (f"{label}p" if label.isdigit() else None)
