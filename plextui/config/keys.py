"""The schema walked generically: leaf keys, type checks and value parsing."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from plextui.config.schema import Settings
from plextui.errors import ConfigError


@dataclass(frozen=True)
class Key:
    """One leaf setting: its dotted name, type and rules."""

    name: str
    type: Any
    default: Any
    doc: str
    check: Callable[[Any], str | None] | None
    secret: bool


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def keys(cls: type = Settings, prefix: str = "") -> list[Key]:
    """Every leaf setting of the schema, in declaration order."""
    out: list[Key] = []
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        name = prefix + f.name
        if f.name == "servers":
            continue  # a list of tables, checked by _servers
        if dataclasses.is_dataclass(hints[f.name]):
            out += keys(hints[f.name], name + ".")
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        meta = f.metadata
        out.append(Key(name, hints[f.name], default, meta["doc"], meta["check"], meta["secret"]))
    return out


KEYS = {k.name: k for k in keys()}
SECTIONS = {name.rsplit(".", 1)[0] for name in KEYS}


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return "a list of strings"
    if origin is dict:
        return "a table of strings"
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}[tp]


def _coerce(key: Key, value: Any, where: str) -> Any:
    """Check `value` against the key's type and rule; raise ConfigError naming the key."""
    tp = key.type
    origin = typing.get_origin(tp)
    ok = (
        (origin is list and isinstance(value, list) and all(isinstance(v, str) for v in value))
        or (
            origin is dict
            and isinstance(value, dict)
            and all(isinstance(v, str) for v in value.values())
        )
        or (tp is bool and isinstance(value, bool))
        or (tp is int and isinstance(value, int) and not isinstance(value, bool))
        or (tp is float and isinstance(value, int | float) and not isinstance(value, bool))
        or (tp is str and isinstance(value, str))
    )
    if not ok:
        raise ConfigError(f"{where}: {key.name} must be {_type_name(tp)}, got {_echo(key, value)}")
    if tp is float:
        value = float(value)
    if key.check and (problem := key.check(value)):
        if origin is dict:  # a table's check names the entry at fault itself
            raise ConfigError(f"{where}: {key.name}: {problem}")
        raise ConfigError(f"{where}: {key.name} must be {problem}, got {_echo(key, value)}")
    return value


def table_entry(key_name: str) -> tuple[Key, str] | None:
    """`ui.keymap.toggle` → (the ui.keymap key, "toggle"): one entry of a table setting,
    as `config set` takes it; None for any other name."""
    for key in KEYS.values():
        if typing.get_origin(key.type) is dict and key_name.startswith(key.name + "."):
            return key, key_name.removeprefix(key.name + ".")
    return None


def parse_value(key_name: str, text: str, where: str = "config set") -> Any:
    """Turn the text of `config set KEY VALUE` (or an env var) into the key's type;
    refusals begin with `where`, like every other config error."""
    key = _key(key_name, where)
    tp = key.type
    origin = typing.get_origin(tp)
    try:
        if tp is bool:
            lowered = text.strip().lower()
            if lowered in ("true", "yes", "on", "1"):
                return True
            if lowered in ("false", "no", "off", "0"):
                return False
            raise ValueError
        if tp is int:
            return int(text)
        if tp is float:
            return float(text)
        if origin is list:
            return [part.strip() for part in text.split(",") if part.strip()]
        if origin is dict:
            pairs = (part.split("=", 1) for part in text.split(";") if part.strip())
            return {k.strip(): v.strip() for k, v in pairs}
    except ValueError:
        raise ConfigError(
            f"{where}: {key_name} must be {_type_name(tp)}, got {_echo(key, text)}"
        ) from None
    return text


def _echo(key: Key, value: Any) -> str:
    """What an error quotes back: never the value of a secret, whatever its type."""
    return "a value that is not shown (it is a secret)" if key.secret else repr(value)


def _suggest(name: str, choices: typing.Iterable[str]) -> str:
    import difflib  # only a wrong name needs it

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _key(name: str, where: str) -> Key:
    if name not in KEYS:
        raise ConfigError(f"{where}: unknown key '{name}'{_suggest(name, KEYS)}")
    return KEYS[name]


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        dotted = prefix + name
        if isinstance(value, dict) and dotted not in KEYS:
            flat.update(_flatten(value, dotted + "."))
        elif isinstance(value, dict) and typing.get_origin(KEYS[dotted].type) is dict:
            flat[dotted] = _flatten(value)  # `sessions.back = …` unquoted is a nested table
        else:
            flat[dotted] = value
    return flat


def _build(cls: type, values: Mapping[str, Any], prefix: str = "") -> Any:
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        name = prefix + f.name
        if dataclasses.is_dataclass(hints[f.name]):
            kwargs[f.name] = _build(hints[f.name], values, name + ".")
        elif name in values:
            kwargs[f.name] = values[name]
    return cls(**kwargs)
