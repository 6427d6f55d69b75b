"""End to end: an emulated Plex player plays, `run_relay` mirrors it to the Discord emulators."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from plexapi.client import PlexClient
from plexapi.server import PlexServer

from plextui.config import DiscordSettings, PlexSettings, PresenceSettings, Settings
from plextui.config import WebhookSettings as Hooks
from plextui.emulators.discord import DiscordIPCEmulator, DiscordRestEmulator
from plextui.emulators.plex import ManualClock
from plextui.entry.relay import run_relay

CLIENT_ID = "123456789012345678"
CHANNEL = "900000000000000042"


async def wait_for(predicate, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.fixture
def discord(monkeypatch):
    with tempfile.TemporaryDirectory(prefix="ptr", dir="/tmp") as name:
        run = Path(name) / "run"
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
        monkeypatch.setenv("TMPDIR", name)
        ipc = DiscordIPCEmulator(run, client_ids={CLIENT_ID})
        rest = DiscordRestEmulator()
        ipc.start()
        rest.start()
        try:
            yield ipc, rest
        finally:
            ipc.stop()
            rest.stop()


async def test_playing_on_living_room_tv_shows_in_presence_and_channel(discord, make_plex):
    ipc, rest = discord
    url = rest.create_webhook(CHANNEL)
    emu = make_plex(token="demo-token", size=60, clock=ManualClock())
    lines: list[str] = []
    settings = Settings(
        plex=PlexSettings(url=emu.url, token="demo-token"),
        discord=DiscordSettings(
            api_url=rest.api_url,
            presence=PresenceSettings(client_id=CLIENT_ID),
            webhook=Hooks(urls=[url], attach_poster=False),
        ),
    )
    relay = asyncio.create_task(run_relay(settings, out=lines.append))
    await wait_for(lambda: any(line.startswith("mirroring") for line in lines))

    def play() -> str:
        plex = PlexServer(emu.url, emu.token, timeout=10)
        tv = emu.player("Living Room TV")
        movie = plex.library.section("Movies").all()[0]
        PlexClient(server=plex, baseurl=tv.url, token=emu.token).playMedia(movie)
        return movie.title

    title = await asyncio.to_thread(play)
    await wait_for(lambda: ipc.current is not None)
    assert ipc.current["details"].startswith(title)
    assert ipc.current["assets"]["small_text"] == "Playing on Living Room TV"
    await wait_for(lambda: bool(rest.channel_messages(CHANNEL)))
    await wait_for(lambda: "presence: connected" in lines)
    relay.cancel()
    with pytest.raises(asyncio.CancelledError):
        await relay
    assert ipc.current is None  # cleared on the way out
    assert lines[-1] == "relay stopped; Discord presence cleared"
    assert not any("demo-token" in line or url in line for line in lines)


async def test_a_busy_listen_port_is_one_clear_error(discord, make_plex):
    """`relay --listen` on a taken port stops every part and says why (no traceback)."""
    import socket

    from plextui.config import RemoteSettings
    from plextui.errors import DiscordError

    _ipc, rest = discord
    emu = make_plex(token="demo-token", size=60, clock=ManualClock())
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        settings = Settings(
            plex=PlexSettings(url=emu.url, token="demo-token"),
            discord=DiscordSettings(
                api_url=rest.api_url,
                remote=RemoteSettings(enabled=True, public_key="00" * 32),
            ),
        )
        lines: list[str] = []
        with pytest.raises(DiscordError, match=f"cannot listen on 127.0.0.1:{port}"):
            await asyncio.wait_for(
                run_relay(settings, out=lines.append, listen_on=f"127.0.0.1:{port}"), 20
            )
        assert any("relay stopped" in line for line in lines)
    finally:
        taken.close()
