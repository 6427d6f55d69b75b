"""plex-mpv-shim (a real third-party Plex player from PyPI) running headless for the tests.

The shim answers GDM on UDP 32412, a port it hard-codes, so only one may run on a machine
at a time: a file lock serialises the xdist workers that want one. Its config lives in
`$XDG_CONFIG_HOME/plex-mpv-shim/conf.json`; mpv runs as an external program (the Debian
`mpv`, no libmpv needed) with null video and audio from the shim's own `mpv.conf`.
SIGINT stops it the way Ctrl-C does: it says BYE, stops mpv and exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

GDM_LOCK = Path(tempfile.gettempdir()) / "plextui-tests-gdm-32412.lock"
SHIM_NAME = "Shim Test Player"
# what the poller names itself; the shim refuses polls without both
POLL_HEADERS = {"X-Plex-Client-Identifier": "plextui-tests", "X-Plex-Device-Name": "tests"}


@dataclass
class Shim:
    url: str
    name: str
    machine_identifier: str
    log: Path

    def timeline(self, kind: str = "video") -> dict[str, str]:
        """The shim's OWN timeline of one kind (GET /player/timeline/poll?wait=0)."""
        request = urllib.request.Request(
            f"{self.url}/player/timeline/poll?wait=0&commandID=1", headers=POLL_HEADERS
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            root = ElementTree.fromstring(answer.read())
        line = next(t for t in root.iter("Timeline") if t.get("type") == kind)
        return dict(line.attrib)

    def wait_for(self, what, timeout: float = 15.0) -> dict[str, str]:
        """Poll the timeline until `what(timeline)` holds; the last timeline otherwise."""
        deadline = time.monotonic() + timeout
        line = self.timeline()
        while not what(line) and time.monotonic() < deadline:
            time.sleep(0.2)
            line = self.timeline()
        return line


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("plex-mpv-shim")
    if not script.exists():
        pytest.fail("plex-mpv-shim is not installed: pip install -e '.[test]'")
    if shutil.which("mpv") is None:
        pytest.fail("mpv is not installed: make system-deps (Debian package mpv)")
    return [str(script)]


def _configure(home: Path, port: int, ident: str) -> None:
    conf = home / "plex-mpv-shim"
    conf.mkdir(parents=True)
    settings = {
        "player_name": SHIM_NAME,
        "http_port": str(port),
        "client_uuid": ident,
        "enable_gui": False,  # no tray icon
        "mpv_ext": True,  # the mpv program, not libmpv
        "mpv_ext_start": True,
        "fullscreen": False,
        "enable_osc": False,
        "menu_mouse": False,
        "shader_pack_enable": False,
        "skip_intro_prompt": False,
        "mpv_log_level": "warn",
        "allow_http": True,  # the emulated server is plain http on 127.0.0.1
    }
    (conf / "conf.json").write_text(json.dumps(settings))
    (conf / "mpv.conf").write_text("vo=null\nao=null\nidle=yes\n")
    (conf / "input.conf").write_text("")


@contextlib.contextmanager
def _gdm_port_lock():
    with GDM_LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_answering(url: str, proc: subprocess.Popen, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"plex-mpv-shim exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/resources", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"plex-mpv-shim did not answer at {url}:\n{log.read_text()[-3000:]}")


def _hear_ctrl_c() -> None:
    """A child of a background job inherits an ignored SIGINT; the shim stops on Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl-C as a user would; the whole process group (the shim and its mpv) if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # an mpv the shim left behind


@pytest.fixture(scope="module")
def pms(make_module_plex):
    """The emulated PMS the shim plays from (no emulated players of its own)."""
    return make_module_plex(token="shim-token", size=40, seed=5, players=0)


@pytest.fixture(scope="module")
def shim(pms, tmp_path_factory):
    home = tmp_path_factory.mktemp("shim-home")
    port = _free_port()
    ident = f"shim-{uuid.uuid4().hex[:12]}"
    _configure(home / "config", port, ident)
    log = home / "shim.log"
    env = {**os.environ, "XDG_CONFIG_HOME": str(home / "config"), "HOME": str(home)}
    with _gdm_port_lock(), log.open("w") as out:
        proc = subprocess.Popen(
            _command(),
            cwd=home,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: mpv goes with it
            preexec_fn=_hear_ctrl_c,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_answering(url, proc, log)
            yield Shim(url, SHIM_NAME, ident, log)
        finally:
            _stop(proc)
