"""The checks of `plextui doctor` that cross the network: the server, the token, the
players and the Discord webhooks. Each request is bounded (see `diagnostics.BOUND`) and
goes through the same bounded transport as the app's own (so it is in the debug log too).

The server's three checks are a chain: the token is asked only of a server that answered,
and players only with a token it took. The token and webhook URLs are never in a verdict.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import requests

from plextui.config import Settings, select_server
from plextui.control import runtime
from plextui.control.diagnostics import BOUND, FAIL, NO_SERVER_FIX, OK, SKIP, Check
from plextui.errors import ConfigError, PlextuiError
from plextui.plex.probe import ask
from plextui.plex.server import PlexService
from plextui.plex.transport import translate

TOKEN_FIX = "run `plextui login` to sign in again, or `plextui config set plex.token TOKEN`"


def _bounds(settings: Settings) -> tuple[float, float]:
    """(per read, whole request): the configured ones, never more than BOUND."""
    return min(BOUND, settings.plex.timeout), min(BOUND, settings.plex.deadline)


async def server_checks(settings: Settings) -> list[Check]:
    """server, token, players: each needs the one before it to have passed."""
    try:
        settings = select_server(settings)
    except ConfigError as error:
        return [Check("server", FAIL, str(error), NO_SERVER_FIX), *_skipped("a server")]
    url = settings.plex.url.rstrip("/")
    if not url:
        why = "no Plex server configured"
        return [Check("server", FAIL, why, NO_SERVER_FIX), *_skipped("a server")]
    server = await asyncio.to_thread(_check_server, settings, url)
    if server.failed:
        return [server, *_skipped("a server that answers")]
    token = await asyncio.to_thread(_check_token, settings, url)
    if token.failed:
        return [
            server,
            token,
            Check("players", SKIP, "not checked: needs a token the server takes"),
        ]
    return [server, token, await _check_players(settings)]


def _skipped(needs: str) -> list[Check]:
    return [Check(name, SKIP, f"not checked: needs {needs}") for name in ("token", "players")]


def _check_server(settings: Settings, url: str) -> Check:
    """GET /identity (open on every PMS): reachable, a Plex Media Server, which version."""
    timeout, deadline = _bounds(settings)
    fix = f"is the server running at {url}? else `plextui config set plex.url http://HOST:32400`"
    try:
        status, identity = ask(f"{url}/identity", timeout, deadline)
    except Exception as error:  # noqa: BLE001 - every fault is a verdict
        return Check("server", FAIL, str(translate(error, url, timeout)), fix, {"url": url})
    if status != 200 or "machineIdentifier" not in identity:
        why = f"{url} answered HTTP {status}, not as a Plex Media Server"
        return Check("server", FAIL, why, fix, {"url": url, "status": status})
    version = identity.get("version", "")
    data = {"url": url, "version": version, "machine_identifier": identity["machineIdentifier"]}
    return Check("server", OK, f"{url} answers, Plex Media Server {version}", data=data)


def _check_token(settings: Settings, url: str) -> Check:
    """GET / with the token: taken (200) or refused (401); the token itself is never shown."""
    timeout, deadline = _bounds(settings)
    token = settings.plex.token
    try:
        status, root = ask(f"{url}/", timeout, deadline, token, settings.plex.client_id)
    except Exception as error:  # noqa: BLE001
        return Check("token", FAIL, str(translate(error, url, timeout)), TOKEN_FIX)
    if status in (401, 403):
        why = "the server refused the token" if token else "the server needs a token; none is set"
        return Check("token", FAIL, why, TOKEN_FIX, {"status": status, "set": bool(token)})
    if status != 200:
        why = f"the server answered HTTP {status} to the token"
        return Check("token", FAIL, why, TOKEN_FIX, {"status": status})
    name = root.get("friendlyName", "")
    how = "accepted" if token else "none needed (the server allows this network)"
    return Check("token", OK, f"{how} by '{name}'", data={"set": bool(token), "server": name})


async def _check_players(settings: Settings) -> Check:
    """A full discovery pass, as `ctl players` makes: every player and where it was found."""
    timeout, deadline = _bounds(settings)
    plex = settings.plex
    service = PlexService(
        plex.url,
        plex.token,
        client_id=runtime.client_id(settings),
        timeout=timeout,
        deadline=deadline,
        retries=0,
    )
    discovery = runtime.player_discovery(settings, service)
    try:
        await service.connect()
        found = await asyncio.wait_for(discovery.players(full=True), BOUND + plex.gdm_timeout)
    except (PlextuiError, TimeoutError) as error:
        why = str(error) or f"no answer within {BOUND + plex.gdm_timeout:g} s"
        return Check("players", FAIL, f"could not list players: {why}")
    finally:
        service.close()
    players = [_player(p) for p in found]
    lost = [p for p in players if not p["reachable"]]
    listed = "; ".join(f"{p['name']} ({', '.join(p['found_by'])})" for p in players)
    summary = f"{len(players)} found: {listed}" if players else "none found besides This computer"
    data: dict[str, Any] = {"players": players}
    if lost:
        names = ", ".join(f"{p['name']} at {p['address']}" for p in lost)
        fix = "turn it on and check its address, or `plextui ctl players remove ADDRESS`"
        return Check("players", FAIL, f"{summary}; not answering: {names}", fix, data)
    return Check("players", OK, summary, data=data)


def _player(player: Any) -> dict[str, Any]:
    info = player.info
    return {
        "name": info.name,
        "found_by": list(info.found_by),
        "address": info.address,
        "reachable": info.reachable,
    }


def check_webhook(settings: Settings) -> Check:
    """Each webhook answers a GET (Discord describes the webhook; nothing is posted)."""
    hook = settings.discord.webhook
    if not hook.enabled or not hook.urls:
        return Check("webhook", OK, "not configured (optional)", data={"configured": False})
    results = []
    for number, url in enumerate(hook.urls, 1):
        where = f"webhook #{number} on {urlsplit(url).hostname}"
        try:
            with requests.Session() as session:  # not the transport's: no URL in the log
                answer = session.get(url, timeout=BOUND, allow_redirects=False, stream=True)
                answer.close()  # the status is the verdict; the body is not read
            ok, why = answer.status_code == 200, f"HTTP {answer.status_code}"
        except requests.RequestException as error:
            ok, why = False, type(error).__name__
        results.append({"number": number, "ok": ok, "answer": why, "where": where})
    bad = [r for r in results if not r["ok"]]
    data = {"configured": True, "webhooks": results}
    if bad:
        said = ", ".join(f"{r['where']} ({r['answer']})" for r in bad)
        fix = "create the webhook again and `plextui config set discord.webhook.urls URL`"
        return Check("webhook", FAIL, f"not answering: {said}", fix, data)
    return Check("webhook", OK, f"{len(results)} answering", data=data)
