"""The Settings screen: every schema key with its value, checked edits saved atomically,
secrets never shown, and libraries hidden or reordered in the sidebar, now and after a
restart."""

from __future__ import annotations

import dataclasses

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from plextui import config
from plextui.ui.app import make_app
from plextui.ui.screens.settings import SettingsScreen
from tests.ui.conftest import SIZE, main_screen, ready, wait_for


def sidebar_titles(app) -> list[str]:
    sidebar = main_screen(app).query_one("#sidebar", OptionList)
    options = [sidebar.get_option_at_index(i) for i in range(sidebar.option_count)]
    return [str(o.prompt)[2:] for o in options if o.id and o.id.startswith("lib:")]


def rows(screen) -> dict[str, str]:
    listing = screen.query_one("#settings-list", OptionList)
    options = [listing.get_option_at_index(i) for i in range(listing.option_count)]
    return {o.id: str(o.prompt) for o in options if o.id}


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("comma")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    return pilot.app.screen


async def choose(pilot, screen, option_id: str) -> None:
    listing = screen.query_one("#settings-list", OptionList)
    listing.highlighted = listing.get_option_index(option_id)
    await pilot.press("enter")


async def test_hide_a_library_and_it_stays_hidden_after_a_restart(settings):
    app = make_app(settings, watch_events=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert sidebar_titles(app) == ["Movies", "TV Shows", "Music"]
        screen = await open_settings(pilot)
        assert "✓ shown" in rows(screen)["lib:Music"]
        await choose(pilot, screen, "lib:Music")
        await wait_for(pilot, lambda: sidebar_titles(app) == ["Movies", "TV Shows"])
        assert "✗ hidden" in rows(screen)["lib:Music"]
        await choose(pilot, screen, "lib:TV Shows")
        await pilot.press("left_square_bracket")  # TV Shows above Movies
        await wait_for(pilot, lambda: sidebar_titles(app) == ["Movies"])
        listing = screen.query_one("#settings-list", OptionList)
        listing.highlighted = listing.get_option_index("lib:TV Shows")
        await pilot.press("enter")  # shown again
        await wait_for(pilot, lambda: sidebar_titles(app) == ["TV Shows", "Movies"])
    saved = config.load()
    assert saved.ui.hidden_libraries == ["Music"]
    assert saved.ui.library_order == ["TV Shows", "Movies", "Music"]

    again = make_app(dataclasses.replace(settings, ui=saved.ui), watch_events=False)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert sidebar_titles(again) == ["TV Shows", "Movies"]
        assert main_screen(again).source.title == "TV Shows"  # the first one shown opens


async def test_every_key_listed_and_a_bad_value_is_not_saved(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_settings(pilot)
        listed = rows(screen)
        assert {f"key:{name}" for name in config.KEYS} <= set(listed)
        assert "100" in listed["key:ui.page_size"]
        await choose(pilot, screen, "key:ui.page_size")
        field = screen.query_one("#settings-edit", Input)
        await wait_for(pilot, lambda: field.has_focus and field.value == "100")
        field.value = "0"
        await pilot.press("enter")
        error = screen.query_one("#settings-error")
        await wait_for(pilot, lambda: "at least 1" in str(error.render()))
        assert not config.config_path().exists()  # nothing saved
        assert app.settings.ui.page_size == 100
        field.value = "25"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not field.display)
        assert config.load().ui.page_size == 25
        assert main_screen(app).items.page_size == 25
        assert "25" in rows(screen)["key:ui.page_size"]

        await choose(pilot, screen, "key:ui.theme")
        await wait_for(pilot, lambda: field.has_focus)
        field.value = "nord"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "nord")
        assert config.load().ui.theme == "nord"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main_screen(app))


async def test_secrets_are_never_shown(app, settings):
    token = settings.plex.token
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_settings(pilot)
        listed = rows(screen)
        assert "•••• set" in listed["key:plex.token"]
        assert all(token not in text for text in listed.values())
        await choose(pilot, screen, "key:plex.token")
        field = screen.query_one("#settings-edit", Input)
        await wait_for(pilot, lambda: field.has_focus)
        assert field.value == "" and field.password
        about = str(screen.query_one("#settings-about").render())
        assert token not in about and "X-Plex-Token" in about
        await pilot.press("escape")  # closes the field, nothing saved
        await wait_for(pilot, lambda: not field.display)
        assert not config.config_path().exists()


async def test_settings_from_the_command_palette(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        await pilot.press(*"settings")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))


async def test_enter_alone_keeps_a_secret_and_a_dash_clears_it(app, settings):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_settings(pilot)
        await choose(pilot, screen, "key:plex.token")
        field = screen.query_one("#settings-edit", Input)
        await wait_for(pilot, lambda: field.has_focus)
        assert "- clears it" in field.placeholder
        await pilot.press("enter")  # nothing typed: the token stays
        await wait_for(pilot, lambda: not field.display)
        assert "unchanged" in str(screen.query_one("#settings-error").render())
        assert not config.config_path().exists()
        assert "•••• set" in rows(screen)["key:plex.token"]

        await choose(pilot, screen, "key:plex.token")
        await wait_for(pilot, lambda: field.has_focus)
        await pilot.press("minus", "enter")  # the explicit word: cleared
        await wait_for(pilot, lambda: not field.display)
        assert config.load().plex.token == ""
        assert "not set" in rows(screen)["key:plex.token"]


async def test_playback_and_quality_keys_say_they_apply_from_the_next_start(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_settings(pilot)
        field = screen.query_one("#settings-edit", Input)
        for name, value in (("playback.audio_language", "fr"), ("quality.max_bitrate", "8000")):
            await choose(pilot, screen, f"key:{name}")
            await wait_for(pilot, lambda: field.has_focus)
            field.value = value
            await pilot.press("enter")
            await wait_for(pilot, lambda: not field.display)
            note = str(screen.query_one("#settings-error").render())
            assert f"Saved {name} (used from the next start)" in note
