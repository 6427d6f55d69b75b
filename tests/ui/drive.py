"""Drive the TUI to a screen the way a person does (keys, not internals), for the snapshot
tests, the layout tests and the README screenshots (bench/screenshots.py) alike: one path
to each screen, so a picture in the README is the screen a test has checked.

Each `to_*` starts from the library after `settled` (or from the screen the step before
left) and ends when the screen has drawn everything that would otherwise make the picture
depend on timing.
"""

from __future__ import annotations

import time

from textual.widgets import Input

from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.discord import DiscordScreen
from plextui.ui.screens.help import HelpScreen
from plextui.ui.screens.search import SearchScreen
from plextui.ui.screens.sessions import SessionsScreen
from plextui.ui.screens.stats import StatsScreen
from plextui.ui.widgets.poster import Poster

TV = "Living Room TV"


async def until(pilot, predicate, timeout: float = 8.0) -> None:
    """Let the app run until `predicate()` holds; fail with its name when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - widgets may not be mounted yet
            pass
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {getattr(predicate, '__name__', predicate)}")


def no_blink(pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def freeze_sparkline(screen) -> None:
    """The live sparkline samples every 2 s of wall time: stop it, start it from zeros and
    take one sample, so the picture does not depend on how fast the run was."""
    screen.sampler.pause()
    screen.live.extend([0.0] * len(screen.live))
    screen._sample()


async def settled(pilot) -> None:
    """The library: first page, the detail pane and the highlighted row's poster loaded."""
    await until(pilot, lambda: pilot.app._main().items.total > 0)
    main = pilot.app._main()
    await until(pilot, lambda: main._details)
    poster = main.query_one(Poster)
    await until(pilot, lambda: poster.shown or not poster.display)
    await until(pilot, lambda: pilot.app.focused is main.items)  # the footer follows focus
    await pilot.pause(0.2)


async def to_episodes(pilot) -> None:
    """TV Shows › the first show › its first season, the first episode's details shown."""
    main = pilot.app._main()
    main.open_place("lib:2")
    await until(pilot, lambda: main.source.title == "TV Shows" and main.items.current)
    await pilot.press("enter")
    await until(pilot, lambda: len(main.stack) == 2 and main.items.current)
    await pilot.press("enter")
    await until(pilot, lambda: len(main.stack) == 3 and main.items.current)
    await until(pilot, lambda: main.items.current.rating_key in main._details)
    await pilot.pause(0.2)


async def to_player_picker(pilot) -> None:
    """Enter on the highlighted row: the player picker (after "start over" if it asks)."""
    await pilot.press("enter")
    first = await dialog_shown(pilot)
    if "Resume" in str(first.query_one("#choices")._options):
        await pilot.press("down", "enter")  # start over
        await dialog_shown(pilot, after=first)
    await pilot.pause(0.2)


async def dialog_shown(pilot, after: ChoiceDialog | None = None) -> ChoiceDialog:
    """Wait until a choice dialog (not `after`) is on top with its choices mounted: under
    load the screen is pushed a moment before its list exists."""

    def shown() -> bool:
        screen = pilot.app.screen
        return (
            isinstance(screen, ChoiceDialog)
            and screen is not after
            and screen.query_one("#choices").option_count > 0
        )

    await until(pilot, shown)
    return pilot.app.screen


async def pick_tv(pilot, emu) -> None:
    """On the player picker: the TV, playing, as the bar shows it."""
    await pilot.press("enter")  # Living Room TV, the first player
    await until(pilot, lambda: emu.player(TV).timeline()["state"] == "playing")
    await until(pilot, lambda: pilot.app.playback and pilot.app.playback.queue_id)


async def playing_on_tv(pilot, emu) -> None:
    """The highlighted row (from the episodes: the first episode) playing on the TV."""
    await to_player_picker(pilot)
    await pick_tv(pilot, emu)


async def pause_tv(pilot, emu) -> None:
    """Space: the TV pauses (so pictures hold still), the bar says so, no toasts left."""
    await pilot.press("space")
    await until(pilot, lambda: emu.player(TV).timeline()["state"] == "paused")
    await until(pilot, lambda: pilot.app.playback and pilot.app.playback.state == "paused")
    pilot.app.clear_notifications()


async def to_now_playing(pilot, emu) -> None:
    """Now Playing for the first episode on the TV, paused."""
    await to_episodes(pilot)
    await playing_on_tv(pilot, emu)
    await pause_tv(pilot, emu)
    await open_now_playing(pilot)


async def open_now_playing(pilot) -> None:
    """`i` while something plays: Now Playing with its queue and art drawn."""
    await pilot.press("i")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.query_one("#up-next").option_count > 1)
    poster = screen.query_one(Poster)
    await until(pilot, lambda: poster.shown or not screen.query_one("#np-art").display)


async def to_search(pilot, text: str = "bright") -> None:
    await pilot.press("slash", *text)
    await until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))
    results = pilot.app.screen.query_one("#results")
    await until(pilot, lambda: results.option_count > 1 and pilot.app.screen._found)
    no_blink(pilot)


async def to_sessions(pilot, rows: int) -> None:
    """The sessions screen once `rows` sessions are listed; its sparkline stops moving."""
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, SessionsScreen))
    table = pilot.app.screen.query_one("#sessions")
    await until(pilot, lambda: table.row_count == rows)
    freeze_sparkline(pilot.app.screen)


async def to_help(pilot) -> None:
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    no_blink(pilot)


async def to_stats(pilot) -> None:
    await pilot.press("S")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen))
    await pilot.pause(0.3)


async def to_discord(pilot, emu, *lines: str, state: str | None = None) -> None:
    """The Discord panel after typing `lines` in it, each answered; with `state`, once the
    TV is in it and the mirrored card says so."""
    app = pilot.app
    await pilot.press("D")
    await until(pilot, lambda: isinstance(app.screen, DiscordScreen))
    say = app.screen.query_one("#say", Input)
    before = len(app.companion.messages())
    for answered, line in enumerate(lines, 1):  # each answered before the next is typed
        say.value = line
        await pilot.press("enter")
        want = before + 2 * answered
        await until(pilot, lambda want=want: len(app.companion.messages()) >= want, 15)
    if state is not None:
        await until(pilot, lambda: emu.player(TV).timeline()["state"] == state, 15)
        shown = state.capitalize()
        await until(pilot, lambda: shown in str((app.mirror.preview["embed"] or {}).get("fields")))
        # the card in the channel and both mirror statuses caught up too (they lag under load)
        # the card in the channel and both mirror statuses caught up too (they lag under load)
        card = {"name": "Status", "value": shown, "inline": True}

        def card_posted() -> bool:
            embeds = [e for m in app.companion.messages() for e in m.get("embeds") or []]
            return any(card in e.get("fields", []) for e in embeds)

        await until(pilot, card_posted, 15)
        await until(pilot, lambda: app.mirror.status["presence"] == "connected")
        await until(pilot, lambda: app.mirror.status["webhooks"].endswith(": ok"))
    say.cursor_blink = False
    app.clear_notifications()
    await pilot.pause(1.0)
