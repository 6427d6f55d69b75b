"""Every binding of the app, each with an id so `[ui] keymap` can remap it.

The ids are also listed in config.schema.BINDING_IDS, which the config (below the UI)
checks a keymap against; tests/config/test_keymap.py keeps the two lists equal.

Lower-case letters are actions; Shift+letter jumps in lists, except the few bound here
(D, S, R), which the list leaves to their bindings.
"""

from __future__ import annotations

from textual.binding import Binding

PLAYBACK = [
    Binding("space", "toggle", "Play/Pause", id="toggle"),
    Binding("s", "stop", "Stop", show=False, id="stop"),
    Binding("left", "seek(-10)", "Back 10 s", show=False, id="seek_back"),
    Binding("right", "seek(10)", "Forward 10 s", show=False, id="seek_forward"),
    Binding("shift+left", "seek(-60)", "Back 1 min", show=False, id="seek_back_long"),
    Binding("shift+right", "seek(60)", "Forward 1 min", show=False, id="seek_forward_long"),
    Binding("n", "skip('next')", "Next item", show=False, id="next"),
    Binding("p", "skip('prev')", "Previous item", show=False, id="prev"),
    Binding("plus,equals_sign", "volume(5)", "Volume up", show=False, id="volume_up"),
    Binding("minus", "volume(-5)", "Volume down", show=False, id="volume_down"),
    Binding("z", "shuffle", "Shuffle on/off", show=False, id="shuffle"),
    Binding("R", "repeat", "Repeat off → all → one", show=False, id="repeat"),
]

GLOBAL = [
    Binding("slash", "search", "Search", id="search"),
    Binding("c", "pick_player", "Player", id="player"),
    Binding("t", "pick_quality", "Quality", id="quality"),
    Binding("number_sign", "pick_tracks", "Audio/subtitles", show=False, id="tracks"),  # as in mpv
    Binding("i", "now_playing", "Now playing", id="now_playing"),
    Binding("e", "sessions", "Sessions", id="sessions"),
    Binding("D", "discord", "Discord", id="discord"),
    Binding("S", "stats", "Stats", show=False, id="stats"),
    Binding("ctrl+o", "servers", "Servers", show=False, id="servers"),
    Binding("comma", "settings", "Settings", show=False, id="settings"),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
]

BROWSE = [
    Binding("escape,backspace", "back", "Back", show=False, id="back"),
    Binding("o", "sort", "Sort", id="sort"),
    Binding("f", "filter", "Filter", show=False, id="filter"),
    Binding("u", "unwatched", "Unwatched only", show=False, id="unwatched"),
    Binding("w", "watched", "Mark watched/unwatched", show=False, id="watched"),
    Binding("a", "add_to_playlist", "Add to playlist", show=False, id="playlist_add"),
    Binding("x", "remove_from_playlist", "Remove from playlist", show=False, id="playlist_remove"),
    Binding("left_square_bracket", "move(-1)", "Move up in playlist", show=False, id="playlist_up"),
    Binding(
        "right_square_bracket", "move(1)", "Move down in playlist", show=False, id="playlist_down"
    ),
    Binding("d", "delete_playlist", "Delete playlist", show=False, id="playlist_delete"),
    Binding("f2", "rename_playlist", "Rename playlist", show=False, id="playlist_rename"),
    Binding("m", "mark", "Mark for a bulk add", show=False, id="mark"),
    Binding("g", "grid", "Grid of posters/list", show=False, id="grid"),
    Binding("l", "views", "Views", id="views"),  # a library's collections, shelves, categories
    Binding("h", "up_level", "Go to season/show", show=False, id="up_level"),
    Binding("x", "remove_from_deck", "Remove from Continue Watching", show=False, id="deck_remove"),
    Binding("r", "refresh", "Refresh", show=False, id="refresh"),
    Binding("b", "places", "Places", id="places"),  # shown only where the sidebar gave way
    Binding("v", "details", "Details", id="details"),  # likewise the detail pane
]

SESSIONS = [
    Binding("escape", "app.pop_screen", "Back", id="sessions.back"),
    Binding("x", "terminate", "Terminate", id="terminate"),
    Binding("r", "refresh", "Refresh", id="sessions.refresh"),
]

# What help lists beyond bindings: things done by typing rather than by one key.
EXTRA_HELP = [
    ("Shift+letter", "Jump to the first title with that letter (in lists; not D, S, R)"),
    ("enter", "Open a library, show, season, album or playlist; play an item"),
    ("tab", "Move between the sidebar, the list and dialogs"),
    ("ctrl+p", "Command palette: play …, seek …, quality …, go to a library or an item"),
    ("ctrl+c", "Copy the selected text; with none, close a dialog (q quits)"),
]
