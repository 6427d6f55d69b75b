"""`plextui doctor`: every part plextui depends on, checked at once, one verdict each.

A check never raises and never waits long: each network step is bounded by `BOUND`
seconds (or less, when plex.timeout / plex.deadline say so), the independent checks run
side by side, and a check that still overruns is reported as such. What a check says is
fit to print: a token, a webhook URL or a password never appears in it.

The network checks (server, token, players, webhook) are in `diagnostics_net`; the ones
on this machine (config file, mpv, Discord's socket, the cache) are here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from plextui import config
from plextui.cache import sqlite_path
from plextui.config import Settings, paths
from plextui.config.store import without_password
from plextui.discord.mirror.presence import find_socket
from plextui.errors import ConfigError, PlextuiError
from plextui.plex.mpv import INSTALL_HINT

BOUND = 3.0  # seconds any one network step may take
OK, FAIL, SKIP = "ok", "fail", "skipped"
NO_SERVER_FIX = (
    "run `plextui login` to sign in with Plex, or `plextui config set plex.url http://HOST:32400`"
)


@dataclass(frozen=True)
class Check:
    """One verdict: `status` ok / fail / skipped, what was found, and the fix when failed."""

    name: str
    status: str
    summary: str
    fix: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def check_config() -> tuple[Check, Settings]:
    """The config file: where it is, whether it can be read and whether the schema takes it.
    An unusable file leaves the other checks on the defaults (and the environment)."""
    path = paths.config_path()
    exists = path.exists()
    data = {"path": str(path), "exists": exists, "readable": os.access(path, os.R_OK)}
    try:
        settings = config.load()
    except ConfigError as error:
        fix = f"chmod 600 {path}" if exists and not data["readable"] else f"edit {path}"
        return Check("config", FAIL, str(error), fix, data | {"valid": False}), _defaults()
    data["valid"] = True
    if not exists:
        return Check("config", OK, f"no file at {path}: defaults in use", data=data), settings
    return Check("config", OK, f"{path} is valid", data=data), settings


def _defaults() -> Settings:
    try:
        return config.load(path=paths.config_path().with_suffix(".absent"))
    except ConfigError:  # a bad environment variable: plain defaults
        return Settings()


def check_mpv() -> Check:
    """mpv on PATH (this computer plays through it) and its version."""
    found = shutil.which("mpv")
    if found is None:
        return Check("mpv", FAIL, "mpv is not on PATH: This computer cannot play", INSTALL_HINT)
    try:
        done = subprocess.run(  # noqa: S603 - an argument list, no shell
            [found, "--no-config", "--version"],
            capture_output=True,
            text=True,
            timeout=BOUND,
            check=False,
        )
    except subprocess.TimeoutExpired:
        why = f"{found} did not answer --version within {BOUND:g} s"
        return Check("mpv", FAIL, why, INSTALL_HINT, {"path": found})
    except OSError as error:
        return Check("mpv", FAIL, f"{found}: {error.strerror}", INSTALL_HINT, {"path": found})
    words = (done.stdout.splitlines() or [""])[0].split()
    version = words[1] if len(words) > 1 and words[0] == "mpv" else ""
    if done.returncode != 0 or not version:
        why = f"{found} --version failed (exit code {done.returncode})"
        return Check("mpv", FAIL, why, INSTALL_HINT, {"path": found})
    return Check("mpv", OK, f"mpv {version} at {found}", data={"path": found, "version": version})


def check_discord(settings: Settings) -> Check:
    """Rich Presence needs a Discord desktop client listening on its IPC socket."""
    presence = settings.discord.presence
    if not presence.enabled or not presence.client_id:
        why = "off" if not presence.enabled else "off (no discord.presence.client_id)"
        return Check("discord", OK, f"Rich Presence {why}", data={"presence": False})
    found = find_socket()
    if found is None:
        fix = (
            "start the Discord app, or turn presence off with "
            "`plextui config set discord.presence.enabled false`"
        )
        return Check("discord", FAIL, "Discord is not running", fix, {"presence": True})
    return Check(
        "discord",
        OK,
        f"Discord listening at {found}",
        data={"presence": True, "socket": str(found)},
    )


def check_cache(settings: Settings) -> Check:
    """The cache backend the URL names, and its size (SQLite) or whether it answers (Redis)."""
    url = settings.cache.url
    scheme = url.partition("://")[0] if "://" in url else url
    if scheme in ("", "sqlite"):
        path = sqlite_path(url)
        data: dict[str, Any] = {"backend": "sqlite", "path": str(path)}
        try:
            size = sum(
                p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists()
            )
        except OSError as error:
            return Check("cache", FAIL, f"SQLite at {path}: {error.strerror}", "", data)
        if not path.exists():
            return Check(
                "cache", OK, f"SQLite at {path} (not created yet)", data=data | {"bytes": 0}
            )
        return Check("cache", OK, f"SQLite at {path}, {_size(size)}", data=data | {"bytes": size})
    if scheme in ("redis", "rediss", "unix"):
        return _redis(url)
    fix = "`plextui config set cache.url sqlite://` (or redis://host:port/db)"
    return Check("cache", FAIL, f"unknown cache URL scheme {scheme!r}", fix, {"backend": scheme})


def _redis(url: str) -> Check:
    import redis

    shown = without_password(url)
    data: dict[str, Any] = {"backend": "redis", "url": shown}
    try:  # a malformed URL (a port that is not a number) fails here, as a ValueError
        client = redis.Redis.from_url(url, socket_timeout=BOUND, socket_connect_timeout=BOUND)
    except ValueError:
        fix = "`plextui config set cache.url redis://host:port/db` (port and db are numbers)"
        return Check("cache", FAIL, f"{shown} is not a usable Redis URL", fix, data)
    try:
        client.ping()
        keys = client.dbsize()
    except redis.RedisError as error:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
        fix = "start Redis, or use SQLite: `plextui config set cache.url sqlite://`"
        return Check("cache", FAIL, f"Redis at {shown} does not answer ({why})", fix, data)
    finally:
        client.close()
    return Check("cache", OK, f"Redis at {shown}, {keys} keys", data=data | {"keys": keys})


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 1024**2 else f"{size / 1024**2:.1f} MB"


async def diagnose(given: tuple[Check, Settings] | None = None) -> list[Check]:
    """Every check, the independent ones side by side; in a fixed order for printing.
    `given`: the config verdict and the settings to check (the demo's), else the user's."""
    from plextui.control import diagnostics_net as net

    conf, settings = given or await asyncio.to_thread(check_config)
    steps = [
        _guard("server", net.server_checks(settings), None),  # bounded step by step
        _guard("mpv", asyncio.to_thread(check_mpv)),
        _guard("discord", asyncio.to_thread(check_discord, settings)),
        _guard("webhook", asyncio.to_thread(net.check_webhook, settings)),
        _guard("cache", asyncio.to_thread(check_cache, settings)),
    ]
    found = await asyncio.gather(*steps)
    checks = [conf]
    for part in found:
        checks += part if isinstance(part, list) else [part]
    return checks


async def _guard(name: str, step: Any, seconds: float | None = BOUND * 3) -> Any:
    """A check that overran its bound (or failed in a way it did not foresee) is a failure
    like any other, never a hang or a traceback; an unforeseen error is named by its type
    only (its text might quote a URL with a secret in it)."""
    try:
        return await asyncio.wait_for(step, seconds)
    except TimeoutError:
        return Check(name, FAIL, f"no verdict within {seconds:g} s")
    except PlextuiError as error:
        return Check(name, FAIL, str(error))
    except Exception as error:  # noqa: BLE001 - doctor reports, it never crashes
        fix = "report this with the output of `plextui doctor --json`"
        return Check(name, FAIL, f"the check failed unexpectedly ({type(error).__name__})", fix)
