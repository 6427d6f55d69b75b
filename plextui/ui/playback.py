"""Playback on the app: keys become Commands for the Controller; the bus feeds the bar.

The two doors: every key that changes something goes through `Controller.execute` (or
`play_item` with the row's item and the found player), so the TUI behaves exactly like
`ctl` and Discord; what the bar shows comes from the bus. The TUI does not poll players:
it runs the runtime's PlayerWatcher (the one reader of player timelines, shared with
Discord and the Controller) and shows what it publishes for the player it follows. That
same read is what a key acts on (control/transport.py), so space pauses with one request
to the player, and the command wakes the watcher, so the bar reflects the key at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from plextui.control.runtime import limits as runtime_limits
from plextui.core.commands import Command, VolumeChange
from plextui.core.models import MediaItem, PlaybackState, PlayerInfo, SessionInfo
from plextui.core.quality import AUTO, PROFILES, available_profiles, quality_name
from plextui.core.text import human_bitrate
from plextui.core.timecode import SeekTarget, format_clock
from plextui.errors import PlextuiError
from plextui.plex.events import Event, PlayerStateChanged, PlayerUnreachable
from plextui.ui.screens.dialogs import ChoiceDialog
from plextui.ui.screens.tracks import track_command, tracks_dialog, versions_dialog
from plextui.ui.widgets.nowbar import DECISIONS

if TYPE_CHECKING:
    from plextui.control.runtime import Runtime


def player_label(info: PlayerInfo, media_type: str | None = None) -> str:
    """`This computer (mpv)` for the local player, `Living Room TV  (Plex for Roku)` else;
    `· cannot play video` when it cannot play the media type about to be played."""
    if info.local:
        label = f"{info.name} (mpv)"
    else:
        label = f"{info.name}  ({info.product})" if info.product else info.name
    return label if info.plays(media_type) else f"{label}  · cannot play {media_type}"


def session_note(session: SessionInfo | None) -> str:
    """`Transcode 4 Mbps 1.2x`: what the server decided for the stream."""
    if session is None:
        return ""
    parts = [DECISIONS.get(session.decision, session.decision)]
    if session.bandwidth_kbps:
        parts.append(human_bitrate(session.bandwidth_kbps))
    if session.transcode_speed:
        parts.append(f"{session.transcode_speed:.1f}x")
    return " ".join(parts)


def quality_choice(label: str | None) -> str | None:
    """The rung a player's quality label stands for (`Auto · 720p 4 Mbps` is auto)."""
    if not label:
        return None
    if label.startswith(f"{AUTO.label} ·"):
        return AUTO.name
    return next((name for name, p in PROFILES.items() if p.label == label), None)


class PlaybackActions(App[int]):
    """The playback half of PlexApp, which provides `rt`, `sessions` and `show_playback`."""

    rt: Runtime | None
    sessions: dict[str, SessionInfo]
    poll_interval: float
    playback: PlaybackState | None

    show_playback: Callable[[PlaybackState | None, str], None]
    _following = ""  # the player the bar shows
    _shown: tuple[PlaybackState | None, str, str, float] | None = None  # last_playback's

    def remember_shown(self, state: PlaybackState | None, player: str, extra: str) -> None:
        """Keep what the bars were just given, for a bar mounted later."""
        self._shown = (state, player, extra, time.monotonic())

    def last_playback(self) -> tuple[PlaybackState | None, str, str, float]:
        """What a newly mounted bar starts from: the last state shown (and when it was
        read), else nothing playing on the player that will be followed (the default one,
        which is known before the server answers, so offline the bar names it)."""
        if self._shown is not None:
            return self._shown
        return None, self.followed() if self.rt is not None else "", "", time.monotonic()

    def _poke(self) -> None:
        """After a command: read the players now, and follow the player it went to."""
        if self.rt is None:
            return
        self.rt.player_watcher.wake()
        name = self.followed()
        if name != self._following:
            self._following = name
            self.show_playback(self.rt.player_watcher.latest(name, float("inf")), name)

    @work(group="command")
    async def run_command(self, command: Command, quiet: bool = False) -> None:
        if self.rt is None:
            return
        result = await self.rt.controller.execute(command)
        if not result.ok:
            self.notify(result.message, title=command.verb.capitalize(), severity="warning")
        elif not quiet:
            self.notify(result.message, timeout=3)
        self._poke()

    def action_toggle(self) -> None:
        self.run_command(Command("toggle"), quiet=True)

    def action_stop(self) -> None:
        self.run_command(Command("stop"), quiet=True)

    def action_seek(self, seconds: int) -> None:
        self.run_command(Command("seek", seek=SeekTarget(seconds * 1000, relative=True)), True)

    def action_skip(self, verb: str) -> None:
        self.run_command(Command(verb), quiet=True)

    def action_volume(self, delta: int) -> None:
        self.run_command(Command("volume", volume=VolumeChange(delta, relative=True)), True)

    def action_shuffle(self) -> None:
        self.run_command(Command("shuffle"))

    def action_repeat(self) -> None:
        self.run_command(Command("repeat"))

    # --- players and quality -----------------------------------------------------------

    async def choose_player(self, item: MediaItem | None = None) -> str | None:
        """Ask which player to use (marking those that cannot play `item`); the answer is
        remembered through `use`. The list opens at once with the players already known;
        the full search (GDM waits up to a second, plex.tv) adds what it finds while it is
        open. Waiting for it first left the screen unchanged for almost two seconds, and
        keys typed meanwhile went to the list below."""
        assert self.rt is not None
        controller = self.rt.controller
        kind = item.media_type if item is not None else None

        def choices(players: list) -> list[tuple[str, str]]:
            return [(p.info.name, player_label(p.info, kind)) for p in players]

        searched = False  # the full search already made the list
        try:
            players = controller.known_players() or await controller.players()
            if not players:  # none known, none quick (server, remembered, by address)
                players, searched = await controller.players(refresh=True), True
        except PlextuiError as error:
            self.notify(str(error), title="Players", severity="error")
            return None
        if not players:
            self.notify("No players found on the server", severity="warning")
            return None
        current = controller.active.info.name if controller.active else controller.default_player
        note = "Where play sends media; remembered."
        shown = note if searched else f"{note} Looking for more…"
        dialog = ChoiceDialog("Play on", choices(players), shown, current)
        if not searched:

            async def search() -> None:
                try:
                    more = await controller.players(refresh=True)
                except PlextuiError as error:
                    self.notify(str(error), title="Players", severity="warning")
                    more = []
                dialog.add_choices(choices(more), note)

            self.run_worker(search(), group="player-search", exclusive=True)
        name = await self.push_screen_wait(dialog)
        if name:
            result = await controller.execute(Command("use", player=name))
            self.notify(result.message, severity="information" if result.ok else "error")
            self._poke()
        return name

    @work(group="player", exclusive=True)
    async def action_pick_player(self) -> None:
        await self.choose_player()

    @work(group="command")
    async def play(self, item: MediaItem) -> None:
        assert self.rt is not None
        controller = self.rt.controller
        media_index = await self.choose_version(item)
        if media_index is None:
            return
        name = controller.active.info.name if controller.active else controller.default_player
        if not name:
            name = await self.choose_player(item)
            if not name:
                return
        resume = False
        if item.view_offset_ms > 0 and not item.watched:
            where = format_clock(item.view_offset_ms)
            choices = [("resume", f"Resume from {where}"), ("start", "Start over")]
            answer = await self.push_screen_wait(
                ChoiceDialog(item.display_title, choices, "You stopped part way.", "resume")
            )
            if answer is None:
                return
            resume = answer == "resume"
        self.notify(f"Starting {item.display_title} on {name}…", timeout=2)
        try:
            player = await controller.find_player(name)
        except PlextuiError as error:
            self.notify(str(error), severity="error")
        else:
            result = await controller.play_item(
                item, player, resume=resume, media_index=media_index
            )
            self.notify(result.message, severity="information" if result.ok else "error")
        self._poke()

    async def choose_version(self, item: MediaItem) -> int | None:
        """Which file of a film with several to play (0 for one file); None: cancelled.

        A list row may carry no files, so a film is looked at once more (cached)."""
        assert self.rt is not None
        if item.kind != "movie":
            return 0
        if len(item.media) < 2:
            try:
                item = await self.rt.service.item(item.rating_key)
            except PlextuiError:
                return 0  # play says what is wrong with it
        if len(item.media) < 2:
            return 0
        answer = await self.push_screen_wait(versions_dialog(item))
        return None if answer is None else int(answer)

    @work(group="tracks", exclusive=True)
    async def action_pick_tracks(self) -> None:
        """Audio and subtitle tracks of what plays, as one list; a pick is a command."""
        assert self.rt is not None
        try:
            player, title, tracks = await self.rt.controller.playing_tracks()
        except PlextuiError as error:
            self.notify(str(error), title="Tracks", severity="warning")
            return
        if not tracks.audio and not tracks.subtitles:
            self.notify(f"{title} has no tracks to choose from", title="Tracks")
            return
        key = await self.push_screen_wait(tracks_dialog(player, title, tracks))
        if key:
            self.run_command(track_command(key))

    def active_session(self) -> SessionInfo | None:
        if self.rt is None or self.rt.controller.active is None:
            return None
        name = self.rt.controller.active.session_name
        return next((s for s in self.sessions.values() if s.player == name), None)

    @work(group="quality", exclusive=True)
    async def action_pick_quality(self) -> None:
        assert self.rt is not None
        offered = available_profiles(runtime_limits(self.rt.settings))
        current = await self.local_quality()
        state = self.playback
        note = "Quality applies to playback on this computer."
        if state is not None and state.item is not None:
            decided = session_note(self.active_session()) or "not reported yet"
            note = f"{state.player}: the server decides ({decided}). " + note
        choice = await self.push_screen_wait(
            ChoiceDialog("Stream quality", [(p.name, p.label) for p in offered], note, current)
        )
        if choice:
            self.run_command(Command("quality", quality=choice))

    async def local_quality(self) -> str | None:
        """The rung this computer's streams are held to (quality only applies there): the
        local player's choice once it exists, else the configured default."""
        assert self.rt is not None
        local = next((p for p in self.rt.controller.known_players() if p.info.local), None)
        label = (await local.state()).quality if local is not None else None
        return quality_choice(label) or quality_name(self.rt.settings.quality.default)

    # --- the player watcher ------------------------------------------------------------

    def followed(self) -> str:
        """The player the bar shows: the active one, else the default."""
        assert self.rt is not None
        controller = self.rt.controller
        return controller.active.info.name if controller.active else controller.default_player

    def follow_players(self) -> None:
        """Show what the watcher publishes, and run it at the app's pace."""
        assert self.rt is not None
        watcher = self.rt.player_watcher
        watcher.interval = self.poll_interval
        self.rt.bus.subscribe(self._player_event)
        self._following = self.followed()
        self.show_playback(None, self._following)
        self.run_worker(watcher.run(), group="players", exclusive=True)

    def _player_event(self, event: Event) -> None:
        """The followed player's news; its outage is said once (the watcher says it once)."""
        if not isinstance(event, PlayerStateChanged | PlayerUnreachable):
            return
        name = self.followed()
        if event.player != name:
            return
        self._following = name
        if isinstance(event, PlayerUnreachable):
            self.notify(event.message, title="Player", severity="warning")
            self.show_playback(None, name)
        else:
            self.show_playback(event.state, name)
