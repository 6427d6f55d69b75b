"""What other Discord users would see: the local client forwards presence changes at most
`limit` per `per` seconds, latest wins (reference §1.7). Computed from the change log on demand
so an injected clock can move time without any timers."""

from __future__ import annotations

from typing import Any

_NOTHING = object()


def published(
    changes: list[tuple[float, Any]], limit: int, per: float, now: float
) -> list[tuple[float, Any]]:
    """Replay `changes` (time, activity or None) through the limiter up to `now`."""
    sent: list[tuple[float, Any]] = []
    pending: Any = _NOTHING

    def allowed_at() -> float:
        return sent[-limit][0] + per if len(sent) >= limit else float("-inf")

    for when, activity in [*changes, (now, _NOTHING)]:
        if pending is not _NOTHING and allowed_at() <= when:
            sent.append((allowed_at(), pending))
            pending = _NOTHING
        if activity is _NOTHING:
            break
        if allowed_at() <= when:
            sent.append((when, activity))
        else:
            pending = activity
    return sent
