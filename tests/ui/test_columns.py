"""What the list's columns say and where they stand: counts for containers, lengths never cut,
no year twice, cells measured in terminal cells (emoji), and `1 item`."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from plextui.core.models import MediaItem
from plextui.ui.sources import PlaylistItemsSource, PlaylistsSource, length
from plextui.ui.widgets.cells import fit
from tests.ui.conftest import SIZE, main_screen, ready, wait_for


def line(items, index: int) -> str:
    """Row `index` as drawn (it must be on screen)."""
    return items.render_line(index - items.scroll_offset.y).text


def column_of(text: str, needle: str) -> int:
    """The terminal cell where `needle` starts."""
    return cell_len(text[: text.index(needle)])


async def open_place(pilot, main, place: str, title: str) -> None:
    main.open_place(place)
    await wait_for(pilot, lambda: main.source.title == title and main.items.current is not None)
    await pilot.pause(0.1)


def test_containers_count_what_they_hold_instead_of_a_zero_length():
    show = MediaItem("1", "show", "Show", leaf_count=8)
    album = MediaItem("2", "album", "Album", leaf_count=12)
    single = MediaItem("3", "season", "Season 1", leaf_count=1)
    assert [length(show), length(album), length(single)] == ["8 eps", "12 tracks", "1 ep"]
    assert length(MediaItem("4", "artist", "Nobody")) == ""
    assert length(MediaItem("5", "movie", "M", duration_ms=90_500_000)) == "25:08:20"


def test_fit_measures_cells_not_characters():
    assert cell_len(fit("Movie 🎬 night", 10)) == 10
    assert fit("🎬🎬🎬", 4) == "🎬… "
    assert fit("ok", 4) == "ok  "


async def test_shows_and_artists_show_counts_not_zero_lengths(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await open_place(pilot, main, "lib:2", "TV Shows")
        show = main.items.current
        row = line(main.items, 0)
        assert f"{show.leaf_count} eps" in row and "0:00" not in row
        await open_place(pilot, main, "lib:3", "Music")
        row = line(main.items, 0)
        assert f"{main.items.current.leaf_count} tracks" in row and "0:00" not in row


async def test_long_lengths_widen_their_column(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await open_place(pilot, main, "playlists", "Playlists")
        assert isinstance(main.source, PlaylistsSource)
        rows = [line(main.items, i) for i in range(main.items.total)]
        lengths = [main.source.cells(main.items.row(i))[3] for i in range(main.items.total)]
        assert any(len(x) > 7 for x in lengths)  # a playlist longer than a day of hours
        assert all(x in row for x, row in zip(lengths, rows, strict=True))
        head = main.query_one("#listhead", Static).render()
        assert column_of(str(head), "Length") == column_of(rows[0], lengths[0])


async def test_playlist_items_show_the_year_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await open_place(pilot, main, "playlists", "Playlists")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(main.source, PlaylistItemsSource))
        await wait_for(pilot, lambda: main.items.current is not None)
        movie = main.items.current
        assert movie.kind == "movie" and movie.year
        assert line(main.items, 0).count(str(movie.year)) == 1


async def test_an_emoji_in_a_title_does_not_shift_the_columns(emu, app):
    first = emu.library.get(emu.find("Archive of Havana"))
    first.title = "Archive of Havana 🎬🍿"  # two wide characters; the sort title is unchanged
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        items = main_screen(app).items
        assert "🎬" in items.row(0).title
        head = str(main_screen(app).query_one("#listhead", Static).render())
        year = column_of(head, "Year")
        for index in range(3):
            row = items.row(index)
            assert column_of(line(items, index), str(row.year)) == year


async def test_one_item_is_not_items(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = main_screen(app)
        await open_place(pilot, main, "lib:2", "TV Shows")
        assert main.items.current.leaf_count and main.items.current.title == "Brave Station"
        await pilot.press("enter")  # a show with a single season
        await wait_for(pilot, lambda: len(main.stack) == 2 and main.items.total == 1)
        await pilot.pause(0.1)
        crumbs = str(main.query_one("#crumbs", Static).render())
        assert "1 item" in crumbs and "1 items" not in crumbs
