"""`plextui ctl` as a shell user types it: words with dashes, and one JSON object for
every outcome when --json is given, failures before connecting included."""

from __future__ import annotations

import json
import socket

import pytest

from tests.entry.test_ctl import demo_server, env_for, plextui  # noqa: F401 - fixture


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_negative_seek_reaches_the_grammar(demo_server):  # noqa: F811
    """`seek -1m` (README and the error text suggest it) was refused by argparse."""
    done = plextui("ctl", "seek", "-1m", "--player", "Living Room TV", env=env_for(demo_server))
    assert "unrecognized arguments" not in done.stderr
    assert done.returncode == 1, done.stderr
    assert "nothing is playing on Living Room TV" in done.stderr


def test_an_unknown_flag_is_still_refused():
    done = plextui("ctl", "volume", "-10", "--bogus")
    assert done.returncode == 2
    assert done.stderr.strip() == "plextui: unrecognized arguments: --bogus (see plextui --help)"


@pytest.mark.parametrize(
    ("args", "env", "code", "error", "words"),
    [
        (["now"], {}, 2, "ConfigError", "no Plex server configured"),
        (["nonsense"], {}, 2, "CommandError", "unknown command 'nonsense'"),
        ([], {}, 2, "UsageError", "required: words"),
        (["volume", "loud"], {}, 2, "CommandError", "volume"),
        (["now"], "unreachable", 3, "UnreachableError", "cannot reach"),
        (["now"], "wrong token", 2, "", "refused the token"),
    ],
)
def test_json_for_every_outcome(demo_server, args, env, code, error, words):  # noqa: F811
    if env == "unreachable":
        env = env_for(f"http://127.0.0.1:{free_port()}")
    elif env == "wrong token":
        env = env_for(demo_server, token="not-the-token")
    done = plextui("ctl", *args, "--json", env=env)
    assert done.returncode == code, done.stderr
    assert done.stderr == ""
    out = json.loads(done.stdout)  # exactly one object, nothing else on stdout
    assert out["ok"] is False and out["exit_code"] == code
    assert words in out["message"]
    assert out["error"] == error or (not error and out["error"])


def test_json_success_carries_the_exit_code(demo_server):  # noqa: F811
    out = json.loads(plextui("ctl", "libraries", "--json", env=env_for(demo_server)).stdout)
    assert out["ok"] is True and out["exit_code"] == 0 and out["message"]


def test_a_closed_pipe_is_not_a_traceback(demo_server):  # noqa: F811
    """`plextui ctl search a | head -1`: the reader leaves before we write; no BrokenPipeError."""
    import os
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "plextui", "ctl", "search", "a"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env_for(demo_server)},
    )
    proc.stdout.close()  # gone before ctl has connected, let alone printed
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_a_closed_pipe_under_a_json_failure_is_not_a_traceback():
    """`plextui ctl --json --bogus x | head -3`: the failure's object meets a closed pipe."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "plextui", "ctl", "--json", "--bogus", "x"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_help_needs_no_server():
    """A newcomer's first `plextui ctl help`, before any server is set up."""
    done = plextui("ctl", "help")
    assert done.returncode == 0, done.stderr
    assert "seek <time>" in done.stdout and "1080p-10" in done.stdout
    one = json.loads(plextui("ctl", "help", "seek", "--json").stdout)
    assert one["ok"] is True and one["data"]["commands"] == {"seek": "seek <time>"}
