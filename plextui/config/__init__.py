"""Settings: frozen dataclasses read from a TOML file, overridden by the environment.

`schema` declares every key; `keys` walks the declarations; `store` reads, checks, saves
and shows the file; `servers` handles saved `[[servers]]`; `paths` names every file plextui
keeps and `atomic` is the one way they are replaced.
"""

from plextui.config.keys import KEYS, SECTIONS, Key, keys, parse_value
from plextui.config.paths import config_path
from plextui.config.schema import (
    CODECS,
    CONFIG_VERSION,
    ENV_KEYS,
    RESOLUTIONS,
    CacheSettings,
    DiscordSettings,
    PlexSettings,
    PresenceSettings,
    QualitySettings,
    RemoteSettings,
    ServerEntry,
    Settings,
    UISettings,
    WebhookSettings,
)
from plextui.config.servers import remember_player, save_server, select_server
from plextui.config.store import (
    load,
    read_file,
    redact,
    replaced,
    save_raw,
    set_value,
    show,
    values_from_env,
    values_from_file,
)

__all__ = [
    "CODECS",
    "CONFIG_VERSION",
    "ENV_KEYS",
    "KEYS",
    "RESOLUTIONS",
    "SECTIONS",
    "CacheSettings",
    "DiscordSettings",
    "Key",
    "PlexSettings",
    "PresenceSettings",
    "QualitySettings",
    "RemoteSettings",
    "ServerEntry",
    "Settings",
    "UISettings",
    "WebhookSettings",
    "config_path",
    "keys",
    "load",
    "parse_value",
    "read_file",
    "redact",
    "remember_player",
    "replaced",
    "save_raw",
    "save_server",
    "select_server",
    "set_value",
    "show",
    "values_from_env",
    "values_from_file",
]
