"""The one entry point: `plextui [tui] | demo | ctl | relay | serve-demo | config | discord`.

Heavy modules (textual, plexapi, aiohttp) are imported inside the command that needs them,
so `plextui --help` and `plextui config …` start fast. Every error a user can cause ends as
one line on stderr and an exit code from `plextui.errors`, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import warnings

from plextui import __version__
from plextui.errors import CommandError, PlextuiError, exit_code

TYPE_CHECKING = False  # typing, dataclasses and json cost more than `--help` itself
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn


def _config(args: argparse.Namespace) -> int:
    from plextui import config

    if args.action == "path":
        print(config.config_path())
    elif args.action == "show":
        print(config.show(config.load()))
    elif args.action == "set":
        config.set_value(args.key, args.value)
        print(f"{args.key} saved to {config.config_path()}")
    return 0


def _ctl(args: argparse.Namespace) -> int:
    from plextui.entry.ctl import main as ctl

    return ctl(args)


def _cache(args: argparse.Namespace) -> int:
    from plextui.entry.ctl import clear_cache

    return clear_cache(args)


def _tui(args: argparse.Namespace) -> int:
    from plextui.entry.malloc import return_freed_memory
    from plextui.ui import termprobe

    return_freed_memory()  # before any thread: memory stays flat while paging
    # Start-up makes some hundred thousand objects and frees few; collecting them again and
    # again cost ~60 ms of the first paint. The app collects again once its rows are drawn.
    gc.disable()
    termprobe.start()  # the terminal is asked about images while the rest is imported
    try:
        return _tui_started(args)
    finally:
        termprobe.settle()  # a config error must not leave the terminal in cbreak mode


def _tui_started(args: argparse.Namespace) -> int:
    from plextui import config
    from plextui.control import runtime

    settings = config.load()
    warm = None
    if settings.plex.url:  # reading the first rows begins before Textual is even imported
        try:
            warm = runtime.warm_start(settings, settings.ui.page_size)
        except PlextuiError:
            warm = None  # the app builds its own and shows what is wrong
    from plextui.ui.app import run_tui

    def start_demo(app):  # noqa: ANN001, ANN202 - the first-run screen's "Try the demo"
        from plextui.entry.demo import start_demo

        return start_demo(app)

    return run_tui(settings, runtime=warm, start_demo=start_demo)


def _demo(args: argparse.Namespace) -> int:
    from plextui.entry.demo import run_demo

    if args.size < 10:
        raise CommandError("demo: --size must be at least 10")
    if args.slow < 0:
        raise CommandError("demo: --slow must be 0 or more seconds")
    return run_demo(args.size, slow=args.slow)


def _relay(args: argparse.Namespace) -> int:
    import asyncio
    import dataclasses

    from plextui import config
    from plextui.entry.relay import run_relay

    settings = config.load()
    listen = None
    if args.listen is not None:
        listen = args.listen or settings.discord.remote.listen
        port = listen.rpartition(":")[2]
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise CommandError(
                f"relay: --listen takes HOST:PORT, like 127.0.0.1:8787; got {listen!r}"
            )
        remote = dataclasses.replace(settings.discord.remote, enabled=True)
        settings = dataclasses.replace(
            settings, discord=dataclasses.replace(settings.discord, remote=remote)
        )
    try:
        asyncio.run(run_relay(settings, out=lambda line: print(line, flush=True), listen_on=listen))
    except KeyboardInterrupt:
        return 0
    return 0


def _login(args: argparse.Namespace) -> int:
    from plextui.entry.login import main as login

    return login(args)


def _doctor(args: argparse.Namespace) -> int:
    from plextui.entry.doctor import main as doctor

    return doctor(args)


def _discord(args: argparse.Namespace) -> int:
    from plextui import config
    from plextui.discord.remote.register import main as register

    return register(config.load())


def _add_ctl(sub: argparse._SubParsersAction) -> None:
    ctl = sub.add_parser("ctl", help="run one command (same grammar as Discord) and exit")
    ctl.add_argument(
        "words", nargs="+", help="the command, e.g. play Heat on Living Room TV (or: stats)"
    )
    ctl.add_argument("--json", action="store_true", help="print the result as JSON")
    ctl.add_argument(
        "--server",
        metavar="NAME|URL",
        help="a saved [[servers]] name, or a URL (overrides plex.url)",
    )
    ctl.add_argument("--token", help="X-Plex-Token (overrides plex.token)")
    ctl.add_argument("--player", help="the player for this command only (the default stays)")
    resume = ctl.add_mutually_exclusive_group()
    resume.add_argument(
        "--resume", action="store_true", default=None, help="play: start where you left off"
    )
    resume.add_argument(
        "--from-start", dest="resume", action="store_false", help="play: start at the beginning"
    )
    ctl.add_argument("--quality", help="play on local: original, 1080p, 720p, 480p, 360p, auto")
    ctl.set_defaults(handler=_ctl)


def _ctl_parser() -> argparse.ArgumentParser:
    """The parser for `plextui ctl …` alone: the other commands' parsers are a start-up
    cost a one-shot command would pay for nothing (what it accepts and says is the same)."""
    parser = _Parser(prog="plextui")
    _add_ctl(parser.add_subparsers(title="commands", metavar="COMMAND"))
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="plextui",
        description="A keyboard-driven terminal remote for Plex, with Discord presence.",
    )
    parser.add_argument("--version", action="version", version=f"plextui {__version__}")
    parser.set_defaults(handler=_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    tui = sub.add_parser("tui", help="the TUI on the configured server (the default)")
    tui.set_defaults(handler=_tui)

    demo = sub.add_parser("demo", help="emulated server, players and Discord, and the TUI on them")
    demo.add_argument("--size", type=int, default=300, help="items in the emulated library")
    demo.add_argument(
        "--slow",
        type=float,
        default=0.0,
        metavar="S",
        help="the emulated server waits S seconds per answer (shows start-up from cache)",
    )
    demo.set_defaults(handler=_demo)

    serve = sub.add_parser(
        "serve-demo",
        help="run only the emulated Plex Media Server (prints its URL first)",
        add_help=False,
        description="Emulated PMS: --host, --port, --token, --size, --seed, --players, --verbose",
    )
    serve.add_argument("serve_args", nargs=argparse.REMAINDER)

    _add_ctl(sub)

    relay = sub.add_parser("relay", help="headless: events to Discord, remote commands in")
    relay.add_argument(
        "--listen",
        metavar="HOST:PORT",
        nargs="?",
        const="",
        help="serve the Discord interactions endpoint (default discord.remote.listen)",
    )
    relay.set_defaults(handler=_relay)

    cfg = sub.add_parser("config", help="show or change the configuration")
    cfg_sub = cfg.add_subparsers(dest="action", required=True, metavar="ACTION")
    cfg_sub.add_parser("path", help="print where the config file is")
    cfg_sub.add_parser("show", help="print the effective settings, secrets redacted")
    setp = cfg_sub.add_parser("set", help="set one key, e.g. config set plex.url http://…")
    setp.add_argument("key", help="dotted key, e.g. quality.max_bitrate")
    setp.add_argument("value", help="the new value (lists: comma separated)")
    cfg.set_defaults(handler=_config)

    login = sub.add_parser(
        "login", help="sign in with Plex (a code at plex.tv/link), save a server"
    )
    login.add_argument("--server", metavar="NAME", help="which of the account's servers to save")
    login.add_argument("--home-user", metavar="NAME", help="sign in as this Plex Home user")
    login.set_defaults(handler=_login)

    cache = sub.add_parser("cache", help="manage the local cache")
    cache_sub = cache.add_subparsers(dest="action", required=True, metavar="ACTION")
    cache_sub.add_parser("clear", help="drop everything cached for the configured server")
    cache.set_defaults(handler=_cache)

    doctor = sub.add_parser("doctor", help="check the server, token, players, mpv, Discord …")
    doctor.add_argument("--json", action="store_true", help="one JSON object, a check each")
    doctor.add_argument("--demo", action="store_true", help="check the demo's emulated world")
    doctor.set_defaults(handler=_doctor)

    discord = sub.add_parser("discord", help="Discord helpers")
    discord_sub = discord.add_subparsers(dest="action", required=True, metavar="ACTION")
    discord_sub.add_parser("register", help="register the /plex slash command")
    discord.set_defaults(handler=_discord)
    return parser


def _warn(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    print(f"plextui: warning: {message}", file=sys.stderr)


CTL_FLAGS = {"-h"}  # besides every word that starts with --
CTL_OPTIONS = {"--server", "--token", "--player", "--quality"}  # each takes the next word
CTL_WORDS = {"--version"}  # the grammar's own flags (play … --version 4k): command words


def _ctl_argv(argv: list[str]) -> list[str]:
    """`ctl` words may start with a dash (`seek -1m`, `volume -10`): only flags (`--…`,
    `-h`) go to argparse, every other word is the command, after a `--`."""
    flags, words = [], []
    rest = iter(argv)
    for word in rest:
        if word in CTL_OPTIONS:
            flags += [word, next(rest, "")]
        elif (word.startswith("--") and word not in CTL_WORDS) or word in CTL_FLAGS:
            flags.append(word)  # argparse refuses the ones it does not know
        else:
            words.append(word)
    return [*flags, "--", *words] if words else flags


class UsageError(CommandError):
    """Arguments argparse refused; raised instead of exiting so `--json` can answer."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("plextui").strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see {self.prog} --help)")


def _fail_as_json(error: BaseException, verb: str | None) -> int:
    """`ctl --json` prints one object for every outcome, failures before connecting too."""
    import json

    code = exit_code(error)
    message = str(error) if isinstance(error, PlextuiError) else "interrupted"
    out = {"ok": False, "command": verb, "message": message, "data": {}}
    out |= {"error": type(error).__name__, "exit_code": code}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:  # `plextui ctl search a | head` closed our stdout: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 0


def _main(argv: list[str]) -> int:
    warnings.showwarning = _warn
    if argv[:1] == ["serve-demo"]:  # the emulator owns its flags (and its --help)
        from plextui.entry.serve_demo import main as serve_demo

        return serve_demo(argv[1:])
    as_json = argv[:1] == ["ctl"] and "--json" in argv
    if argv[:1] == ["ctl"]:
        argv = ["ctl", *_ctl_argv(argv[1:])]
    verb = None
    try:
        if not argv:  # `plextui` alone is the TUI: no parser to build for it (argparse's
            return _tui(argparse.Namespace())  # formatter imports shutil, bz2 and lzma)
        args = (_ctl_parser() if argv[:1] == ["ctl"] else build_parser()).parse_args(argv)
        verb = (getattr(args, "words", None) or [None])[0]
        return args.handler(args)
    except (PlextuiError, KeyboardInterrupt) as error:
        if as_json:
            return _fail_as_json(error, verb)
        if isinstance(error, KeyboardInterrupt):
            return 130
        print(f"plextui: {error}", file=sys.stderr)
        return exit_code(error)


if __name__ == "__main__":
    sys.exit(main())
