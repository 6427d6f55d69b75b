"""DiscordScreen: what Discord shows now (presence and the channel card), and how it connects.

Everything comes from the app's Mirror (`status`, `preview`), redrawn twice a second;
nothing here talks to Discord. With a companion channel (the demo) the right half is that
channel: its messages, and a line where the user types `/plex pause` as an allowed user.
"""

from __future__ import annotations

import asyncio
import json

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from plextui.ui.widgets.discordcard import activity_markup, embed_markup, message_markup
from plextui.ui.widgets.footer import KeyFooter
from plextui.ui.widgets.nowbar import NowPlayingBar
from plextui.ui.widgets.status import StatusLine

SHOWN_MESSAGES = 30
STATUS_STYLE = {"connected": "$success", "ready": "$success", "ok": "$success"}


def status_markup(part: str, status: str) -> str:
    """`Rich Presence  ● connected`: green when working, dim when off, yellow otherwise.

    Webhook statuses come per URL (`••••abcd: ok; ••••efgh: retrying`); the panel says how
    many channels and how each goes, without even the redacted tail of a URL.
    """
    if ": " in status and not status.startswith("off"):
        states = [one.rsplit(": ", 1)[-1] for one in status.split("; ")]
        count = f"{len(states)} channel{'s' if len(states) > 1 else ''}"
        status = f"{count}: {', '.join(states)}"
        word = "ok" if all(s in ("ok", "ready") for s in states) else states[0]
    else:
        word = status
    if status.startswith(("off", "disabled")):
        style = "dim"
    else:
        style = STATUS_STYLE.get(word, "$warning")
    return f"[b]{part}[/b]  [{style}]● {escape(status)}[/]"


class DiscordScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="discord.back"),
    ]

    def compose(self) -> ComposeResult:
        companion = getattr(self.app, "companion", None)
        yield StatusLine()
        with Horizontal(id="discord-body"):
            with VerticalScroll(id="discord-preview"):
                yield Static("", id="presence-status")
                yield Static("", id="activity", classes="discord-card")
                yield Static("", id="webhook-status")
                yield Static("", id="embed", classes="discord-card embed")
                yield Label("[b]Text card[/b]  [dim](replies and ctl now)[/dim]")
                yield Static("", id="text-card", classes="discord-card")
            if companion is not None:
                with Vertical(id="discord-channel"):
                    yield Label(
                        f"[b]#{escape(companion.channel_name)}[/b]  [dim]companion channel[/dim]"
                    )
                    with VerticalScroll(id="channel-log"):
                        yield Static("", id="messages")
                    yield Input(
                        placeholder="/plex pause · /plex seek 1:00:00 · /plex now", id="say"
                    )
        yield NowPlayingBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self._seen = ""
        self.redraw()
        self.set_interval(0.5, self.redraw)
        if self.query("#say"):
            self.query_one("#say", Input).focus()

    def redraw(self) -> None:
        mirror = getattr(self.app, "mirror", None)
        status = mirror.status if mirror else {"presence": "starting", "webhooks": "starting"}
        preview = mirror.preview if mirror else {"activity": None, "embed": None, "text": []}
        self.query_one("#presence-status", Static).update(
            status_markup("Rich Presence", status["presence"])
        )
        self.query_one("#webhook-status", Static).update(
            status_markup("Channel card (webhooks)", status["webhooks"])
        )
        width = max(30, self.query_one("#activity").size.width - 2)
        self.query_one("#activity", Static).update(
            activity_markup(preview["activity"], width=width)
        )
        self.query_one("#embed", Static).update(embed_markup(preview["embed"]))
        self.query_one("#text-card", Static).update(escape("\n".join(preview["text"] or [])))
        self.show_messages()

    def show_messages(self) -> None:
        companion = getattr(self.app, "companion", None)
        if companion is None:
            return
        messages = companion.messages()[-SHOWN_MESSAGES:]
        seen = json.dumps([(m.get("id"), m.get("content"), m.get("embeds")) for m in messages])
        if seen == self._seen:
            return
        self._seen = seen
        text = "\n\n".join(message_markup(m) for m in messages)
        self.query_one("#messages", Static).update(text or "[dim]No messages yet.[/dim]")
        self.query_one("#channel-log", VerticalScroll).scroll_end(animate=False)

    @on(Input.Submitted, "#say")
    def _say(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        if text:
            self.post(text)

    @work(group="discord-say")
    async def post(self, text: str) -> None:
        companion = self.app.companion  # type: ignore[attr-defined]
        await asyncio.to_thread(companion.post, text)
        self.show_messages()
