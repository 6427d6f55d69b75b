"""The PMS aiohttp application: middleware (faults, auth, request log, JSON, player proxy)."""

from __future__ import annotations

import asyncio
import logging
import re

import aiohttp
from aiohttp import web

from . import (
    jsonshape,
    routes_collections,
    routes_hubs,
    routes_library,
    routes_media,
    routes_playlists,
    routes_status,
    routes_system,
)
from .core import Core
from .responses import error

log = logging.getLogger("plextui.emulators.plex")
OPEN_PATHS = {"/identity"}
# A transcode session's playlists and segments: the unguessable session id is the credential
# (players fetch them by relative URL, without the token of the start request).
OPEN_PREFIX = re.compile(r"^/(video|audio|music)/:/transcode/universal/session/")


def token_of(request: web.Request) -> str | None:
    return request.headers.get("X-Plex-Token") or request.query.get("X-Plex-Token")


def build_app(core: Core, verbose: bool = False) -> web.Application:
    # What PMS keeps only in memory dies with the process: a (re)started server knows no
    # transient tokens and no transcode sessions.
    core.transient_tokens.clear()
    core.hls_sessions.clear()

    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "x-plex-token"}
        query = request.query.copy()
        query.popall("X-Plex-Token", None)
        path = request.path + (
            "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        )
        core.requests.append((request.method, path, headers))
        if verbose:
            log.info("%s %s", request.method, path)
        faults = core.faults
        if faults.hang:
            await asyncio.Event().wait()
        if faults.delay:
            await asyncio.sleep(faults.delay)
        if faults.status:
            return error(int(faults.status))
        open_path = request.path in OPEN_PATHS or OPEN_PREFIX.match(request.path)
        if not open_path and not core.token_ok(token_of(request)):
            return error(401, root=request.path == "/")
        client = request.headers.get("X-Plex-Client-Identifier") or query.get(
            "X-Plex-Client-Identifier"
        )
        if client:
            core.saw_device(client, lambda name: request.headers.get(name) or query.get(name))
        if request.path.startswith("/player/"):
            return await proxy(request)
        try:
            response = await handler(request)
        except web.HTTPNotFound:
            return error(404)
        except web.HTTPMethodNotAllowed:
            return error(405)
        except (ValueError, KeyError):
            return error(400)
        if isinstance(response, web.Response) and response.content_type == "text/xml":
            response = _encoded(request, response, faults)
        return response

    async def proxy(request: web.Request) -> web.StreamResponse:
        """Forward /player/* to the player named by X-Plex-Target-Client-Identifier, over HTTP."""
        target = request.headers.get("X-Plex-Target-Client-Identifier") or request.query.get(
            "X-Plex-Target-Client-Identifier"
        )
        player = core.player_by_id(target or "")
        if player is None:
            return error(404)
        query = request.query.copy()
        query.popall("X-Plex-Token", None)
        url = f"{player.url}{request.path}"
        try:
            async with (
                aiohttp.ClientSession() as client,
                client.get(
                    url,
                    params=query,
                    headers={"X-Plex-Target-Client-Identifier": player.machine_identifier},
                    timeout=aiohttp.ClientTimeout(total=40),
                ) as reply,
            ):
                body = await reply.read()
                return web.Response(
                    body=body, status=reply.status, content_type="text/xml", charset="utf-8"
                )
        except (aiohttp.ClientError, OSError):
            text = (
                f'<Response code="2000" status="FrameworkException: Unable to find player with identifier '
                f'{player.machine_identifier}"/>'
            )
            return web.Response(text=text, status=500, content_type="text/xml", charset="utf-8")

    app = web.Application(middlewares=[middleware])
    routes_system.setup(app, core)
    routes_collections.setup(app, core)  # before the catch-all /library/sections/{sid}/{name}
    routes_library.setup(app, core)
    routes_hubs.setup(app, core)
    routes_media.setup(app, core)
    routes_playlists.setup(app, core)
    routes_status.setup(app, core)
    return app


def _encoded(request: web.Request, response: web.Response, faults) -> web.Response:
    """XML as rendered, or PMS's JSON for `Accept: application/json`; then any body fault."""
    text, kind = response.text, "text/xml"
    if jsonshape.wants_json(request.headers.get("Accept", "")):
        text, kind = jsonshape.to_json(text), "application/json"
    if not (faults.malformed or faults.truncated):
        if kind == "text/xml":
            return response
    elif faults.truncated:
        text = text[: len(text) // 2]
    else:
        text = text.replace("<MediaContainer", "<MediaContainer <<", 1).replace("{", "{<<", 1)
    return web.Response(
        text=text,
        status=response.status,
        content_type=kind,
        charset="utf-8",
        headers={
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-type", "content-length")
        },
    )
