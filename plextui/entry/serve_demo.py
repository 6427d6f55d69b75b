"""`plextui serve-demo`: the emulated Plex Media Server alone; the emulator owns its flags."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    from plextui.emulators.plex.serve import main as serve

    return serve(list(argv))
