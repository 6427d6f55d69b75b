"""`ctl`'s quick answers: search, sessions, now, pause and resume without the Controller.

A user times `plextui ctl pause` from Enter to the prompt, beside the five-line plexapi
script they could have written. The Controller's route (plexapi, requests, asyncio, the
player discovery) costs more to import than the command costs to run, so these verbs are
answered here over plex/direct.py: the same words and data (control/answers.py), the
fewest requests that settle the common case:

- search: one `/hubs/search`; sessions: one `/status/sessions`;
- now: `/status/sessions`, when exactly one stream plays (the card from its session);
- pause, resume: `/status/sessions`, when exactly one stream plays and no player is named,
  the player's address (the players found before, else the server's `/clients`), its own
  timeline (the truth about paused or playing), then the command: "Already paused" sends
  nothing, as the Controller's rule says.

Every other case needs the Controller's whole rule (a player named, several streaming,
nothing in the server's sessions while a player that does not report to it may play,
this computer, a player that cannot be reached directly): `answer` returns None and ctl
runs the Controller. None is returned only before anything was sent to a player.
"""

from __future__ import annotations

from collections.abc import Callable

from plextui.config import Settings, paths
from plextui.config.identity import client_id
from plextui.control import answers
from plextui.control.answers import Result
from plextui.core.commands import Command
from plextui.core.models import SessionInfo
from plextui.errors import PlextuiError
from plextui.plex import remembered
from plextui.plex.direct import DirectPlayer, DirectServer, NotSent

LOCAL_PRODUCT = "plextui"  # this computer playing in another plextui process: its mpv


def answer(settings: Settings, command: Command, player: str | None) -> Result | None:
    """The Result ctl prints, or None when the Controller must answer."""
    verb = VERBS.get(command.verb)
    if verb is None or (player and command.verb not in ("search", "sessions")):
        return None
    plex = settings.plex
    server = DirectServer(
        plex.url,
        plex.token,
        client_id=client_id(settings),
        timeout=plex.timeout,
        deadline=plex.deadline,
        max_bytes=plex.max_answer_mb * 2**20,
    )
    try:
        return verb(server, command)
    except PlextuiError as error:
        return answers.refused(command.verb, error)
    except Exception as error:  # noqa: BLE001 - a bug must answer, not print a traceback
        import logging  # only for a bug: logging costs a quick answer's import time

        logging.getLogger(__name__).exception("%s failed", command.verb)
        return answers.internal(command.verb, error)
    finally:
        server.close()


def _search(server: DirectServer, command: Command) -> Result:
    return answers.search_result(server.search(command.query or "", limit=10))


def _sessions(server: DirectServer, command: Command) -> Result:
    return answers.sessions_result([session for session, _ in server.sessions()])


def _streaming(server: DirectServer) -> tuple[SessionInfo, str] | None:
    """The one stream playing or paused on the server, with its player's id; else None."""
    busy = [(s, player) for s, player in server.sessions() if s.state != "stopped"]
    return busy[0] if len(busy) == 1 else None


def _now(server: DirectServer, command: Command) -> Result | None:
    streaming = _streaming(server)
    if streaming is None:
        return None
    session = streaming[0]
    return answers.now_result(answers.now_playing(session.playback(), session.user))


def _transport(server: DirectServer, command: Command) -> Result | None:
    """pause or resume on the one player streaming, when it is reached at its address."""
    streaming = _streaming(server)
    if streaming is None or streaming[0].product == LOCAL_PRODUCT or not streaming[1]:
        return None
    session, machine_id = streaming
    url = _remembered(machine_id) or server.player_url(machine_id)
    if url is None:
        return None
    player = DirectPlayer(server, url, machine_id, session.player)
    try:
        return _act(player, command.verb)
    except NotSent:
        return None  # the Controller tries the server's proxy and says which side failed
    finally:
        player.close()


def _act(player: DirectPlayer, verb: str) -> Result | None:
    timeline = _playing_timeline(player.send("timeline/poll", "a timeline poll", wait=0))
    if timeline is None:
        return None  # the server's session and the player disagree: the full rule decides
    controls = timeline.get("controllable")
    if controls is not None and "playPause" not in controls.split(","):
        return None  # the Controller says the player does not support it
    paused = timeline.get("state") == "paused"
    if paused == (verb == "pause"):
        return answers.unchanged_result(verb, verb, player.name)
    player.send(f"playback/{verb if verb == 'pause' else 'play'}", verb, type=timeline["type"])
    return answers.sent_result(verb, verb, player.name)


def _playing_timeline(data) -> dict[str, str] | None:  # noqa: ANN001 - an XML element or None
    """The attributes of the first timeline not stopped (video, music or photo)."""
    for timeline in data if data is not None else []:
        if timeline.attrib.get("state", "stopped") != "stopped" and timeline.get("type"):
            return dict(timeline.attrib)
    return None


def _remembered(machine_id: str) -> str | None:
    """The address discovery last found this player at (GDM, plex.tv), if any."""
    known = remembered.recall(paths.known_players_path()).get(machine_id, {})
    return known.get("url") or None


VERBS: dict[str, Callable[[DirectServer, Command], Result | None]] = {
    "search": _search,
    "sessions": _sessions,
    "now": _now,
    "pause": _transport,
    "resume": _transport,
}
