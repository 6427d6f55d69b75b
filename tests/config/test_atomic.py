"""The one atomic writer: the old file or the new one, never half, never a stray temp file."""

from __future__ import annotations

import os
import stat

import pytest

from plextui.config.atomic import write_atomic


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_text_and_bytes_owner_only_in_a_new_private_dir(tmp_path):
    path = tmp_path / "new" / "state.json"
    write_atomic(path, '{"é": 1}')
    assert path.read_text(encoding="utf-8") == '{"é": 1}'
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    write_atomic(path, b"\x00\xff")
    assert path.read_bytes() == b"\x00\xff"
    assert os.listdir(path.parent) == ["state.json"]


def test_a_readable_file_becomes_owner_only_whatever_the_umask(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("old")
    path.chmod(0o644)
    old = os.umask(0o277)  # would make a new file 0400
    try:
        write_atomic(path, "new")
    finally:
        os.umask(old)
    assert path.read_text() == "new" and mode(path) == 0o600


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "queue.json"
    write_atomic(path, "old")

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, "new" * 1000)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["queue.json"]


def test_an_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch):
    """Ctrl-C between writing and renaming: the temp file goes, the interrupt goes on."""
    path = tmp_path / "journal.json"

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new")
    assert os.listdir(tmp_path) == []


def test_a_directory_that_cannot_be_written_is_an_oserror(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with pytest.raises(OSError):
        write_atomic(blocked / "state.json", "x")
    assert blocked.read_text() == "not a directory"
