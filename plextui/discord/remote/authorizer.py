"""Who may do what from Discord, and how often: the first two steps of the gate.

Remote commands come from people the owner does not sit next to, so everything is
refused unless an allowlist says otherwise: user ids and role ids per action class
(admin ⊃ control ⊃ view, classes from core.commands.ACTION_CLASS). Allowed users are
rate limited per user (autocomplete lookups on their own, looser limit). A refusal
repeated within a minute is `quiet`: the channel does not answer a flood.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from plextui.config import RemoteSettings
from plextui.core.commands import Action, Command
from plextui.core.ratelimit import RateLimiter

RANK = {Action.VIEW: 1, Action.CONTROL: 2, Action.ADMIN: 3}
WHAT = {Action.VIEW: "look at", Action.CONTROL: "control", Action.ADMIN: "administer"}
BURST = 5  # commands a user may send at once before the per-minute rate applies
QUIET_FOR = 60.0  # seconds a repeated refusal stays unanswered in the channel
LOOKUPS_PER_MINUTE, LOOKUP_BURST = 60, 10  # autocomplete: a search per keystroke at most


@dataclass(frozen=True)
class Caller:
    """A Discord user as an interaction or a channel message names them."""

    id: str
    name: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Why a command was not run; `quiet` when the user was already told recently."""

    message: str
    quiet: bool = False


class Authorizer:
    """Allowlists per action class plus a per-user token bucket."""

    def __init__(
        self, remote: RemoteSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.users = {
            Action.VIEW: set(remote.view_users),
            Action.CONTROL: set(remote.control_users),
            Action.ADMIN: set(remote.admin_users),
        }
        self.roles = {
            Action.VIEW: set(remote.view_roles),
            Action.CONTROL: set(remote.control_roles),
            Action.ADMIN: set(remote.admin_roles),
        }
        per_minute = remote.rate_per_minute
        self.limiter = RateLimiter(per_minute / 60.0, min(per_minute, BURST))
        self.lookups = RateLimiter(LOOKUPS_PER_MINUTE / 60.0, LOOKUP_BURST)
        self.clock = clock
        self._told: dict[tuple[str, str], float] = {}

    @property
    def uses_roles(self) -> bool:
        return any(self.roles.values())

    def level(self, caller: Caller) -> Action | None:
        """The highest class the caller's id or any of their roles is listed under."""
        for action in (Action.ADMIN, Action.CONTROL, Action.VIEW):
            if caller.id in self.users[action] or self.roles[action] & set(caller.roles):
                return action
        return None

    def may(self, caller: Caller, action: Action) -> bool:
        level = self.level(caller)
        return level is not None and RANK[level] >= RANK[action]

    def may_look_up(self, caller: Caller) -> bool:
        """Autocomplete for a viewer, within their own lookup budget: each keystroke would
        otherwise be a library search, so a held-down key cannot flood the server."""
        return self.may(caller, Action.VIEW) and self.lookups.allow(caller.id, self.clock())

    def check(self, caller: Caller, command: Command) -> Refusal | None:
        """None when the command may run now (and it counts toward the rate limit)."""
        if not self.may(caller, command.action):
            return self._refuse(
                caller,
                "allowlist",
                f"Sorry {caller.name or 'there'}, you are not allowed to "
                f"{WHAT[command.action]} playback from Discord, so I did nothing. "
                f"The owner can add your user id or a role to "
                f"discord.remote.{command.action.value}_users / _roles.",
            )
        now = self.clock()
        if not self.limiter.allow(caller.id, now):
            wait = max(1, round(self.limiter.retry_after(caller.id, now)))
            return self._refuse(
                caller,
                "rate",
                f"Slow down a little: at most {round(self.limiter.rate * 60)} commands a "
                f"minute. Try again in {wait} s; I did nothing this time.",
            )
        self._told.pop((caller.id, "rate"), None)
        return None

    def _refuse(self, caller: Caller, reason: str, message: str) -> Refusal:
        now = self.clock()
        key = (caller.id, reason)
        last = self._told.get(key)
        quiet = last is not None and now - last < QUIET_FOR
        if not quiet:
            self._told[key] = now
            if len(self._told) > 10_000:
                self._told.clear()
        return Refusal(message, quiet)
