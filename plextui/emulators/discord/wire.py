"""HTTP plumbing shared by every route: Discord's JSON errors, body parsing (JSON or multipart
with any part name as a file), request recording with secrets redacted, injected faults and the
`Via` header that discord-webhook's retry needs."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from aiohttp import web

from .limits import FILE_MAX_BYTES, strip_nulls
from .ratelimit import too_many

REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
_SECRET_SEGMENT = re.compile(r"(/(?:webhooks/\d+|interactions/\d+)/)[^/?]+")


class ApiError(Exception):
    """Raised by a handler; rendered as Discord's JSON error body."""

    def __init__(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}

    @classmethod
    def coded(cls, status: int, message: str, code: int) -> ApiError:
        return cls(status, {"message": message, "code": code})


def unknown_webhook() -> ApiError:
    return ApiError.coded(404, "Unknown Webhook", 10015)


def unknown_message() -> ApiError:
    return ApiError.coded(404, "Unknown Message", 10008)


def unauthorized() -> ApiError:
    return ApiError.coded(401, "401: Unauthorized", 0)


class Upload(NamedTuple):
    field: str
    filename: str
    data: bytes
    content_type: str | None


class RecordedRequest(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Parsed:
    """The request body, parsed once by the middleware for handlers and the log."""

    json: Any = None
    uploads: list[Upload] = field(default_factory=list)
    error: ApiError | None = None

    def message(self) -> dict:
        """The message object of a JSON or `payload_json` body, nulls removed."""
        if self.error is not None:
            raise self.error
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise ApiError(400, {"code": 50035, "errors": {}, "message": "Invalid Form Body"})
        return strip_nulls(self.json)

    def summary(self) -> Any:
        if not self.uploads:
            return self.json
        files = [
            {"field": u.field, "filename": u.filename, "size": len(u.data)} for u in self.uploads
        ]
        return {"payload_json": self.json, "files": files}


PARSED: web.RequestKey[Parsed] = web.RequestKey("discord_parsed", Parsed)
RATELIMIT: web.RequestKey[dict] = web.RequestKey("discord_ratelimit", dict)


NO_BODY = object()


@dataclass
class Fault:
    status: int
    count: int
    retry_after: float
    html: bool = False  # a proxy's (e.g. Cloudflare's) page instead of Discord's JSON
    body: Any = NO_BODY  # any JSON to answer with instead (a malformed 200, say)
    method: str | None = None  # only requests with this method meet the fault

    def meets(self, method: str) -> bool:
        return self.method is None or self.method == method


def redact_path(path: str) -> str:
    return _SECRET_SEGMENT.sub(r"\1***", path)


def redact_headers(headers) -> dict[str, str]:
    kept = {}
    for name, value in headers.items():
        if name.lower() == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} ***".strip()
        kept[name] = value
    return kept


def query_true(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("true", "1")


async def parse_body(request: web.Request) -> Parsed:
    if request.content_type.startswith("multipart/"):
        return await _parse_multipart(request)
    raw = await request.read()
    if not raw:
        return Parsed()
    try:
        return Parsed(json=json.loads(raw))
    except (UnicodeDecodeError, json.JSONDecodeError):
        error = ApiError.coded(400, "The request body contains invalid JSON.", 50109)
        return Parsed(error=error)


async def _parse_multipart(request: web.Request) -> Parsed:
    parsed = Parsed()
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        data = await part.read()
        if part.name == "payload_json":
            try:
                parsed.json = json.loads(data)
            except (UnicodeDecodeError, json.JSONDecodeError):
                parsed.error = ApiError.coded(400, "The request body contains invalid JSON.", 50109)
        elif len(data) > FILE_MAX_BYTES:
            parsed.error = ApiError.coded(413, "Request entity too large", 40005)
        else:
            content_type = part.headers.get("Content-Type")
            parsed.uploads.append(
                Upload(part.name or "", part.filename or "file", data, content_type)
            )
    return parsed


def _seconds_header(seconds: float) -> str:
    return str(math.ceil(seconds)) if math.isfinite(seconds) else str(seconds)


def fault_response(fault: Fault) -> web.Response:
    if fault.body is not NO_BODY:
        return web.Response(
            text=json.dumps(fault.body), status=fault.status, content_type="application/json"
        )
    if fault.html:  # [GUESS] shape of an edge proxy's error page: HTML, no JSON, Retry-After
        page = f"<html><body><h1>{fault.status}</h1>Error from the edge</body></html>"
        headers = {"Retry-After": _seconds_header(fault.retry_after)}
        return web.Response(
            text=page, status=fault.status, content_type="text/html", headers=headers
        )
    if fault.status == 429:
        headers = {
            "Retry-After": _seconds_header(fault.retry_after),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Scope": "user",
        }
        return web.json_response(too_many(fault.retry_after), status=429, headers=headers)
    reason = REASONS.get(fault.status, "Error")
    return web.json_response(
        {"message": f"{fault.status}: {reason}", "code": 0}, status=fault.status
    )
