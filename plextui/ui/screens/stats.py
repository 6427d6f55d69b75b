"""StatsScreen: is the cache earning its place, and how fast do commands answer.

Cache figures are this process's hits and misses over what the store holds; the
Controller's metrics are response times in ms, except transcode speed, a factor (×).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from plextui.cache.base import RECENT
from plextui.core.text import human_bitrate, human_size
from plextui.errors import PlextuiError
from plextui.ui.widgets.footer import KeyFooter
from plextui.ui.widgets.nowbar import NowPlayingBar

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime

SPEED_METRICS = ("transcode.speed",)  # samples are speed factors, not seconds


def ratio(value: float) -> str:
    return f"{value * 100:.0f} %"


def metric_cells(name: str, count: int, median_ms: float, p95_ms: float, last_ms: float):
    if name in SPEED_METRICS:  # recorded as factors; summary() scaled them by 1000
        return (name, str(count), *(f"{v / 1000:.2f}×" for v in (median_ms, p95_ms, last_ms)))
    return (name, str(count), *(f"{v:.0f} ms" for v in (median_ms, p95_ms, last_ms)))


class StatsScreen(Screen):
    BINDINGS = [
        Binding("escape,S", "app.pop_screen", "Back", id="stats.back"),
        Binding("r", "refresh", "Refresh", id="stats.refresh"),
    ]

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.rt = runtime

    def compose(self) -> ComposeResult:
        with Vertical(id="stats-body"):
            yield Label("", id="cache-title")
            yield DataTable(id="cache", cursor_type="none", zebra_stripes=True)
            yield Label("[b]Commands and streams[/b]", id="metrics-title")
            yield DataTable(id="metrics", cursor_type="none", zebra_stripes=True)
            yield Label("", id="server-settings")
        yield NowPlayingBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#cache", DataTable).add_columns(
            "Kind", "Hits", "Misses", "Hit ratio", "Entries", "Size"
        )
        self.query_one("#metrics", DataTable).add_columns(
            "Metric", "Count", "Median", "p95", "Last"
        )
        self.action_refresh()
        self.set_interval(2.0, self.action_refresh)
        self.load_settings()

    @work(group="server-settings", exclusive=True)
    async def load_settings(self) -> None:
        """The server's transcoder preferences beside the limits plextui asks for."""
        q = self.rt.settings.quality
        ours = (
            f"max {q.max_quality} · {human_bitrate(q.max_bitrate)} · {q.preferred_codec} · "
            f"transcoding {'on' if q.transcoding else 'off'} · direct play "
            f"{'on' if q.direct_play else 'off'} · direct stream {'on' if q.direct_stream else 'off'}"
        )
        try:
            prefs = await self.rt.service.server_settings()
        except PlextuiError as error:
            server = f"unavailable: {escape(str(error))}"
        else:
            server = " · ".join(f"{escape(k)} {escape(v)}" for k, v in sorted(prefs.items()))
        self.query_one("#server-settings", Label).update(
            f"[b]Quality[/b]  [dim]plextui asks for {ours}[/dim]\n"
            f"[b]Server[/b]   [dim]{server or 'no transcoder preferences reported'}[/dim]"
        )

    def action_refresh(self) -> None:
        self._cache()
        self._metrics()

    @work(group="cache-stats", exclusive=True)
    async def _cache(self) -> None:
        """Counting entries is a database query (a SCAN with Redis): off the event loop."""
        table = self.query_one("#cache", DataTable)
        title = self.query_one("#cache-title", Label)
        cache = self.rt.service.cache
        if cache is None:
            table.clear()
            title.update(
                "[b]Cache[/b]  [dim]not open yet (it opens once the server is known)[/dim]"
            )
            return
        stats = await asyncio.to_thread(cache.stats)
        table.clear()
        state = "" if stats.available else "  [$error]unavailable: running uncached[/]"
        recent = (
            ""
            if stats.recent_hit_ratio is None
            else f" (last {RECENT} reads {ratio(stats.recent_hit_ratio)})"
        )
        title.update(
            f"[b]Cache[/b]  [dim]{stats.backend} · hit ratio {ratio(stats.hit_ratio)}{recent} · "
            f"{stats.entries} entries · {human_size(stats.size_bytes)}[/dim]{state}"
        )
        for kind, k in sorted(stats.kinds.items()):
            table.add_row(
                kind,
                str(k.hits),
                str(k.misses),
                ratio(k.hit_ratio),
                str(k.entries),
                human_size(k.size_bytes),
            )
        table.add_row(
            "[b]all[/b]",
            str(stats.hits),
            str(stats.misses),
            ratio(stats.hit_ratio),
            str(stats.entries),
            human_size(stats.size_bytes),
        )

    def _metrics(self) -> None:
        table = self.query_one("#metrics", DataTable)
        table.clear()
        summary = self.rt.controller.metrics.summary()
        for s in summary:
            table.add_row(*metric_cells(s.name, s.count, s.median_ms, s.p95_ms, s.last_ms))
        if not summary:
            table.add_row("[dim]nothing measured yet: play something[/dim]", "", "", "", "")
