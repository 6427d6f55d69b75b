"""Discord as Discord draws it: a Rich Presence activity, a webhook embed, a channel message.

The inputs are the exact payloads sent on the wire (`mirror.preview`), so what the panel
shows cannot drift from what Discord receives.
"""

from __future__ import annotations

import time

from textual.markup import escape

from plextui.core.text import progress_bar
from plextui.core.timecode import format_clock

VERBS = {0: "Playing", 2: "Listening to", 3: "Watching", 5: "Competing in"}
APP_NAME = "Plex"
RULE = "▌"


def activity_markup(activity: dict | None, now: float | None = None, width: int = 40) -> str:
    """The profile card: `Watching Plex`, details, state, progress bar and buttons."""
    if not activity:
        return "[dim]No activity: Discord shows nothing (cleared).[/dim]"
    now = time.time() if now is None else now
    verb = VERBS.get(activity.get("type", 0), "Playing")
    assets = activity.get("assets") or {}
    lines = [f"[b]{verb} {APP_NAME}[/b]"]
    lines += [escape(activity[k]) for k in ("details", "state") if activity.get(k)]
    stamps = activity.get("timestamps") or {}
    start, end = stamps.get("start"), stamps.get("end")
    if start and end and end > start:
        elapsed = max(0.0, min(now - start, end - start))
        bar = progress_bar(elapsed / (end - start), width - 18)
        lines.append(
            f"{format_clock(int(elapsed * 1000))} [$accent]{bar}[/] {format_clock((end - start) * 1000)}"
        )
    elif start:
        lines.append(f"{format_clock(int(max(0.0, now - start) * 1000))} elapsed")
    if assets.get("small_text"):
        lines.append(f"[dim]◉ {escape(assets['small_text'])}[/dim]")
    buttons = activity.get("buttons") or []
    if buttons:
        labels = [b["label"] if isinstance(b, dict) else str(b) for b in buttons]
        lines.append("  ".join(f"[reverse] {escape(label)} [/reverse]" for label in labels))
    return "\n".join(lines)


def colour(value: int | None) -> str:
    return f"#{(value or 0x5865F2):06x}"


def embed_markup(embed: dict | None) -> str:
    """Title, description, inline fields in rows of three, footer, behind a colour bar."""
    if not embed:
        return "[dim]No card posted yet.[/dim]"
    lines = []
    if embed.get("title"):
        lines.append(f"[b $link-color]{escape(embed['title'])}[/]")
    if embed.get("description"):
        lines.append(escape(embed["description"]))
    fields = embed.get("fields") or []
    for row in range(0, len(fields), 3):
        group = fields[row : row + 3]
        cells = [(str(f["name"]), str(f["value"])) for f in group]
        widths = [max(len(name), len(value)) + 2 for name, value in cells]
        lines.append("")
        lines.append(
            "".join(f"[b]{escape(n.ljust(w))}[/b]" for (n, _), w in zip(cells, widths, strict=True))
        )
        lines.append("".join(escape(v.ljust(w)) for (_, v), w in zip(cells, widths, strict=True)))
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines += ["", f"[dim]{escape(footer)}[/dim]"]
    bar = f"[{colour(embed.get('color'))}]{RULE}[/] "
    return "\n".join(bar + line for line in lines)


def message_markup(message: dict) -> str:
    """One channel message: author, then its text or the title of its embed."""
    author = message.get("author") or {}
    name = author.get("global_name") or author.get("username") or "?"
    tag = " [reverse] BOT [/reverse]" if author.get("bot") or message.get("webhook_id") else ""
    body = escape(message.get("content") or "")
    for embed in message.get("embeds") or []:
        parts = [embed.get("title")]
        for field in (embed.get("fields") or [])[:2]:
            parts.append(f"{field.get('name')}: {field.get('value')}")
        line = " · ".join(escape(str(part)) for part in parts if part)
        body += ("\n" if body else "") + f"[{colour(embed.get('color'))}]{RULE}[/] {line}"
    return f"[b]{escape(name)}[/b]{tag}\n{body or '[dim](empty)[/dim]'}"
