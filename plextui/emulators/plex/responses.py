"""Response helpers with PMS's exact content types, error bodies and paging headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from http import HTTPStatus

from aiohttp import web

from .query import paging
from .xml import HEADER, attrs

PLEX_HEADERS = {"X-Plex-Protocol": "1.0", "Cache-Control": "no-cache"}
UNAUTHORIZED_ROOT = (
    "<html><head><script>window.location = window.location.href.match(/(^.+\\/)[^\\/]*$/)[1] + "
    "'web/index.html';</script><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1>"
    "</body></html>"
)


def xml(text: str, headers: dict | None = None, status: int = 200) -> web.Response:
    return web.Response(
        text=text,
        status=status,
        content_type="text/xml",
        charset="utf-8",
        headers=PLEX_HEADERS | (headers or {}),
    )


def error(status: int, root: bool = False) -> web.Response:
    """The HTML error pages PMS sends (plexapi puts the text into its exception message)."""
    if status == 401 and root:
        body = UNAUTHORIZED_ROOT
    else:
        phrase = HTTPStatus(status).phrase
        body = f"<html><head><title>{phrase}</title></head><body><h1>{status} {phrase}</h1></body></html>"
    return web.Response(
        text=body, status=status, content_type="text/html", headers=dict(PLEX_HEADERS)
    )


def empty() -> web.Response:
    return xml(HEADER + '<MediaContainer size="0"/>')


def page(
    request: web.Request,
    items: Sequence,
    render: Callable,
    base: dict | None = None,
    extra_body: str = "",
) -> web.Response:
    """One page of a collection: only the requested slice is rendered."""
    start, size = paging(request.headers, request.query)
    total = len(items)
    chunk = items[start:] if size is None else items[start : start + size]
    body = "".join(render(i) for i in chunk)
    values = (base or {}) | {"size": len(chunk), "totalSize": total, "offset": start}
    text = HEADER + f"<MediaContainer{attrs(values)}>{extra_body}{body}</MediaContainer>"
    return xml(
        text, {"X-Plex-Container-Start": str(start), "X-Plex-Container-Total-Size": str(total)}
    )
