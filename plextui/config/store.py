"""Reading, checking, saving and showing the config file.

Saves are atomic (`config.atomic`: temp file, fsync, rename) with mode 0600 because the file
holds secrets.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from plextui.config.atomic import write_atomic
from plextui.config.keys import (
    KEYS,
    _build,
    _coerce,
    _flatten,
    _key,
    _suggest,
    parse_value,
    table_entry,
)
from plextui.config.paths import config_path
from plextui.config.schema import (
    CONFIG_VERSION,
    ENV_KEYS,
    SERVER_FIELDS,
    ServerEntry,
    Settings,
    _url,
)
from plextui.errors import ConfigError


def read_file(path: Path) -> dict[str, Any]:
    """The raw TOML table of the config file ({} when it does not exist)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (line {line}); save it as UTF-8 (TOML files are UTF-8)"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def values_from_file(raw: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """Checked dotted values from a raw table; unknown keys fail unless the file is newer."""
    raw = dict(raw)
    version = raw.pop("config_version", CONFIG_VERSION)
    newer = isinstance(version, int) and version > CONFIG_VERSION
    values: dict[str, Any] = {}
    if "servers" in raw:
        values["servers"] = _servers(raw.pop("servers"), path, newer)
    for name, value in _flatten(raw).items():
        if name not in KEYS:
            if newer:
                warnings.warn(
                    f"{path}: ignoring '{name}' (written by a newer plextui)", stacklevel=2
                )
                continue
            raise ConfigError(f"{path}: unknown key '{name}'{_suggest(name, KEYS)}")
        values[name] = _coerce(KEYS[name], value, str(path))
    return values


def _servers(tables: Any, path: Path, newer: bool) -> tuple[ServerEntry, ...]:
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: servers must be [[servers]] tables")
    entries = []
    for index, table in enumerate(tables, 1):
        where = f"{path}: servers #{index}"
        for name, value in table.items():
            if name not in SERVER_FIELDS:
                if newer:
                    continue
                raise ConfigError(f"{where}: unknown key '{name}'{_suggest(name, SERVER_FIELDS)}")
            if not isinstance(value, str):
                shown = "a value that is not shown" if name == "token" else repr(value)
                raise ConfigError(f"{where}: {name} must be a string, got {shown}")
        if not table.get("name") or not table.get("url"):
            raise ConfigError(f"{where}: needs a name and a url")
        if problem := _url(table["url"]):
            raise ConfigError(f"{where}: url must be {problem}, got {table['url']!r}")
        entries.append(ServerEntry(**{k: v for k, v in table.items() if k in SERVER_FIELDS}))
    return tuple(entries)


def values_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Checked dotted values from the environment variables of DESIGN §3."""
    values: dict[str, Any] = {}
    for var, name in ENV_KEYS.items():
        if environ.get(var):
            parsed = parse_value(name, environ[var], f"${var}")
            values[name] = _coerce(KEYS[name], parsed, f"${var}")
    return values


def load(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults < file < environment."""
    path = path or config_path()
    environ = os.environ if environ is None else environ
    values = values_from_file(read_file(path), path)
    values.update(values_from_env(environ))
    return _build(Settings, values)


def save_raw(path: Path, raw: Mapping[str, Any]) -> None:
    """Write the table atomically with mode 0600: the old file survives any failure."""
    import tomli_w  # only a save needs the writer (ctl reads, start-up reads)

    write_atomic(path, tomli_w.dumps({"config_version": CONFIG_VERSION, **raw}))


def set_value(key_name: str, value: Any, path: Path | None = None) -> None:
    """Set one dotted key in the file, type-checked, keeping every other key as it was."""
    path = path or config_path()
    raw = read_file(path)
    raw.pop("config_version", None)
    if entry := table_entry(key_name):  # `ui.keymap.toggle k`: one entry of a table
        key, name = entry
        table: Any = raw
        for part in key.name.split("."):
            table = table.get(part, {}) if isinstance(table, dict) else {}
        current = _flatten(table) if isinstance(table, dict) else {}
        value = _coerce(key, {**current, name: value}, "config set")
        key_name = key.name
    else:
        key = _key(key_name, "config set")
        if isinstance(value, str) and key.type is not str:
            value = parse_value(key_name, value)
        value = _coerce(key, value, "config set")
    table = raw
    *parents, leaf = key_name.split(".")
    for part in parents:
        table = table.setdefault(part, {})
    table[leaf] = value
    save_raw(path, raw)


def checked(key_name: str, text: str, where: str = "settings") -> Any:
    """The value typed for `key_name`, parsed and checked by the schema (ConfigError if not)."""
    key = _key(key_name, where)
    value = text if key.type is str else parse_value(key_name, text, where)
    return _coerce(key, value, where)


def replaced(settings: Any, key_name: str, value: Any) -> Any:
    """`settings` with one dotted key changed (the frozen dataclasses copied on the way)."""
    head, _, rest = key_name.partition(".")
    inner = replaced(getattr(settings, head), rest, value) if rest else value
    return dataclasses.replace(settings, **{head: inner})


def redact(value: Any) -> Any:
    """Secrets shown as `••••abcd`: enough to tell two apart, never enough to use."""
    if isinstance(value, list):
        return [redact(v) for v in value]
    if not value:
        return value
    text = str(value)
    return "••••" + (text[-4:] if len(text) >= 12 else "")


def without_password(url: str) -> str:
    """A URL with any password in it replaced (a Redis cache URL may carry one)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:••••@{host}"))


def show(settings: Settings) -> str:
    """The effective settings as TOML-like lines, secrets redacted."""
    lines = []
    for key in KEYS.values():
        value = _get(settings, key.name)
        if key.secret:
            value = redact(value)
        elif isinstance(value, str) and "://" in value:
            value = without_password(value)
        lines.append(f"{key.name} = {_render(value)}")
    for index, entry in enumerate(settings.servers, 1):
        shown = dataclasses.replace(entry, token=redact(entry.token))
        for name, value in dataclasses.asdict(shown).items():
            lines.append(f"servers.{index}.{name} = {_render(value)}")
    return "\n".join(lines)


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        names = {k: json.dumps(k) if "." in k else k for k in value}  # `"sessions.back"`
        return "{" + ", ".join(f"{names[k]} = {_render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _get(settings: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        settings = getattr(settings, part)
    return settings
