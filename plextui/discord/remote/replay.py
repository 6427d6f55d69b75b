"""The replay guard: a signed interaction is taken once, even across a restart.

Discord signs each interaction with a timestamp; a request older than `window` is refused
as stale, so only the signatures of fresher ones need remembering and the set stays small.
Only a sha256 of each signature is stored (never the body), in a file written atomically,
mode 0600, before the request's command runs, and read back at start-up: a request
captured and replayed after a crash or restart is still refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from pathlib import Path

from plextui.config.atomic import write_atomic
from plextui.config.paths import interactions_seen_path

log = logging.getLogger(__name__)


class ReplayGuard:
    """Digests of the signed requests already taken, kept while their timestamp is fresh."""

    def __init__(self, path: Path | None = None, window: float = 300.0) -> None:
        self.path = path or interactions_seen_path()
        self.window = window
        self._seen = self._load()
        self._lock = threading.Lock()

    def first_time(self, signature: bytes, sent: float, now: float) -> bool:
        """True, and remembered, the first time a signature is offered; `save` before acting."""
        digest = hashlib.sha256(signature).hexdigest()
        if digest in self._seen:
            return False
        self._seen = {d: t for d, t in self._seen.items() if now - t <= self.window}
        self._seen[digest] = sent
        return True

    def save(self) -> None:
        """Write the set atomically (temp file + rename); raises OSError when it cannot."""
        with self._lock:
            write_atomic(self.path, json.dumps({"seen": dict(self._seen)}))

    def _load(self) -> dict[str, float]:
        try:
            seen = json.loads(self.path.read_bytes())["seen"]
            return {
                d: float(t)
                for d, t in seen.items()
                if isinstance(d, str) and len(d) == 64 and _finite(t)
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            log.warning("ignoring the unreadable replay guard %s (%s)", self.path, error)
            return {}


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
