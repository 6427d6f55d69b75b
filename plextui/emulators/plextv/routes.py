"""plex.tv's HTTP surface: api/v2 pins, user and resources; api/home/users and switch.

api/v2 answers JSON when asked (`Accept: application/json`) and XML otherwise, as plex.tv
does; the older api/home endpoints are XML only (what plexapi's switchHomeUser reads).
"""

from __future__ import annotations

import asyncio
import json
import time
from email.utils import formatdate
from typing import Any
from xml.sax.saxutils import quoteattr

from aiohttp import web

from .store import Store

JSON = "application/json"
FORM = web.RequestKey("form", dict)
USER = web.RequestKey("user", object)


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def to_xml(tag: str, data: dict) -> str:
    """Scalars become attributes; a list `things` becomes `<things><thing/>…</things>`."""
    attrs = "".join(
        f" {k}={quoteattr(_xml_value(v))}"
        for k, v in data.items()
        if v is not None and not isinstance(v, list | dict)
    )
    children = "".join(
        f"<{k}>" + "".join(to_xml(k[:-1], item) for item in v) + f"</{k}>"
        for k, v in data.items()
        if isinstance(v, list)
    )
    return f"<{tag}{attrs}>{children}</{tag}>" if children else f"<{tag}{attrs}/>"


def _wants_json(request: web.Request) -> bool:
    return JSON in request.headers.get("Accept", "")


def answer(request: web.Request, tag: str, data: dict | list, status: int = 200) -> web.Response:
    if _wants_json(request):
        return web.Response(text=json.dumps(data), status=status, content_type=JSON)
    if isinstance(data, list):
        body = f'<{tag} size="{len(data)}">' + "".join(to_xml(tag[:-1], d) for d in data)
        body += f"</{tag}>"
    else:
        body = to_xml(tag, data)
    return web.Response(
        text='<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        status=status,
        content_type="application/xml",
    )


def failure(request: web.Request, status: int, code: int, message: str) -> web.Response:
    """plex.tv's error body: `{"errors": [{code, message, status}]}` or `<errors><error/>`."""
    error = {"code": code, "message": message, "status": status}
    if _wants_json(request) and not request.path.startswith("/api/home/"):
        return web.Response(text=json.dumps({"errors": [error]}), status=status, content_type=JSON)
    body = f"<errors>{to_xml('error', error)}</errors>"
    return web.Response(
        text='<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        status=status,
        content_type="application/xml",
    )


def param(request: web.Request, name: str, form: dict | None = None) -> str | None:
    return request.headers.get(name) or request.query.get(name) or (form or {}).get(name)


def build_app(store: Store, tv) -> web.Application:
    """`tv` is the harness: its `requests` log and the `delay` / `clock_skew` knobs."""

    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        tv.requests.append((request.method, request.path))
        if tv.delay:
            await asyncio.sleep(tv.delay)
        form = dict(await request.post()) if request.method == "POST" else {}
        request[FORM] = form
        request[USER] = store.user_by_token(param(request, "X-Plex-Token", form))
        if not param(request, "X-Plex-Client-Identifier", form):
            response = failure(request, 400, 1000, "X-Plex-Client-Identifier is missing")
        elif request[USER] is None and not request.path.startswith("/api/v2/pins"):
            response = failure(request, 401, 1001, "User could not be authenticated")
        else:
            response = await handler(request)
        response.headers["Date"] = formatdate(time.time() + tv.clock_skew, usegmt=True)
        return response

    async def create_pin(request: web.Request) -> web.Response:
        form = request[FORM]
        strong = (param(request, "strong", form) or "").lower() in ("true", "1")
        pin = store.new_pin(
            param(request, "X-Plex-Client-Identifier", form),
            param(request, "X-Plex-Product", form) or "",
            strong,
            time.time(),
        )
        return answer(request, "pin", pin.v2(time.time()), status=201)

    async def check_pin(request: web.Request) -> web.Response:
        pin = store.pins.get(int(request.match_info["pid"]))
        now = time.time()
        if pin is None or pin.expires_at <= now:
            return failure(request, 404, 1020, "Code not found or expired")
        return answer(request, "pin", pin.v2(now))

    async def user(request: web.Request) -> web.Response:
        return answer(request, "user", request[USER].v2(len(store.users)))

    async def resources(request: web.Request) -> web.Response:
        https = request.query.get("includeHttps") == "1"
        relay = request.query.get("includeRelay") == "1"
        out = []
        for server in [*store.servers, *store.devices]:
            data = server.v2(request[USER])
            data["connections"] = [
                c
                for c in data["connections"]
                if (https or c["protocol"] != "https") and (relay or not c["relay"])
            ]
            out.append(data)
        return answer(request, "resources", out)

    async def home_users(request: web.Request) -> web.Response:
        body = "".join(to_xml("User", u.home_xml_attrs()) for u in store.users)
        head = {
            "friendlyName": "myPlex",
            "identifier": "com.plexapp.plugins.myplex",
            "machineIdentifier": "plextv-emulator",
            "totalSize": len(store.users),
            "size": len(store.users),
        }
        text = to_xml("MediaContainer", head).replace("/>", f">{body}</MediaContainer>")
        return web.Response(
            text='<?xml version="1.0" encoding="UTF-8"?>\n' + text,
            content_type="application/xml",
        )

    async def switch(request: web.Request) -> web.Response:
        target = store.user(int(request.match_info["uid"]))
        if target is None:
            return failure(request, 404, 1002, "User not found")
        pin = param(request, "pin", request[FORM])
        if target.pin is not None and pin != target.pin and request[USER] is not target:
            return failure(request, 401, 1041, "Invalid PIN")
        attrs = target.home_xml_attrs() | {
            "authenticationToken": target.token,
            "authToken": target.token,
        }
        return web.Response(
            text='<?xml version="1.0" encoding="UTF-8"?>\n' + to_xml("user", attrs),
            status=201,
            content_type="application/xml",
        )

    app = web.Application(middlewares=[middleware])
    app.router.add_post("/api/v2/pins", create_pin)
    app.router.add_get("/api/v2/pins/{pid:\\d+}", check_pin)
    app.router.add_get("/api/v2/user", user)
    app.router.add_get("/api/v2/resources", resources)
    app.router.add_get("/api/home/users", home_users)
    app.router.add_post("/api/home/users/{uid:\\d+}/switch", switch)
    return app
