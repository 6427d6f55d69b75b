"""Models ↔ JSON-able data, so the cache can store frozen dataclasses and give them back.

`from_plain` rebuilds nested dataclasses from their type hints; it is strict enough that a
cache entry written by an older model (missing or extra fields) fails as a ValueError,
which callers treat as a miss.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
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
    return _decoder(tp)(data)


def _same(data: Any) -> Any:
    return data


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """How to rebuild values of `tp`, worked out once per type: a page from the cache is a
    hundred items of a dozen fields, and reading each field's type again was most of it."""
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = next((_decoder(a) for a in args if a is not type(None)), _same)
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        item = _decoder(args[0])
        return lambda data: tuple(item(v) for v in data)
    if origin is list:
        item = _decoder(args[0])
        return lambda data: [item(v) for v in data]
    if origin is frozenset:
        return frozenset
    if origin is dict:
        return dict
    return _same


def _dataclass_decoder(tp: type) -> Callable[[Any], Any]:
    names = frozenset(f.name for f in dataclasses.fields(tp))
    fields: dict[str, Callable[[Any], Any]] = {}  # filled at first use: types may nest

    def decode(data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}")
        if not data.keys() <= names:
            raise ValueError(f"unknown fields for {tp.__name__}: {sorted(data.keys() - names)}")
        if not fields:
            fields.update({name: _decoder(hint) for name, hint in _hints(tp).items()})
        return tp(**{k: fields[k](v) for k, v in data.items()})

    return decode
