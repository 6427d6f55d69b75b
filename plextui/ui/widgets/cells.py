"""Laying out a row's cells in terminal cells: the list's lines, its header and the grid's captions.

Kept apart from the list widget because it is pure text arithmetic (no Textual), which
the poster grid and the tests use on their own: widths are measured in terminal cells,
not characters, so a wide emoji or CJK title never pushes the columns after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

TITLE_MIN = 8  # cells the flexible (title) column keeps however wide the others are
MARK = "✓"  # drawn in the marker column of a row marked for a bulk edit


def fit(text: str, width: int) -> str:
    """Cut to `width` terminal cells with an ellipsis, padded on the right.

    Cells, not characters: an emoji or a CJK title takes two, and the columns after
    it must not move."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1).rstrip() + "…"  # a cut wide char leaves a gap
    return set_cell_size(text, width)


def layout(widths: Sequence[int], width: int) -> list[int]:
    """Column widths: measured ones as given, the 0-width (title) column takes the rest."""
    fixed = sum(widths) + len(widths) - 1
    return [w or max(TITLE_MIN, width - fixed) for w in widths]


def join_cells(cells: Sequence[str], widths: Sequence[int]) -> str:
    return " ".join(fit(c, w) for c, w in zip(cells, widths, strict=True))
