"""Websocket notification hub: `/:/websockets/notifications` JSON text frames."""

from __future__ import annotations

import json
import logging

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)


class Notifier:
    """Tracks open sockets and fans NotificationContainer messages out to them (loop thread only)."""

    def __init__(self) -> None:
        self.sockets: dict[web.WebSocketResponse, set[str] | None] = {}
        self.sent: list[dict] = []  # recent containers, for tests and debugging

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=20)
        await ws.prepare(request)
        raw = request.query.get("filters", "")
        wanted = {f for f in raw.split(",") if f and not f.startswith("-")} or None
        self.sockets[ws] = wanted
        try:
            async for msg in ws:
                if msg.type == WSMsgType.ERROR:
                    break
        finally:
            self.sockets.pop(ws, None)
        return ws

    async def publish(self, kind: str, array: str, entries: list[dict]) -> None:
        body = {"type": kind, "size": len(entries), array: entries}
        self.sent = [*self.sent[-199:], body]
        text = json.dumps({"NotificationContainer": body})
        for ws, wanted in list(self.sockets.items()):
            if wanted is not None and kind not in wanted:
                continue
            try:
                await ws.send_str(text)
            except (ConnectionError, RuntimeError):
                self.sockets.pop(ws, None)

    async def drop_all(self) -> None:
        """Close every socket, as a PMS restart or network blip would."""
        for ws in list(self.sockets):
            await ws.close(code=1001, message=b"going away")
        self.sockets.clear()
