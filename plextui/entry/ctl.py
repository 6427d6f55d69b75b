"""`plextui ctl`: one command from a shell, the same grammar as the TUI and Discord.

Prints the answer (or one JSON object with --json) and exits with the code of
plextui.errors; `play … on local` keeps this process alive while mpv plays. Also the
cache's own two commands (`ctl stats`, `plextui cache clear`), which need no server.
The verbs control/quick.py answers in a request or two never import the Controller's
route (plexapi, requests, asyncio), which is imported only for the rest.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from plextui import config
from plextui.control import answers, quick
from plextui.control.answers import Result
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
    overrides = {"url": server_url, "token": args.token}
    plex = dataclasses.replace(settings.plex, **{k: v for k, v in overrides.items() if v})
    settings = dataclasses.replace(settings, plex=plex)
    command = parse_command(" ".join(_quoted(w) for w in args.words))
    if command.verb == "stats":  # the cache on disk: no server needed
        return _stats(settings, args.json)
    if command.verb == "help":  # the grammar: no server needed
        result = answers.help_result(command.topic)
        _print(result, args.json)
        return result.exit_code
    options = {}
    if args.resume is not None:
        options["resume"] = args.resume
    if args.quality:
        options["quality"] = args.quality
    if options and command.verb != "play":
        raise CommandError("--resume, --from-start and --quality go with play")
    result = quick.answer(settings, command, args.player) if settings.plex.url else None
    if result is None:
        result = _controller(settings, command, args.player, options)
    _print(result, args.json)
    return result.exit_code


def _controller(settings, command, player, options) -> Result:  # noqa: ANN001
    """The command through the Controller, as the TUI and Discord run it."""
    import asyncio

    from plextui.control import runtime

    rt = runtime.build(settings)
    rt.controller.pinned_player = player or ""  # this command only: never saved

    async def run():
        try:
            await runtime.connect(rt, trust_known=True)  # one request, not three
            result = await rt.controller.execute(command, **options)
            if result.ok and command.verb == "play" and rt.controller.active is rt.local:
                await _follow_local(rt, result)
                return dataclasses.replace(result, message="Finished.")
            return result
        finally:
            await rt.aclose()

    return asyncio.run(run())


def _open_cache(settings):  # noqa: ANN001, ANN202
    from plextui.control import runtime

    namespace = runtime.known_machine_id(settings.plex.url) if settings.plex.url else None
    return runtime.server_cache(settings, namespace) if namespace else None


def _stats(settings, as_json: bool) -> int:  # noqa: ANN001
    """`stats` without connecting: the configured server's cache as stored (the verb in
    a running TUI or relay also has the hits and misses it counted)."""
    cache = _open_cache(settings)
    stats = cache.stats().to_dict() if cache is not None else None
    result = Result(True, "stats", answers.cache_stats(stats), {"cache": stats})
    _print(result, as_json)
    return result.exit_code


def _print(result: Result, as_json: bool) -> None:
    """One JSON object (with the exit code) on stdout, or the answer's text: a failure on
    stderr after `plextui: `."""
    if as_json:
        out = result.to_json() | {"exit_code": result.exit_code}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif result.ok:
        print(result.message)
    else:
        print(f"plextui: {result.message}", file=sys.stderr)


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
    import asyncio

    print(result.message, flush=True)
    while (await rt.local.state()).state != "stopped":
        await asyncio.sleep(1)
