"""The settings schema: frozen dataclasses with defaults, rules and docs per key.

Every key is declared once here, with its check and whether it is a secret; loading,
`config set` and `config show` all walk these declarations, so they never disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

CONFIG_VERSION = 1
RESOLUTIONS = ("original", "2160p", "1080p", "720p", "480p", "360p")
CODECS = ("h264", "hevc", "vp9", "av1")
# The ids of the TUI's bindings (ui/keys.py; a test keeps the two equal): `[ui] keymap`
# remaps them, and an id that is not one is refused when the file is read or set.
BINDING_IDS = (
    *("toggle", "stop", "seek_back", "seek_forward", "seek_back_long", "seek_forward_long"),
    *("next", "prev", "volume_up", "volume_down", "shuffle", "repeat"),
    *("search", "player", "quality", "now_playing", "sessions", "discord", "stats", "servers"),
    *("help", "quit", "back", "sort", "filter", "unwatched", "watched", "playlist_add"),
    *("playlist_remove", "playlist_up", "playlist_down", "playlist_delete", "refresh"),
    *("places", "details", "sessions.back", "terminate", "sessions.refresh"),
    *("settings", "playlist_rename", "mark", "grid"),
    *("views", "up_level", "deck_remove"),
    *("tracks",),
)
# Textual's built-in themes (a test keeps them equal to the installed Textual's).
THEMES = (
    *("textual-dark", "textual-light", "nord", "gruvbox", "dracula"),
    *("tokyo-night", "monokai", "flexoki", "solarized-light", "solarized-dark"),
    *("catppuccin-mocha", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato"),
    *("rose-pine", "rose-pine-moon", "rose-pine-dawn", "atom-one-dark", "atom-one-light"),
    *("ansi-dark", "ansi-light"),
)


def _url(value: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https", "redis", "sqlite", "rediss") or not (
        parts.netloc or parts.scheme == "sqlite"
    ):
        return "a URL with a scheme, like http://192.168.1.10:32400"
    return None


def _urls(values: list[str]) -> str | None:
    bad = next((v for v in values if _url(v) or not v), None)
    return None if bad is None else f"player addresses like http://192.168.1.20:32500, not {bad!r}"


def _host_ports(values: list[str]) -> str | None:
    for value in values:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            return f"HOST:PORT entries like 255.255.255.255:32412, not {value!r}"
    return None


def _not_negative(value: float) -> str | None:
    return None if value >= 0 else "a number of at least 0"


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


def _public_key(value: str) -> str | None:
    hexadecimal = len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value)
    return (
        None
        if value == "" or hexadecimal
        else (
            "the application's public key: 64 hex characters (Developer Portal → General "
            "Information)"
        )
    )


def _keymap(value: dict[str, str]) -> str | None:
    """For a table the check says the whole complaint (see config.keys._coerce)."""
    unknown = sorted(set(value) - set(BINDING_IDS))
    if not unknown:
        return None
    import difflib  # only a wrong binding id needs it

    close = difflib.get_close_matches(unknown[0], BINDING_IDS, n=1, cutoff=0.6)
    mean = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown binding id '{unknown[0]}'{mean}; the ids are {', '.join(BINDING_IDS)}"


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
    deadline: float = _opt(
        60.0, "seconds a whole request (every read together) may take", _positive
    )
    max_answer_mb: int = _opt(
        512, "largest answer read from the server, in MB (100 000 films: ~220 MB)", _positive
    )
    max_sessions: int = _opt(5, "refuse a new playback when this many sessions run", _at_least_one)
    default_player: str = _opt("", "player a `play` goes to when none is named")
    server: str = _opt("", "name of the [[servers]] entry to use when url is empty")
    players: list[str] = _opt(
        [], "players added by address (companion port), e.g. http://192.168.1.20:32500", _urls
    )
    gdm_timeout: float = _opt(
        1.5, "seconds to wait for players answering GDM discovery (0 turns it off)", _not_negative
    )
    gdm_targets: list[str] = _opt(
        ["127.0.0.1:32412", "255.255.255.255:32412", "239.0.0.250:32412"],
        "HOST:PORT addresses GDM discovery asks (this machine, broadcast, multicast)",
        _host_ports,
    )


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


def _language(value: str) -> str | None:
    ok = value == "" or all(c.isalpha() or c in " -" for c in value)
    return None if ok else "a language: its name or code, like French, fr or fre"


@dataclass(frozen=True)
class PlaybackSettings:
    audio_language: str = _opt(
        "", "audio language played when an item has it, e.g. French, fr, fre", _language
    )
    subtitle_language: str = _opt(
        "", "subtitle language (empty: the audio language), e.g. English, en", _language
    )
    subtitle_mode: str = _opt(
        "auto",
        "auto (when the audio is in another language), always, forced (only forced), off",
        _one_of("auto", "always", "forced", "off"),
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
    public_key: str = _opt("", "application public key (hex) to verify interactions", _public_key)
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
    theme: str = _opt("textual-dark", "Textual theme name", _one_of(*THEMES))
    keymap: dict[str, str] = _opt(
        {},
        'binding id = keys, e.g. toggle = "space,k" (or: config set ui.keymap.toggle k)',
        _keymap,
    )
    page_size: int = _opt(100, "rows fetched per page while browsing", _at_least_one)
    hidden_libraries: list[str] = _opt(
        [], "library titles left out of the sidebar (Settings, `,`, hides and shows them)"
    )
    library_order: list[str] = _opt(
        [], "library titles in the order the sidebar lists them (the others follow)"
    )
    grid_libraries: list[str] = _opt([], "library titles shown as a grid of posters (g toggles)")
    mirror_discord: bool = _opt(
        True, "the TUI mirrors to Discord (turn off when `plextui relay` does it)"
    )


@dataclass(frozen=True)
class ServerEntry:
    """One `[[servers]]` table: a server plextui knows, saved by `plextui login`."""

    name: str
    url: str
    token: str = ""
    client_id: str = ""
    user: str = ""  # the Plex Home user whose token this is, if not the owner
    default_player: str = ""  # players belong to a server: remembered per entry


SERVER_FIELDS = {f.name for f in dataclasses.fields(ServerEntry)}


@dataclass(frozen=True)
class Settings:
    servers: tuple[ServerEntry, ...] = ()
    plex: PlexSettings = field(default_factory=PlexSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    playback: PlaybackSettings = field(default_factory=PlaybackSettings)
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
    "PLEXTUI_GDM_TIMEOUT": "plex.gdm_timeout",
}
