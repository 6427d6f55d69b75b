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
    unit: str  # "s", "ms", "MB", "requests" or "%"
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
    if unit == "requests":
        return f"{value:g}"
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


@dataclass(frozen=True)
class Versus:
    """A whole-process figure: plextui's samples beside a yardstick's from the same run,
    held to a ceiling on the ratio of their medians."""

    name: str
    samples: list[float]
    yardstick: str
    baseline: list[float]
    max_ratio: float

    @property
    def ratio(self) -> float:
        return median(self.samples) / median(self.baseline)

    @property
    def met(self) -> bool:
        return self.ratio <= self.max_ratio


def spread(samples: list[float]) -> str:
    """min / median / max in seconds."""
    return f"{min(samples):.3f} / **{median(samples):.3f}** / {max(samples):.3f}"


def versus_table(rows: list[Versus]) -> str:
    lines = [
        "| figure | plextui min / median / max | yardstick | yardstick min / median / max "
        "| ratio of medians | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = "met" if r.met else "**not met**"
        lines.append(
            f"| {r.name} | {spread(r.samples)} s | {r.yardstick} | {spread(r.baseline)} s "
            f"| {r.ratio:.2f}x | ≤ {r.max_ratio:g}x | {met} |"
        )
    return "\n".join(lines)
