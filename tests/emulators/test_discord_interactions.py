"""Signed interactions from the REST emulator to a tiny receiver that verifies like the relay
must, answering inline, by callback and by deferred follow-up."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from plextui.emulators.discord import DiscordRestEmulator
from plextui.emulators.loopthread import LoopThread

CHANNEL = "900000000000000003"
PLAY = [{"name": "play", "type": 1, "options": [{"name": "title", "type": 3, "value": "Alien"}]}]


class Receiver:
    """An interactions endpoint: verify, then answer as `mode` says."""

    def __init__(self, rest: DiscordRestEmulator, mode: str = "inline") -> None:
        self.rest, self.mode = rest, mode
        self.key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(rest.public_key_hex))
        self.seen: list[dict] = []
        self.tasks: set[asyncio.Task] = set()
        self.delay = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            signature = bytes.fromhex(request.headers["X-Signature-Ed25519"])
            stamp = request.headers["X-Signature-Timestamp"]
            self.key.verify(signature, stamp.encode() + body)
        except (KeyError, ValueError, InvalidSignature):
            return web.Response(status=401, text="Bad request signature.")
        payload = json.loads(body)
        self.seen.append(payload)
        await asyncio.sleep(self.delay)
        if payload["type"] == 1:
            return web.json_response({"type": 1})
        if payload["type"] == 3:
            return web.json_response({"type": 7, "data": {"content": "Paused by alice"}})
        if self.mode == "inline":
            return web.json_response({"type": 4, "data": {"content": "Playing Alien"}})
        task = asyncio.create_task(getattr(self, self.mode)(payload))
        self.tasks.add(task)
        return (
            web.json_response({"type": 5}) if self.mode == "deferred" else web.Response(status=202)
        )

    async def deferred(self, payload: dict) -> None:
        await self._send(
            "PATCH",
            f"/webhooks/{payload['application_id']}/{payload['token']}/messages/@original",
            {"content": "Playing Alien on TV"},
        )
        await self._send(
            "POST",
            f"/webhooks/{payload['application_id']}/{payload['token']}",
            {"content": "Queue: 3 items"},
        )

    async def callback(self, payload: dict) -> None:
        await self._send(
            "POST",
            f"/interactions/{payload['id']}/{payload['token']}/callback",
            {"type": 4, "data": {"content": "Now: Alien"}},
        )

    async def _send(self, method: str, path: str, body: dict) -> None:
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.rest.api_url + path, json=body) as response,
        ):
            assert response.status in (200, 204), await response.text()


@pytest.fixture
async def rest():
    emulator = DiscordRestEmulator()
    await emulator.start_async()  # the thread-free variant, on the test's loop
    emulator.create_channel(CHANNEL)
    yield emulator
    await emulator.stop_async()


async def serve(receiver: Receiver):
    app = web.Application()
    app.router.add_post("/interactions", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/interactions"


@pytest.fixture
async def endpoint(rest):
    receiver = Receiver(rest)
    runner, url = await serve(receiver)
    yield receiver, url
    await asyncio.gather(*receiver.tasks)
    await runner.cleanup()


async def wait_for(predicate, timeout: float = 3.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_ping_is_signed_and_verifiable(rest, endpoint):
    receiver, url = endpoint
    status, body = await rest.send_interaction_async(url, {"type": 1})
    assert (status, body) == (200, {"type": 1})
    assert receiver.seen[0]["application_id"] == rest.application_id


@pytest.mark.parametrize("fault", [{"tamper": True}, {"sign": False}, {"timestamp": "1"}])
async def test_bad_signatures_are_refused_by_a_verifier(rest, endpoint, fault):
    receiver, url = endpoint
    status, body = await rest.send_interaction_async(url, {"type": 1}, **fault)
    if "timestamp" in fault:  # signed over the given timestamp: valid, staleness is the app's call
        assert status == 200
    else:
        assert (status, body) == (401, "Bad request signature.")
        assert receiver.seen == []


async def test_inline_reply_becomes_the_channel_message(rest, endpoint):
    _, url = endpoint
    payload = rest.slash_command("plex", PLAY, channel_id=CHANNEL, user_id="1001", roles=("77",))
    assert payload["member"]["roles"] == ["77"]
    status, body = await rest.send_interaction_async(url, payload)
    assert body["type"] == 4
    original = rest.interaction_original(rest.interaction_token())
    assert original["content"] == "Playing Alien" and original["type"] == 20
    assert rest.channel_messages(CHANNEL)[-1]["id"] == original["id"]


async def test_deferred_then_edit_original_and_follow_up(rest, endpoint):
    receiver, url = endpoint
    receiver.mode = "deferred"
    status, body = await rest.send_interaction_async(
        url, rest.slash_command("plex", PLAY, channel_id=CHANNEL)
    )
    assert (status, body) == (200, {"type": 5})
    token = rest.interaction_token()
    await wait_for(lambda: len(rest.interaction_responses(token)) == 2)
    assert rest.interaction_responses(token) == [
        {"content": "Playing Alien on TV"},
        {"content": "Queue: 3 items"},
    ]
    original = rest.interaction_original(token)
    assert original["content"] == "Playing Alien on TV" and not original["flags"] & 128
    assert [m["content"] for m in rest.channel_messages(CHANNEL)] == [
        "Playing Alien on TV",
        "Queue: 3 items",
    ]
    assert all("***" in path for _, path, _, _ in rest.requests if "/webhooks/" in path)


async def test_callback_answer(rest, endpoint):
    receiver, url = endpoint
    receiver.mode = "callback"
    status, _ = await rest.send_interaction_async(
        url, rest.slash_command("plex", PLAY, channel_id=CHANNEL)
    )
    assert status == 202
    token = rest.interaction_token()
    await wait_for(lambda: rest.interaction_original(token) is not None)
    assert rest.interaction_original(token)["content"] == "Now: Alien"


async def test_too_slow_answer_fails_the_interaction(rest, endpoint):
    receiver, url = endpoint
    rest.store.interaction_deadline = 0.05
    receiver.delay = 0.2
    await rest.send_interaction_async(url, rest.slash_command("plex", PLAY, channel_id=CHANNEL))
    token = rest.interaction_token()
    assert rest.interaction_original(token) is None
    async with (
        aiohttp.ClientSession() as session,
        session.patch(
            f"{rest.api_url}/webhooks/{rest.application_id}/{token}/messages/@original",
            json={"content": "late"},
        ) as response,
    ):
        assert (response.status, await response.json()) == (
            404,
            {"message": "Unknown Webhook", "code": 10015},
        )


async def test_button_click_updates_the_card(rest, endpoint):
    _, url = endpoint
    card = rest.post_user_message(CHANNEL, "Now playing: Alien")
    status, body = await rest.send_interaction_async(url, rest.button_click("plex:pause", card))
    assert body["type"] == 7
    assert rest.channel_messages(CHANNEL)[0]["content"] == "Paused by alice"


def test_threaded_send_interaction():
    """The synchronous API, with the receiver on a loop of its own thread."""
    rest = DiscordRestEmulator()
    rest.start()
    loop = LoopThread("receiver")
    loop.start()
    try:
        runner, url = loop.run(serve(Receiver(rest)))
        assert rest.send_interaction(url, {"type": 1}) == (200, {"type": 1})
        loop.run(runner.cleanup())
    finally:
        loop.stop()
        rest.stop()
