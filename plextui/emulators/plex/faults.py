"""Switchable misbehaviour, so clients can be tested against slow, broken or hostile servers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Faults:
    """Read by the server middleware on every request; set from any thread."""

    delay: float = 0.0
    hang: bool = False
    status: int | None = None
    malformed: bool = False
    truncated: bool = False
    transcoder_speed: float | None = None  # e.g. 0.5: the transcoder falls behind playback
    _revoked: bool = field(default=False, repr=False)

    def revoke_token(self) -> None:
        """Make the configured token answer 401, as when a user signs the device out."""
        self._revoked = True

    def restore_token(self) -> None:
        self._revoked = False

    @property
    def token_revoked(self) -> bool:
        return self._revoked

    def clear(self) -> None:
        self.delay, self.hang, self.status = 0.0, False, None
        self.malformed = self.truncated = self._revoked = False
        self.transcoder_speed = None
