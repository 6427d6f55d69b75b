"""Every file plextui keeps, in one place, so "where does it write?" has one answer.

Three homes, from platformdirs (XDG on Linux; tests point them at a temp dir):
- config: `config.toml`, or wherever `$PLEXTUI_CONFIG` says; the user edits it.
- cache: the SQLite cache and the demo's own cache; losing it costs only a slower start.
- state: what plextui learnt and must not forget (client id, known servers and players,
  the webhook queue, the Discord audit log, replay guard and channel cursors).

Functions, not constants: the environment is read at each call. Not here because they are
not ours to keep: the mpv IPC socket (a private temp dir per run, removed on close, in
plex/mpv.py), Discord's IPC socket (Discord's own places, in discord/mirror/presence.py),
and the demo's scratch dir (a temp dir per run, in entry/demo.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "plextui"


# --- config ----------------------------------------------------------------------------


def config_path() -> Path:
    """The config file: `$PLEXTUI_CONFIG` or `config.toml` in the user config dir."""
    override = os.environ.get("PLEXTUI_CONFIG")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP) / "config.toml"


# --- cache -----------------------------------------------------------------------------


def cache_dir() -> Path:
    return platformdirs.user_cache_path(APP)


def sqlite_cache_path() -> Path:
    """The cache file when `cache.url` is empty or `sqlite://`."""
    return cache_dir() / "cache.sqlite3"


def demo_dir() -> Path:
    """What `plextui demo` keeps between runs, apart from the user's own files."""
    return cache_dir() / "demo"


def demo_cache_path() -> Path:
    return demo_dir() / "cache.db"


def demo_known_servers_path() -> Path:
    """The demo's known servers, copied in and out of its scratch state dir."""
    return demo_dir() / "servers.json"


def demo_config_path() -> Path:
    """What the demo's Settings screen saved (hidden libraries, theme …), copied in and
    out of its scratch config, never into the user's own config file."""
    return demo_dir() / "config.toml"


# --- state -----------------------------------------------------------------------------


def state_dir() -> Path:
    return platformdirs.user_state_path(APP)


def client_id_path() -> Path:
    """The client identifier generated once when the config names none."""
    return state_dir() / "client_id"


def known_servers_path() -> Path:
    """Machine id last seen per server URL, so the cache serves before the server answers."""
    return state_dir() / "servers.json"


def known_players_path() -> Path:
    """Players found by GDM or plex.tv lately, shown at once on the next start."""
    return state_dir() / "players.json"


def webhook_queue_path() -> Path:
    """Webhook card edits not yet delivered (holds webhook URLs: mode 0600)."""
    return state_dir() / "webhook-queue.json"


def audit_path() -> Path:
    """One JSON line per remote command from Discord."""
    return state_dir() / "audit.log"


def interactions_seen_path() -> Path:
    """Digests of the signed interactions already taken (the replay guard)."""
    return state_dir() / "interactions-seen.json"


def debug_log_path() -> Path:
    """mpv's messages and the last Plex requests' status lines, redacted and size-bounded
    (config/debuglog.py); `plextui doctor` prints where it is."""
    return state_dir() / "debug.log"


def channel_state_path(channel_id: str) -> Path:
    """The channel poller's cursor and journal for one channel."""
    return state_dir() / f"discord-relay-{channel_id}.json"
