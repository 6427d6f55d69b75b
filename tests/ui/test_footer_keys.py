"""The footer follows the keys the focused widget offers, and is rebuilt only when they
change: Textual signals on every focus change, and rebuilding every key on each signal
cost a tenth of a second of the first screen (plextui.ui.widgets.footer)."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from plextui.ui.widgets.footer import KeyFooter
from tests.ui.conftest import ready
from tests.ui.drive import until

SIZE = (120, 36)


def offered(screen) -> set[tuple[str, str]]:
    """(action, description) of every shown binding the focused widget's chain offers."""
    return {(b.action, b.description) for _, b, _, _ in screen.active_bindings.values() if b.show}


def keys(footer: KeyFooter) -> list[FooterKey]:
    """The footer's keys for the bindings (the palette's own key aside)."""
    return [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]


async def test_the_footer_is_rebuilt_only_when_the_keys_change(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        await until(pilot, lambda: app.focused is app._main().items)
        await pilot.pause(0.2)
        before = keys(footer)
        shown = {(k.action, k.description) for k in before}
        assert ("quit", "Quit") in shown and shown <= offered(screen)

        screen.bindings_updated_signal.publish(screen)  # what a focus change signals
        await pilot.pause(0.2)
        assert keys(footer) == before  # the same widgets: nothing rebuilt

        others = [w for w in screen.focus_chain if offered_by(screen, w) != offered(screen)]
        assert others, "no focusable widget offers other keys"
        others[0].focus()
        await until(pilot, lambda: keys(footer) and keys(footer) != before)  # rebuilt, mounted
        after = {(k.action, k.description) for k in keys(footer)}
        assert after <= offered(screen) and ("quit", "Quit") in after


async def test_a_burst_of_signals_rebuilds_the_footer_once(app):
    """Starting up, Textual signalled the bindings seven times before the footer's first
    rebuild ran, and each signal had queued its own rebuild (10-20 ms each, after the
    first rows were drawn): a burst is now one rebuild, of the keys as they are then."""
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        await pilot.pause(0.2)
        rebuilds = []
        real = footer.recompose

        async def counted():
            rebuilds.append(1)
            await real()

        footer.recompose = counted
        others = [w for w in screen.focus_chain if offered_by(screen, w) != offered(screen)]
        for _ in range(5):  # five signals (and the focus change's own) before a refresh
            screen.set_focus(others[0], scroll_visible=False)
            screen.bindings_updated_signal.publish(screen)
        await until(pilot, lambda: rebuilds)
        await pilot.pause(0.2)
        assert len(rebuilds) == 1
        shown = {(k.action, k.description) for k in keys(footer)}
        assert shown <= offered(screen) and ("quit", "Quit") in shown


def offered_by(screen, widget) -> set[tuple[str, str]]:
    focused = screen.focused
    screen.set_focus(widget, scroll_visible=False)
    try:
        return offered(screen)
    finally:
        screen.set_focus(focused, scroll_visible=False)
