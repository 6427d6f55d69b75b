"""The audit log: one JSON line for every remote command, whatever its text or its fate.

Each line says who (Discord user id and name), where from (channel or interaction), what
they typed (cut to TEXT_MAX), whether the gate let it through (`allowed`) and how it went
(`ok`, the answer). The file is append-only, mode 0600, under the user state dir; it takes
any text (a lone surrogate becomes a \\uXXXX escape) and never holds a token: the secrets it
is given are masked if they ever slip into a command.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from plextui.config.atomic import private_parent
from plextui.config.paths import audit_path
from plextui.discord.remote.authorizer import Caller

log = logging.getLogger(__name__)

TEXT_MAX = 300  # characters of a command kept in the audit log


class AuditLog:
    """Appends one JSON line per remote command; `secrets` are masked if they ever slip in."""

    def __init__(self, path: Path | None = None, secrets: Iterable[str] = ()) -> None:
        self.path = path or audit_path()
        self._secrets = [s for s in secrets if s]
        self._lock = threading.Lock()

    def record(
        self,
        *,
        source: str,
        caller: Caller,
        text: str,
        allowed: bool,
        ok: bool | None = None,
        message: str = "",
    ) -> None:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "source": source,
            "user_id": caller.id,
            "user": caller.name,
            "command": self._mask(text[:TEXT_MAX]),
            "allowed": allowed,
            "ok": ok,
            "message": self._mask(message[:TEXT_MAX]),
        }
        # Readable UTF-8, except what UTF-8 cannot hold (a lone surrogate from a crafted
        # message): that becomes a \uXXXX escape, which is the same JSON string again.
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
        with self._lock:
            try:
                private_parent(self.path)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                with os.fdopen(fd, "ab") as handle:
                    handle.write(line)
            except OSError as error:
                log.warning("cannot write the audit log %s: %s", self.path, error)

    def entries(self) -> list[dict]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def size(self) -> int:
        """Bytes written so far: where the next line will start."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def count_since(self, offset: int, source: str) -> int:
        """Whole lines from `source` written after `offset` (a line a crash cut short is not
        a written record). The channel poller is the only writer of its lines, one unit at a
        time, so after a crash these are the interrupted unit's."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(offset)
                lines = handle.read().splitlines()
        except OSError:
            return 0
        count = 0
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            count += isinstance(entry, dict) and entry.get("source") == source
        return count

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text
