"""The TUI while the server hangs: keys keep working, the problem is shown, and it recovers
on its own once the server answers again."""

from __future__ import annotations

from plextui.ui.app import make_app
from plextui.ui.screens.help import HelpScreen
from plextui.ui.sources import SectionSource
from tests.ui.conftest import SIZE, emu, main_screen, notes, ready, settings, wait_for  # noqa: F401


async def test_tui_stays_responsive_while_the_server_hangs(settings, emu):  # noqa: F811
    app = make_app(settings, poll_interval=0.2)  # plex.timeout is 3 s in these settings
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        start = main.items.cursor
        emu.faults.hang = True
        try:
            for _ in range(5):  # each move asks the server for details, which hang
                await pilot.press("down")
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=1)
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), timeout=1)
            # the keys were handled while the requests still hung (none has timed out yet)
            assert main.items.cursor == start + 5
            assert "did not answer" not in notes(app)
            await wait_for(pilot, lambda: "did not answer" in notes(app), timeout=15)
            await wait_for(pilot, lambda: app.status[1] in ("offline", "stale"), timeout=15)
        finally:
            emu.faults.hang = False
        await wait_for(pilot, lambda: app.status[1] in ("live", "connected"), timeout=10)
        main.open_place("lib:2")
        await wait_for(
            pilot,
            lambda: (
                isinstance(main.source, SectionSource)
                and main.source.title == "TV Shows"
                and main.items.total > 0
            ),
        )
