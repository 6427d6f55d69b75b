"""Settings: frozen dataclasses read from a TOML file, overridden by the environment.

One schema (the dataclasses below) drives loading, type checks, `config set` and the
redaction of `config show`, so the three can never disagree. The file is written
atomically (temp file, fsync, rename) with mode 0600 because it holds secrets.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import tempfile
import tomllib
import typing
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
import tomli_w

from plextui.errors import ConfigError

CONFIG_VERSION = 1
RESOLUTIONS = ("original", "2160p", "1080p", "720p", "480p", "360p")
CODECS = ("h264", "hevc", "vp9", "av1")


def _url(value: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https", "redis", "sqlite", "rediss") or not (
        parts.netloc or parts.scheme == "sqlite"
    ):
        return "a URL with a scheme, like http://192.168.1.10:32400"
    return None


def _positive(value: float) -> str | None:
    return None if value > 0 else "a number greater than 0"


def _at_least_one(value: int) -> str | None:
    return None if value >= 1 else "a whole number of at least 1"


def _one_of(*choices: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in choices else "one of " + ", ".join(choices)

    return check


def _snowflake(value: str) -> str | None:
    return None if value == "" or value.isdigit() else "a Discord id made of digits"


def _opt(default: Any, doc: str, check: Callable | None = None, secret: bool = False) -> Any:
    meta = {"doc": doc, "check": check, "secret": secret}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class PlexSettings:
    url: str = _opt("", "Plex Media Server URL, e.g. http://192.168.1.10:32400", _url)
    token: str = _opt("", "X-Plex-Token for the server", secret=True)
    client_id: str = _opt("", "X-Plex-Client-Identifier plextui presents (generated when empty)")
    timeout: float = _opt(10.0, "seconds before a request to the server gives up", _positive)
    max_sessions: int = _opt(5, "refuse a new playback when this many sessions run", _at_least_one)
    default_player: str = _opt("", "player a `play` goes to when none is named")
    server: str = _opt("", "name of the [[servers]] entry to use when url is empty")


@dataclass(frozen=True)
class QualitySettings:
    transcoding: bool = _opt(True, "allow the server to transcode")
    max_quality: str = _opt("1080p", "highest resolution to ask for", _one_of(*RESOLUTIONS))
    preferred_codec: str = _opt("h264", "video codec to transcode to", _one_of(*CODECS))
    direct_play: bool = _opt(True, "play files as they are when they fit")
    direct_stream: bool = _opt(True, "remux instead of transcoding when only the container differs")
    max_bitrate: int = _opt(20000, "highest video bitrate in kbps", _positive)
    default: str = _opt(
        "auto", "quality for new local streams", _one_of("auto", "original", *RESOLUTIONS[2:])
    )


@dataclass(frozen=True)
class PresenceSettings:
    enabled: bool = _opt(True, "mirror what plays to Discord Rich Presence")
    client_id: str = _opt("", "Discord application id for Rich Presence", _snowflake)
    pause_timeout: float = _opt(300.0, "clear presence after this many seconds paused", _positive)
    users: list[str] = _opt([], "Plex users to mirror besides the token's own account")
    ignore_players: list[str] = _opt([], "players whose playback is never shown")
    ignore_libraries: list[str] = _opt([], "libraries whose playback is never shown")


@dataclass(frozen=True)
class WebhookSettings:
    enabled: bool = _opt(True, "post a live now-playing card to channels")
    urls: list[str] = _opt([], "Discord webhook URLs (one card per channel)", secret=True)
    attach_poster: bool = _opt(True, "upload the poster with the card")


@dataclass(frozen=True)
class RemoteSettings:
    enabled: bool = _opt(False, "take /plex commands from Discord")
    bot_token: str = _opt("", "bot token used to read the companion channel", secret=True)
    channel_id: str = _opt("", "companion channel id", _snowflake)
    application_id: str = _opt("", "Discord application id for slash commands", _snowflake)
    public_key: str = _opt("", "application public key (hex) to verify interactions")
    listen: str = _opt("127.0.0.1:8787", "HOST:PORT of the interactions endpoint")
    view_users: list[str] = _opt([], "user ids allowed to view (now, search)")
    control_users: list[str] = _opt([], "user ids allowed to control playback")
    admin_users: list[str] = _opt([], "user ids allowed admin actions (quality, stop others)")
    view_roles: list[str] = _opt([], "role ids allowed to view")
    control_roles: list[str] = _opt([], "role ids allowed to control playback")
    admin_roles: list[str] = _opt([], "role ids allowed admin actions")
    rate_per_minute: int = _opt(20, "commands one user may send per minute", _at_least_one)


@dataclass(frozen=True)
class DiscordSettings:
    api_url: str = _opt("https://discord.com/api/v10", "Discord REST base URL", _url)
    presence: PresenceSettings = field(default_factory=PresenceSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    remote: RemoteSettings = field(default_factory=RemoteSettings)


@dataclass(frozen=True)
class CacheSettings:
    url: str = _opt("", "sqlite:///path or redis://host:port/db (empty: SQLite in the cache dir)")
    ttl: int = _opt(3600, "seconds a cached answer stays fresh", _positive)
    poster_max_mb: int = _opt(64, "size cap of cached posters in MB", _positive)


@dataclass(frozen=True)
class UISettings:
    theme: str = _opt("textual-dark", "Textual theme name")
    keymap: dict[str, str] = _opt({}, 'binding id = keys, e.g. toggle = "space,k"')
    page_size: int = _opt(100, "rows fetched per page while browsing", _at_least_one)


@dataclass(frozen=True)
class ServerEntry:
    """One `[[servers]]` table: a server plextui knows, saved by `plextui login`."""

    name: str
    url: str
    token: str = ""
    client_id: str = ""
    user: str = ""  # the Plex Home user whose token this is, if not the owner


SERVER_FIELDS = {f.name for f in dataclasses.fields(ServerEntry)}


@dataclass(frozen=True)
class Settings:
    servers: tuple[ServerEntry, ...] = ()
    plex: PlexSettings = field(default_factory=PlexSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    ui: UISettings = field(default_factory=UISettings)


ENV_KEYS = {
    "PLEX_SERVER_URL": "plex.url",
    "PLEX_API_TOKEN": "plex.token",
    "PLEX_CLIENT_ID": "plex.client_id",
    "PLEX_CACHE_TTL": "cache.ttl",
    "PLEX_MAX_BITRATE": "quality.max_bitrate",
    "DISCORD_CLIENT_ID": "discord.presence.client_id",
    "DISCORD_WEBHOOK_URL": "discord.webhook.urls",
    "DISCORD_BOT_TOKEN": "discord.remote.bot_token",
    "DISCORD_CHANNEL_ID": "discord.remote.channel_id",
    "DISCORD_PUBLIC_KEY": "discord.remote.public_key",
    "DISCORD_API_URL": "discord.api_url",
    "PLEXTUI_CACHE_URL": "cache.url",
}


def config_path() -> Path:
    """Where the config file lives: `$PLEXTUI_CONFIG` or the user config dir."""
    override = os.environ.get("PLEXTUI_CONFIG")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("plextui") / "config.toml"


# --- the schema, walked generically -------------------------------------------------------


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
        raise ConfigError(f"{where}: {key.name} must be {_type_name(tp)}, got {value!r}")
    if tp is float:
        value = float(value)
    if key.check and (problem := key.check(value)):
        raise ConfigError(f"{where}: {key.name} must be {problem}, got {value!r}")
    return value


def parse_value(key_name: str, text: str) -> Any:
    """Turn the text of `config set KEY VALUE` (or an env var) into the key's type."""
    key = _key(key_name, "config set")
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
        raise ConfigError(f"{key_name} must be {_type_name(tp)}, got {text!r}") from None
    return text


def _suggest(name: str, choices: typing.Iterable[str]) -> str:
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


# --- reading and writing -----------------------------------------------------------------


def read_file(path: Path) -> dict[str, Any]:
    """The raw TOML table of the config file ({} when it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
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
                raise ConfigError(f"{where}: {name} must be a string, got {value!r}")
        if not table.get("name") or not table.get("url"):
            raise ConfigError(f"{where}: needs a name and a url")
        if problem := _url(table["url"]):
            raise ConfigError(f"{where}: url must be {problem}, got {table['url']!r}")
        entries.append(ServerEntry(**{k: v for k, v in table.items() if k in SERVER_FIELDS}))
    return tuple(entries)


def select_server(settings: Settings, name: str | None = None) -> Settings:
    """Settings pointed at a `[[servers]]` entry: the one named, else `plex.server` when no
    `plex.url` is set (an explicit URL, from the file or PLEX_SERVER_URL, wins)."""
    wanted = name or (settings.plex.server if not settings.plex.url else "")
    if not wanted and not settings.plex.url and settings.servers:
        wanted = settings.servers[0].name
    if not wanted:
        return settings
    for entry in settings.servers:
        if entry.name.casefold() == wanted.casefold():
            plex = dataclasses.replace(
                settings.plex,
                url=entry.url,
                token=entry.token or settings.plex.token,
                client_id=entry.client_id or settings.plex.client_id,
                server=entry.name,
            )
            return dataclasses.replace(settings, plex=plex)
    names = ", ".join(e.name for e in settings.servers) or "none saved; run plextui login"
    raise ConfigError(f"no server named '{wanted}' (servers: {names})")


def save_server(entry: ServerEntry, path: Path | None = None, default: bool = True) -> None:
    """Add or replace a `[[servers]]` entry by name, keeping everything else in the file."""
    path = path or config_path()
    raw = read_file(path)
    raw.pop("config_version", None)
    servers = [s for s in raw.get("servers", []) if s.get("name") != entry.name]
    servers.append({k: v for k, v in dataclasses.asdict(entry).items() if v})
    raw["servers"] = servers
    if default:
        raw.setdefault("plex", {})["server"] = entry.name
        raw["plex"].pop("url", None)
        raw["plex"].pop("token", None)
    save_raw(path, raw)


def values_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Checked dotted values from the environment variables of DESIGN §3."""
    values: dict[str, Any] = {}
    for var, name in ENV_KEYS.items():
        if environ.get(var):
            try:
                parsed = parse_value(name, environ[var])
            except ConfigError as exc:
                raise ConfigError(f"${var}: {exc}") from None
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
    path.parent.mkdir(parents=True, exist_ok=True)
    data = tomli_w.dumps({"config_version": CONFIG_VERSION, **raw}).encode()
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def set_value(key_name: str, value: Any, path: Path | None = None) -> None:
    """Set one dotted key in the file, type-checked, keeping every other key as it was."""
    path = path or config_path()
    key = _key(key_name, "config set")
    if isinstance(value, str) and key.type is not str:
        value = parse_value(key_name, value)
    value = _coerce(key, value, "config set")
    raw = read_file(path)
    raw.pop("config_version", None)
    table = raw
    *parents, leaf = key_name.split(".")
    for part in parents:
        table = table.setdefault(part, {})
    table[leaf] = value
    save_raw(path, raw)


def redact(value: Any) -> Any:
    """Secrets shown as `••••abcd`: enough to tell two apart, never enough to use."""
    if isinstance(value, list):
        return [redact(v) for v in value]
    if not value:
        return value
    text = str(value)
    return "••••" + (text[-4:] if len(text) >= 12 else "")


def show(settings: Settings) -> str:
    """The effective settings as TOML-like lines, secrets redacted."""
    lines = []
    for key in KEYS.values():
        value = _get(settings, key.name)
        if key.secret:
            value = redact(value)
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
        return "{" + ", ".join(f"{k} = {_render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _get(settings: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        settings = getattr(settings, part)
    return settings
