"""The command palette: every command of the grammar, plus jumps to libraries and items.

What a user types is parsed with the same `parse_command` as `ctl` and Discord; a line
that parses is offered as "Run", so `seek 1:15:30` or `play Heat on Kitchen` just work.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from plextui.core.commands import HELP, parse_command
from plextui.errors import PlextuiError

SETTINGS = "Every setting with its help; edit, hide or reorder libraries"


class PlexCommands(Provider):
    async def discover(self) -> Hits:
        for verb, (usage, about) in HELP.items():
            if verb in ("pause", "resume", "toggle", "stop", "next", "prev", "now", "players"):
                yield DiscoveryHit(usage, partial(self._run, verb), help=about)
        for lib in self._libraries():
            yield DiscoveryHit(f"Go to {lib.title}", partial(self._library, lib.key))
        yield DiscoveryHit("Settings", self.app.action_settings, help=SETTINGS)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        try:
            command = parse_command(query)
        except PlextuiError:
            command = None
        if command is not None:
            yield Hit(
                100,
                f"Run: {command.to_text()}",
                partial(self._run, query),
                help=HELP[command.verb][1],
            )
        for verb, (usage, about) in HELP.items():
            score = matcher.match(usage)
            if score > 0:
                yield Hit(
                    score * 0.9, matcher.highlight(usage), partial(self._prefill, verb), help=about
                )
        for lib in self._libraries():
            score = matcher.match(f"Go to {lib.title}")
            if score > 0:
                yield Hit(score, f"Go to {lib.title}", partial(self._library, lib.key))
        if (score := matcher.match("Settings")) > 0:
            yield Hit(score, "Settings", self.app.action_settings, help=SETTINGS)  # type: ignore[attr-defined]
        rt = getattr(self.app, "rt", None)
        if rt is not None and len(query.strip()) >= 2 and command is None:
            try:
                items = await rt.service.search(query.strip(), limit=8)
            except PlextuiError:
                items = []
            for item in items:
                yield Hit(
                    0.5, f"Go to {item.display_title}", partial(self._item, item), help=item.kind
                )

    def _libraries(self):
        main = self.app._main()  # type: ignore[attr-defined]
        return main.libraries if main is not None else []

    def _run(self, text: str) -> None:
        try:
            command = parse_command(text)
        except PlextuiError as error:
            self.app.notify(str(error), severity="error")
            return
        self.app.run_command(command)  # type: ignore[attr-defined]

    def _prefill(self, verb: str) -> None:
        usage = HELP[verb][0]
        if "<" not in usage and "[" not in usage:
            self._run(verb)
        else:
            self.app.notify(f"Type it in the palette: {usage}", timeout=4)

    def _library(self, key: str) -> None:
        main = self.app._main()  # type: ignore[attr-defined]
        if main is not None:
            main.open_library(key)

    def _item(self, item) -> None:
        main = self.app._main()  # type: ignore[attr-defined]
        if main is not None:
            main.open_item(item)
