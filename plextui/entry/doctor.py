"""`plextui doctor [--json] [--demo]`: what works, what does not, and how to fix it.

One line per check (`ok`, `FAIL` with the fix, or `skipped` when a check it needs
failed), then the debug log's path. Exit code 0 when no check failed, 1 otherwise, so a
script can run it. `--json` prints one object: `ok`, `exit_code`, `checks` (one object per
check: name, status, summary, fix, data) and `debug_log`. `--demo` checks the demo's
emulated server, players and webhook instead of the configured ones, with the user's own
Discord app (the demo's emulated one is not started), as `plextui demo` would meet them.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from plextui.config import paths
from plextui.control.diagnostics import Check, check_config, diagnose
from plextui.errors import EXIT_FAILED, EXIT_OK

MARKS = {"ok": "ok  ", "fail": "FAIL", "skipped": "skip"}


def line(check: Check) -> str:
    """`FAIL  discord   Discord is not running. Fix: start the Discord app, …`"""
    text = check.summary + (f". Fix: {check.fix}" if check.failed and check.fix else "")
    return f"{MARKS.get(check.status, check.status)}  {check.name:<8}  {text}"


def main(args: argparse.Namespace) -> int:
    checks = asyncio.run(_demo_checks() if args.demo else diagnose())
    path = paths.debug_log_path()  # the user's, also with --demo (whose state is scratch)
    log = str(path)
    code = EXIT_FAILED if any(c.failed for c in checks) else EXIT_OK
    if args.json:
        out = {"ok": code == EXIT_OK, "exit_code": code, "checks": [c.as_dict() for c in checks]}
        print(json.dumps(out | {"debug_log": log}, indent=2, ensure_ascii=False))
    else:
        for check in checks:
            print(line(check))
        where = log if path.exists() else f"{log} (not written yet)"
        print(f"debug log (mpv's messages, the last Plex requests): {where}")
    return code


async def _demo_checks() -> list[Check]:
    from plextui.entry.demo import DemoWorld

    conf, base = check_config()  # the user's file: the demo keeps the theme and keys from it
    world = await asyncio.to_thread(DemoWorld, base, 40)
    try:
        world.ipc.stop()  # the demo's Discord stands in for yours only inside `plextui demo`
        return await diagnose((conf, world.settings))
    finally:
        await asyncio.to_thread(world.stop)
