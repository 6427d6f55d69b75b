"""Time codes: what people type after `seek`, and how positions are shown.

One grammar for every front end, so `ctl seek 75:30`, `/plex seek +30s` and the TUI's
command palette agree. Positions are integer milliseconds everywhere in plextui.

Accepted (an optional leading `+`/`-` makes it relative to the current position):
  `1:15:30`  `75:30`  `90`  `90.5`       clock forms; the first field may exceed 59
  `1h30m`  `30s`  `2m15.5s`  `1h`        unit forms, fields in h, m, s order
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plextui.errors import CommandError

HINT = "use 1:15:30, 75:30, 90, +30s or -1m"
MAX_MS = 1000 * 3600 * 1000 - 1  # 999:59:59.999, far past any real media

_FRACTION = r"(?:\.(\d{1,3}))?"
_CLOCK = re.compile(rf"(\d+)(?::(\d{{1,2}}))?(?::(\d{{1,2}}))?{_FRACTION}", re.ASCII)
_UNITS = re.compile(rf"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+){_FRACTION}s)?", re.ASCII)


@dataclass(frozen=True)
class SeekTarget:
    """Where to seek: an absolute position, or an offset from the current one (`relative`)."""

    ms: int
    relative: bool = False

    def __post_init__(self) -> None:
        if not self.relative and self.ms < 0:
            raise ValueError(f"an absolute position cannot be negative: {self.ms}")

    def resolve(self, position_ms: int, duration_ms: int | None = None) -> int:
        """The absolute position this target means, clamped to the media."""
        target = position_ms + self.ms if self.relative else self.ms
        target = max(0, target)
        return min(target, duration_ms) if duration_ms is not None else target

    def then(self, later: SeekTarget) -> SeekTarget:
        """One target equal to seeking to `self` and then to `later` (for coalescing)."""
        if not later.relative:
            return later
        if self.relative:
            return SeekTarget(_clamp_offset(self.ms + later.ms), relative=True)
        return SeekTarget(min(MAX_MS, max(0, self.ms + later.ms)))

    def to_text(self) -> str:
        """The canonical spelling, which `parse_timecode` reads back to an equal target."""
        return format_offset(self.ms) if self.relative else format_compact(self.ms, exact=True)


def parse_timecode(text: str, verb: str = "seek") -> SeekTarget:
    """Read a time code; CommandError names the verb and the accepted forms."""
    raw = text.strip()
    sign, body = (raw[0], raw[1:]) if raw[:1] in ("+", "-") else ("", raw)
    ms = None
    if len(raw) <= 40 and (":" in body or body.replace(".", "").isdigit()):
        ms = _parse_clock(body)
    elif len(raw) <= 40 and body[-1:].lower() in ("h", "m", "s"):
        ms = _parse_units(body.lower())
    if ms is None:
        shown = raw if len(raw) <= 40 else raw[:39] + "…"
        raise CommandError(f"{verb}: cannot read '{shown}'; {HINT}")
    if ms > MAX_MS:
        raise CommandError(f"{verb}: '{raw}' is too far; the most is 999:59:59")
    if sign:
        return SeekTarget(-ms if sign == "-" else ms, relative=True)
    return SeekTarget(ms)


def _parse_clock(body: str) -> int | None:
    match = _CLOCK.fullmatch(body)
    if match is None:
        return None
    first, second, third, fraction = match.groups()
    fields = [int(first)] + [int(f) for f in (second, third) if f is not None]
    if any(f > 59 for f in fields[1:]):
        return None
    seconds = 0
    for field in fields:
        seconds = seconds * 60 + field
    return seconds * 1000 + _fraction_ms(fraction)


def _parse_units(body: str) -> int | None:
    match = _UNITS.fullmatch(body)
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds, fraction = match.groups()
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return total * 1000 + _fraction_ms(fraction)


def _fraction_ms(fraction: str | None) -> int:
    return int(fraction.ljust(3, "0")) if fraction else 0


def _clamp_offset(ms: int) -> int:
    return max(-MAX_MS, min(MAX_MS, ms))


def format_clock(ms: int | None) -> str:
    """`01:15:30`: fixed width h:mm:ss, as the Discord text card shows it (negative → 0)."""
    hours, minutes, seconds = _split(ms)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def format_compact(ms: int | None, exact: bool = False) -> str:
    """`1:15:30`, `4:05`, `0:09`; with `exact`, milliseconds too when there are any."""
    hours, minutes, seconds = _split(ms)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    rest = max(0, ms or 0) % 1000
    return f"{text}.{rest:03d}".rstrip("0") if exact and rest else text


def format_offset(ms: int) -> str:
    """A signed offset in unit form: `+30s`, `-1m`, `+1h2m3.5s`, `+0s`."""
    sign = "-" if ms < 0 else "+"
    hours, minutes, seconds = _split(abs(ms))
    rest = abs(ms) % 1000
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    if seconds or rest or not (hours or minutes):
        parts.append(f"{seconds}.{rest:03d}".rstrip("0") + "s" if rest else f"{seconds}s")
    return sign + "".join(parts)


def _split(ms: int | None) -> tuple[int, int, int]:
    total = max(0, ms or 0) // 1000
    return total // 3600, total // 60 % 60, total % 60
