"""The audio/subtitle picker and the version picker: one ChoiceDialog each.

The tracks dialog lists the audio tracks, then the subtitles and "Subtitles off", marking
what plays (● for both kinds); picking one becomes the same `audio N` / `subtitles N|off` command ctl and
Discord send, so the Controller switches the player and keeps the choice on the server.
The version dialog asks which file of a film plays (4K HEVC, 1080p H264, an edition).
"""

from __future__ import annotations

from plextui.control.tracks import version_choices
from plextui.core.commands import Command
from plextui.core.models import MediaItem
from plextui.core.tracks import Tracks, track_label
from plextui.ui.screens.dialogs import ChoiceDialog

OFF = "subtitles:off"


def tracks_dialog(player: str, title: str, tracks: Tracks) -> ChoiceDialog:
    """Keys `audio:N` and `subtitles:N` (N counts from 1, as the commands do) and OFF."""
    shown = tracks.selected_subtitle
    choices = [
        (f"audio:{n}", f"Audio      {track_label(s)}") for n, s in enumerate(tracks.audio, 1)
    ]
    choices += [
        (f"subtitles:{n}", f"Subtitles  {track_label(s)}")
        for n, s in enumerate(tracks.subtitles, 1)
    ]
    choices.append((OFF, "Subtitles  off"))
    playing = tracks.selected_audio
    current = next((f"audio:{n}" for n, s in enumerate(tracks.audio, 1) if s == playing), None)
    subtitle = next(
        (f"subtitles:{n}" for n, s in enumerate(tracks.subtitles, 1) if s == shown), OFF
    )
    note = f"{title} on {player}. The choice is kept for this item on the server."
    return ChoiceDialog("Audio and subtitles", choices, note, current, marked=(subtitle,))


def track_command(key: str) -> Command:
    """The command a picked key stands for."""
    verb, _, which = key.partition(":")
    return Command(verb, track=which)


def versions_dialog(item: MediaItem) -> ChoiceDialog:
    """Keys are the version's place in the item's list (0 is the first)."""
    choices = [
        (str(n), f"{label}  · {detail}" if detail else label)
        for n, (label, detail) in enumerate(version_choices(item))
    ]
    return ChoiceDialog(item.display_title, choices, "This film has several versions.", "0")
