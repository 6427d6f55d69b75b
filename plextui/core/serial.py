"""Models ↔ JSON-able data, so the cache can store frozen dataclasses and give them back.

`from_plain` rebuilds nested dataclasses from their type hints; it is strict enough that a
cache entry written by an older model (missing or extra fields) fails as a ValueError,
which callers treat as a miss.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """Dataclasses → dicts, tuples/sets → lists, recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(tp: Any, data: Any) -> Any:
    """Rebuild a value of type `tp` (a dataclass, tuple[...], list[...], Optional …)."""
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}")
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        if set(data) - names:
            raise ValueError(f"unknown fields for {tp.__name__}: {sorted(set(data) - names)}")
        return tp(**{k: from_plain(hints[k], v) for k, v in data.items()})
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        for arg in typing.get_args(tp):
            if arg is not type(None):
                return from_plain(arg, data)
    if origin is tuple:
        args = typing.get_args(tp)
        return tuple(from_plain(args[0], v) for v in data)
    if origin is list:
        return [from_plain(typing.get_args(tp)[0], v) for v in data]
    if origin is frozenset:
        return frozenset(data)
    if origin is dict:
        return dict(data)
    return data
