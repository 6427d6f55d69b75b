"""The Discord panel against the emulators: the preview follows playback, and a `/plex`
line typed in the panel reaches the TV through the channel relay and gets a reply."""

from __future__ import annotations

from textual.widgets import Input

from plextui.entry.demo import CHANNEL_ID
from plextui.ui.screens.discord import DiscordScreen
from tests.ui.conftest import SIZE, wait_for
from tests.ui.test_playback import TV, play_first


def preview(app) -> dict:
    return app.mirror.preview if app.mirror else {}


async def test_panel_previews_and_types_commands(discord_app, discord_world, emu):
    ipc, rest, _settings = discord_world
    app = discord_app
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        title = emu.player(TV).timeline()["ratingKey"]
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscordScreen))
        await wait_for(pilot, lambda: (preview(app).get("activity") or {}).get("type") == 3)
        await wait_for(pilot, lambda: (preview(app).get("embed") or {}).get("title"))
        await wait_for(pilot, lambda: ipc.current is not None)
        assert "Watching Plex" in str(app.screen.query_one("#activity").render())

        app.screen.query_one("#say", Input).value = "/plex pause"
        await pilot.press("enter")
        await wait_for(pilot, lambda: emu.player(TV).timeline()["state"] == "paused", 15)
        assert emu.player(TV).timeline()["ratingKey"] == title
        await wait_for(
            pilot, lambda: any("Paus" in str(m) for m in rest.channel_messages(CHANNEL_ID)[1:]), 10
        )
        await wait_for(pilot, lambda: "you" in str(app.screen.query_one("#messages").render()))
        await wait_for(
            pilot, lambda: "Paused" in str((preview(app).get("embed") or {}).get("fields")), 10
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DiscordScreen))


async def test_tui_leaves_mirroring_to_a_relay_when_told(discord_world, emu):
    """`ui.mirror_discord = false`: the panel still previews, Discord hears nothing from us."""
    import dataclasses

    from plextui.entry.demo import DemoChannel
    from plextui.ui.app import make_app

    ipc, rest, settings = discord_world
    settings = dataclasses.replace(
        settings, ui=dataclasses.replace(settings.ui, mirror_discord=False)
    )
    app = make_app(settings, poll_interval=0.2, companion=DemoChannel(rest))
    async with app.run_test(size=SIZE) as pilot:
        await play_first(pilot, emu)
        await wait_for(pilot, lambda: (preview(app).get("activity") or {}).get("type") == 3)
        await pilot.pause(1.0)
        assert ipc.activities == []
        assert app.mirror.status == {"presence": "off", "webhooks": "off"}


async def test_the_companion_channel_is_answered_by_what_the_entry_point_gave(discord_world):
    """The UI does not know the remote-command front end: the companion it is given says
    how its commands are taken, and the app only starts that with its runtime."""
    import asyncio

    from plextui.entry.demo import DemoChannel
    from plextui.ui.app import make_app

    _ipc, rest, settings = discord_world
    given = []

    class Channel(DemoChannel):
        def take_commands(self, rt):
            given.append(rt)
            return asyncio.Event().wait()  # until the app stops

    app = make_app(settings, poll_interval=0.2, companion=Channel(rest))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: given)
        assert given == [app.rt]
