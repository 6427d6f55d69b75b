"""`serve-demo`: the emulated PMS and players as a standalone process."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from .harness import PlexEmulator


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="serve-demo", description="Serve an emulated Plex Media Server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default="demo-token")
    parser.add_argument("--size", type=int, default=300, help="total library items")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--players", type=int, default=2)
    parser.add_argument(
        "--verbose", action="store_true", help="log requests to stderr (never the token)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.size < 1 or args.players < 0 or not (0 <= args.port < 65536):
        print("serve-demo: --size must be >= 1, --players >= 0, --port 0..65535", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(message)s",
    )
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    emu = PlexEmulator(
        token=args.token,
        size=args.size,
        seed=args.seed,
        players=args.players,
        host=args.host,
        port=args.port,
        verbose=args.verbose,
    )
    try:
        emu.start()
    except OSError as exc:
        print(
            f"serve-demo: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    print(f"{emu.url} token={emu.token}", flush=True)
    for player in emu.players:
        print(
            f"player {player.name!r} {player.url} id={player.machine_identifier}",
            file=sys.stderr,
            flush=True,
        )
    try:
        while not done.wait(0.5):
            pass
    finally:
        emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
