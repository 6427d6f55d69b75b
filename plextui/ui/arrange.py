"""The sidebar's libraries as the user arranged them: `[ui] hidden_libraries` left out,
`[ui] library_order` first in its order, the rest after in the server's order.

Libraries are named by title (what a user reads and types), compared without case, so a
config file written by hand works; a title the server no longer has is simply ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from plextui.core.models import Library


def arranged(
    libraries: Sequence[Library], hidden: Iterable[str], order: Iterable[str]
) -> list[Library]:
    """The libraries to list, in the order to list them."""
    gone = {title.casefold() for title in hidden}
    place = {title.casefold(): n for n, title in enumerate(order)}
    shown = [lib for lib in libraries if lib.title.casefold() not in gone]
    last = len(place)
    return sorted(shown, key=lambda lib: place.get(lib.title.casefold(), last))
