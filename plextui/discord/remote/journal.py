"""The channel relay's memory on disk: where it is in the channel, and the command in flight.

One small JSON file per channel under the user state dir holds the cursor (the last message
fully handled) and the journal (the unit of messages being handled, at most one at a time).
Every write goes to a temp file, is fsynced and then `os.replace`d over the old one (mode
0600, `config.atomic`), so a `kill -9` leaves the old state or the new one, never half of
either; and since cursor and journal share the file, they can never disagree.

A unit is written `started` before its command runs and `ran` (with the answer to post and
where the audit log ended) after; it leaves the journal, and the cursor moves past its
messages, in the same write once the answer is posted. What a restart does with a unit
still in the journal is `plextui.discord.remote.recovery`'s business.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from plextui.config.atomic import write_atomic

log = logging.getLogger(__name__)

STARTED, RAN = "started", "ran"


@dataclass
class Unit:
    """Messages answered by one command run (several when rapid seeks or volume steps from
    one person were merged), or by one refusal (`form` None: nothing runs)."""

    ids: list[str]  # channel message ids, oldest first
    user: dict[str, Any]  # the caller: id, name, roles
    texts: list[str]  # what each message said, for the audit log
    form: str | None  # the command as it is (re)run: its idempotent form where it has one
    stage: str = STARTED
    check: dict[str, Any] = field(default_factory=dict)  # what the player showed before
    audit_at: int = 0  # the audit log's size before this unit's lines
    audits: list[dict[str, Any]] = field(default_factory=list)  # one record per message
    replies: list[dict[str, Any]] = field(default_factory=list)  # {"to": id, "body": {...}}

    @property
    def last(self) -> str:
        return self.ids[-1]

    @classmethod
    def from_plain(cls, data: Any) -> Unit | None:
        """A unit read back from disk; None when the entry is not one (never trusted blindly)."""
        if not isinstance(data, dict):
            return None
        try:
            unit = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except TypeError:
            return None
        ids_ok = bool(unit.ids) and all(isinstance(i, str) and i.isdigit() for i in unit.ids)
        if not ids_ok or unit.stage not in (STARTED, RAN) or not isinstance(unit.user, dict):
            return None
        return unit


class ChannelState:
    """The cursor and the journal of one channel, kept in memory exactly as on disk."""

    def __init__(self, path: Path, channel_id: str) -> None:
        self.path = path
        self.channel_id = channel_id
        self.last_id: str | None = None
        self.pending: list[Unit] = []
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("channel_id") != self.channel_id:
            return
        last = data.get("last_id")
        if isinstance(last, str) and last.isdigit():
            self.last_id = last
        units = [Unit.from_plain(u) for u in data.get("journal") or []]
        self.pending = [u for u in units if u is not None]
        if len(self.pending) != len(units):
            log.warning("the relay journal %s had entries it could not read; dropped", self.path)

    def move_to(self, last_id: str) -> None:
        """Advance the cursor (never backwards) and save."""
        if self.last_id is None or int(last_id) > int(self.last_id):
            self.last_id = last_id
        self.save()

    def begin(self, unit: Unit) -> None:
        self.pending.append(unit)
        self.save()

    def finish(self, unit: Unit) -> None:
        """The unit is answered: out of the journal, and the cursor past it, in one write."""
        self.pending = [u for u in self.pending if u is not unit]
        self.move_to(unit.last)

    def save(self) -> None:
        data = {
            "channel_id": self.channel_id,
            "last_id": self.last_id,
            "journal": [asdict(u) for u in self.pending],
        }
        write_atomic(self.path, json.dumps(data))  # ASCII-escaped: lone surrogates round-trip


def load_cursor(path: Path, channel_id: str) -> str | None:
    """The last message fully handled, as saved (None without a usable state file)."""
    return ChannelState(path, channel_id).last_id
