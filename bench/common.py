"""Timing helpers and the results table shared by every benchmark."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One figure: plextui's median beside plain plexapi's, and the target it is held to."""

    name: str
    value: float
    unit: str  # "s", "ms", "MB" or "%"
    target: str
    met: bool
    baseline: float | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        if self.baseline is None or self.value <= 0:
            return "–"
        return f"{self.baseline / self.value:,.1f}x"


def show(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.1f} %"


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append(time.perf_counter() - began)
    return out


async def atimed(fn: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - began)
    return out


def table(rows: list[Row]) -> str:
    lines = [
        "| figure | plextui (median) | plain plexapi (median) | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = f"{r.name} ({r.note})" if r.note else r.name
        met = "met" if r.met else "**not met**"
        lines.append(
            f"| {name} | {show(r.value, r.unit)} | {show(r.baseline, r.unit)} | {r.ratio} "
            f"| {r.target} | {met} |"
        )
    return "\n".join(lines)
