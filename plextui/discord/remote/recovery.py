"""Exactly-once channel commands: the form a command is journalled in, and what a restart
does with one that was running when the relay died.

Before a channel command runs, the relay reads what the player shows and journals the
command in a form that can safely run twice (`plextui.discord.remote.journal`). After a crash, a
command journalled `started` but not answered is finished by that form, so nothing is lost
and nothing happens twice:

- run again as is (running twice ends where running once does): `pause`, `resume`, `stop`,
  `volume N`, `seek <time>`, `shuffle on|off`, `repeat off|one|all`, `quality`, `use`, and
  everything that only looks (`now`, `search`, `players`, `sessions`, `libraries`,
  `playlists`, `history`, `help`, `playlist` / `playlist show`);
- turned into an absolute form first, from the player's state just before it ran:
  `volume +N/-N` becomes `volume <level>`, `seek +30s/-1m` becomes `seek <position>`,
  `toggle` becomes `pause` or `resume`, `shuffle` / `repeat` without an argument become
  the setting they switch to. A restart sets that level, position or setting again (so a
  relative step is applied once, not twice; a seek re-run lands where it aimed);
- checked against the player: `next` / `prev` run again only if the player still shows the
  item it showed before; `play` only if the player is not already on that title;
- not run again: playlist edits (`playlist create|add|remove|move|rename|delete`), and a
  relative command whose player state could not be read. Their author is told the command
  may or may not have happened and was not repeated.

The answer follows the same rule: a unit journalled `ran` is not run again; its audit
lines are written unless the audit log already has them, and its reply is posted unless
the channel already shows it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from plextui.control.answers import Result
from plextui.control.controller import Controller
from plextui.control.transport import REPEAT_CYCLE
from plextui.core.commands import Command, VolumeChange
from plextui.core.timecode import SeekTarget
from plextui.errors import PlextuiError

PLAYLIST_EDITS = ("create", "add", "remove", "move", "rename", "delete")
DONE = {"next": "Skipped to the next item", "prev": "Went back to the previous item"}
INTERRUPTED = (
    "I was restarted while running this, so it may or may not have happened; I did not "
    "run it again. Check, and send it again if you still want it."
)


def _reads_state(command: Command) -> bool:
    verb = command.verb
    return (
        (verb == "volume" and command.volume is not None and command.volume.relative)
        or (verb == "seek" and command.seek is not None and command.seek.relative)
        or (verb in ("shuffle", "repeat") and command.mode is None)
        or verb in ("toggle", "next", "prev")
    )


async def idempotent_form(controller: Controller, command: Command) -> tuple[Command, dict]:
    """The command to journal and run, and what a restart checks (see the module doc)."""
    if not _reads_state(command):
        return command, {}
    try:
        player = await controller.find_player(None)
        state = await player.state()
    except PlextuiError:
        return command, {"unsafe": True}  # it runs as typed (and most likely fails the same)
    verb = command.verb
    if verb == "volume" and command.volume is not None:
        level = command.volume.apply(state.volume if state.volume is not None else 100)
        return dataclasses.replace(command, volume=VolumeChange(level)), {}
    if verb == "seek" and command.seek is not None:
        target = command.seek.resolve(state.position_ms, state.duration_ms)
        return dataclasses.replace(command, seek=SeekTarget(target)), {}
    if verb == "toggle":
        return Command("pause" if state.state == "playing" else "resume"), {}
    if verb == "shuffle":
        return dataclasses.replace(command, mode="off" if state.shuffle else "on"), {}
    if verb == "repeat":
        return dataclasses.replace(command, mode=REPEAT_CYCLE[state.repeat]), {}
    item = state.item.rating_key if state.item is not None else None
    return command, {"player": player.info.name, "item": item}


async def on_restart(controller: Controller, form: Command, check: dict[str, Any]) -> Result | None:
    """For a command journalled `started` but never answered: None to run `form` again, or
    the answer to give without running it."""
    if check.get("unsafe") or (form.verb == "playlist" and form.op in PLAYLIST_EDITS):
        return Result(False, form.verb, INTERRUPTED)
    try:
        if form.verb in DONE:
            player = await controller.find_player(check.get("player"))
            state = await player.state()
            now = state.item.rating_key if state.item is not None else None
            if now != check.get("item"):
                return Result(True, form.verb, f"{DONE[form.verb]} on {player.info.name}")
        elif form.verb == "play":
            player = await controller.find_player(form.player)
            state = await player.state()
            if state.state != "stopped" and state.item is not None:
                wanted = await controller.resolve(form.title or "")
                if wanted.rating_key == state.item.rating_key:
                    name = player.info.name
                    return Result(True, "play", f"Playing {wanted.display_title} on {name}")
    except PlextuiError:
        return None  # cannot tell: running it again gives its author a real answer
    return None
