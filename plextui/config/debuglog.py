"""The debug log: what mpv said and how the last Plex requests went, for "why did it fail?".

One small text file in the state dir (`paths.debug_log_path()`), written by every plextui
process: mpv's own messages (plex/mpv.py pipes them here) and one status line per Plex
request (plex/transport.py). It is bounded: past `MAX_BYTES` the file becomes `.1` and a
new one starts, so it holds the latest few thousand lines and never grows without limit.

Everything is redacted on the way in: a token in a URL (`X-Plex-Token=`, `token=`, any
`…Token=` parameter) or in a header-like `X-Plex-Token: …` is replaced before the line
reaches the disk. Writing is best effort: a full disk or a read-only state dir costs the
log, never the playback or the request that was being logged.
"""

from __future__ import annotations

import os
import re
import threading
import time
from urllib.parse import urlsplit

from plextui.config.paths import debug_log_path

MAX_BYTES = 512 * 1024  # per file; with the one rotated file, at most twice this on disk
HIDDEN = "<redacted>"
_SECRET_PARAM = re.compile(r"(?i)((?:[\w.-]*token|password|secret)[\w.-]*=)[^&\s\"'<>#]+")
_SECRET_HEADER = re.compile(r"(?i)(x-plex-token[\"']?\s*[:=]\s*[\"']?)[^\s&\"',}]+")
_lock = threading.Lock()


def redact(text: str) -> str:
    """`text` with every token-like parameter or header value replaced by `<redacted>`."""
    text = _SECRET_HEADER.sub(rf"\g<1>{HIDDEN}", text)
    return _SECRET_PARAM.sub(rf"\g<1>{HIDDEN}", text)


def write(source: str, line: str) -> None:
    """Append one redacted, timestamped line from `source` (mpv, plex …); never raises."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    text = f"{stamp} {source}: {redact(line.rstrip())}\n".encode(errors="replace")
    path = debug_log_path()
    with _lock:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                if path.stat().st_size + len(text) > MAX_BYTES:
                    os.replace(path, path.with_name(path.name + ".1"))
            except FileNotFoundError:
                pass
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, text)
            finally:
                os.close(fd)
        except OSError:
            pass  # the log is a help, never a reason to fail


def request_line(method: str, url: str, status: int | str, seconds: float) -> str:
    """`GET /library/sections 200 12 ms`: the path and query of `url`, secrets hidden."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return redact(f"{method} {target or '/'} {status} {seconds * 1000:.0f} ms")


def request(method: str, url: str, status: int | str, seconds: float) -> None:
    """Log one finished (or failed: `status` is the error's name) request to Plex."""
    write("plex", request_line(method, url, status, seconds))
