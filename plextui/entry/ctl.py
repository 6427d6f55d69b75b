"""`plextui ctl`: one command from a shell, the same grammar as the TUI and Discord.

Prints the answer (or one JSON object with --json) and exits with the code of
plextui.errors; `play … on local` keeps this process alive while mpv plays. Also the
cache's own two commands (`ctl stats`, `plextui cache clear`), which need no server.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys

from plextui import config
from plextui.control import runtime
from plextui.core.commands import parse_command
from plextui.errors import CommandError


def _quoted(word: str) -> str:
    """Re-quote a shell word that held spaces, so `on` inside a title stays in the title."""
    if " " not in word:
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(args: argparse.Namespace) -> int:
    settings = config.load()
    server_url = args.server if args.server and "://" in args.server else None
    settings = config.select_server(settings, None if server_url else args.server)
    overrides = {"url": server_url, "token": args.token, "default_player": args.player}
    plex = dataclasses.replace(settings.plex, **{k: v for k, v in overrides.items() if v})
    settings = dataclasses.replace(settings, plex=plex)
    if [w.lower() for w in args.words] == ["stats"]:
        return _stats(settings, args.json)
    command = parse_command(" ".join(_quoted(w) for w in args.words))
    rt = runtime.build(settings)

    options = {}
    if args.resume is not None:
        options["resume"] = args.resume
    if args.quality:
        options["quality"] = args.quality
    if options and command.verb != "play":
        raise CommandError("--resume, --from-start and --quality go with play")

    async def run():
        try:
            await runtime.connect(rt)
            result = await rt.controller.execute(command, **options)
            if result.ok and command.verb == "play" and rt.controller.active is rt.local:
                await _follow_local(rt, result)
                return dataclasses.replace(result, message="Finished.")
            return result
        finally:
            await rt.aclose()

    result = asyncio.run(run())
    if args.json:
        out = result.to_json() | {"exit_code": result.exit_code}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif result.ok:
        print(result.message)
    else:
        print(f"plextui: {result.message}", file=sys.stderr)
    return result.exit_code


def _open_cache(settings):  # noqa: ANN001, ANN202
    namespace = runtime.known_machine_id(settings.plex.url) if settings.plex.url else None
    return runtime.server_cache(settings, namespace) if namespace else None


def _stats(settings, as_json: bool) -> int:  # noqa: ANN001
    """Cache statistics of the configured server (this process has no other metrics yet)."""
    cache = _open_cache(settings)
    stats = cache.stats().to_dict() if cache is not None else None
    if as_json:
        print(json.dumps({"ok": True, "command": "stats", "data": {"cache": stats}}, indent=2))
    elif stats is None:
        print("No cache yet for this server: connect once (plextui ctl libraries).")
    else:
        for kind, row in sorted(stats["kinds"].items()):
            print(f"{kind:10} {row['entries']:6} entries {row['size_bytes']:10} bytes")
    return 0


def clear_cache(args: argparse.Namespace) -> int:
    cache = _open_cache(config.select_server(config.load()))
    if cache is None:
        print("Nothing cached for this server.")
        return 0
    cache.clear()
    print("Cache cleared.")
    return 0


async def _follow_local(rt, result) -> None:  # noqa: ANN001
    """mpv belongs to this process: keep playing until it ends (Ctrl-C stops it, exit 130)."""
    print(result.message, flush=True)
    while (await rt.local.state()).state != "stopped":
        await asyncio.sleep(1)
