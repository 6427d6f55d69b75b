"""The one way plextui replaces a file: a crash or a full disk leaves the old file or the new one.

The data goes to a temp file in the same directory (a rename is atomic only within one file
system), is fsynced, and `os.replace`s the old file; then the directory is fsynced so the
rename itself survives a power cut. Files are mode 0600 and a directory made for them 0700,
because most of them hold secrets (tokens, webhook URLs) or the owner's history.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def private_parent(path: Path) -> None:
    """Create the directory `path` goes in, 0700 if it is new (an existing one is left as is)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` (text as UTF-8), mode 0600; raises OSError when it cannot,
    and then the old file is intact and no temp file is left behind."""
    private_parent(path)
    payload = data.encode() if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # mkstemp's 0600 is still filtered by the umask
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable; some file systems cannot sync a directory, and then the
    file is still whole, only perhaps the old one after a power cut."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
