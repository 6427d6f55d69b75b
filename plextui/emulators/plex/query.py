"""Section search: Plex's filter operators, sorts, type selection and paging.

Unfiltered pages are slices of cached sorted lists; filters scan the per-type index
(a few tens of ms at 200 000 items) and never render anything but the page.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping

from .library import TYPE_NUMBERS, Item, Library, Section
from .names import crew

# Every field PMS filters on. Anything else in the query string is an option (paging, include*,
# nocache, skipRefresh, async*, checkFiles, excludeAllLeaves, client X-Plex-* values …) and never
# narrows the result; `type`, `sort` and `limit` are handled on their own.
FILTER_FIELDS = {
    "title", "year", "decade", "rating", "audienceRating", "userRating", "duration", "studio",
    "contentRating", "addedAt", "updatedAt", "lastViewedAt", "viewCount", "id", "index",
    "resolution", "unwatched", "inProgress", "genre", "actor", "director", "writer", "producer",
    "country", "collection", "label", "mood", "style", "format", "subtitleLanguage",
    "audioLanguage", "hdr", "unmatched", "duplicate", "trash", "guid", "originallyAvailableAt",
    "originalTitle", "titleSort", "summary", "tagline", "editionTitle", "network", "source",
}  # fmt: skip
_FIELD = re.compile(r"(?:([a-zA-Z]+)\.)?([a-zA-Z0-9]+)([!<>=&]*)$")
_RELATIVE = re.compile(r"^-?(\d+)(mon|[smhdwy])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "mon": 2_592_000, "y": 31_536_000}
Predicate = Callable[[Item], bool]
_CREWED = ("movie", "episode")


def paging(headers: Mapping[str, str], query: Mapping[str, str]) -> tuple[int, int | None]:
    """Container start/size from header or query string (plexapi uses both)."""

    def pick(name: str) -> str | None:
        return headers.get(name) or query.get(name)

    start = _int(pick("X-Plex-Container-Start"), 0)
    size = pick("X-Plex-Container-Size")
    return max(start, 0), (None if size is None else max(_int(size, 0), 0))


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def default_type(section: Section) -> int:
    return TYPE_NUMBERS[section.kind]


def search(lib: Library, section: Section, query: Mapping[str, str], items=None) -> list[Item]:
    """Items of `section` matching the Plex query arguments, sorted."""
    type_num = _int(query.get("type"), default_type(section))
    sort_key, desc = _parse_sort(query.get("sort", ""))
    filters = [(key, value) for key, value in query.items() if _is_filter(key)]
    if items is None and len(filters) == 1 and filters[0][0] == "title":
        # the title box of every client: a tight scan keeps 200 000 items well under 50 ms
        wanted = filters[0][1].lower()
        base = lib.sorted_items(section, type_num, sort_key, desc)
        return _limit([i for i in base if wanted in i.title_lower], query)
    predicates = [_predicate(lib, key, value) for key, value in filters]
    if items is None and not predicates:
        result = lib.sorted_items(section, type_num, sort_key, desc)
    else:
        base = items if items is not None else lib.sorted_items(section, type_num, sort_key, desc)
        result = [i for i in base if all(p(i) for p in predicates)]
    return _limit(result, query)


def _limit(result: list[Item], query: Mapping[str, str]) -> list[Item]:
    """`limit` caps the collection itself, so totalSize reports the capped size."""
    limit = query.get("limit")
    return result if limit is None else result[: max(_int(limit, 0), 0)]


def _is_filter(key: str) -> bool:
    """`year>>=`, `show.title`, `genre!`: a known field, maybe typed, maybe with an operator."""
    match = _FIELD.match(key)
    return bool(match) and match.group(2) in FILTER_FIELDS


def _parse_sort(sort: str) -> tuple[str, bool]:
    first = sort.split(",")[0].strip()
    if not first:
        return "titleSort", False
    field, _, direction = first.partition(":")
    return field.split(".")[-1], direction == "desc"


def _predicate(lib: Library, key: str, raw: str) -> Predicate:
    match = _FIELD.match(key)
    if not match:
        return lambda _i: False
    kind, field, op = match.groups()
    values = [v for v in raw.split(",") if v != ""]
    negate = op in ("!", "!=")
    if field == "genre" and op in ("", "!", "=", "!="):
        by_name = {name.lower(): gid for gid, name in lib.genre_names.items()}
        ids = {int(v) if v.isdigit() else by_name.get(v.lower(), -1) for v in values}
        return lambda item: (
            ids.isdisjoint(item.genres) if negate else not ids.isdisjoint(item.genres)
        )
    getter = _getter(lib, field)
    if op in ("", "!", "&"):
        test = _contains_or_equal
    elif op in ("=", "!="):
        test = _equal
    elif op == ">>":
        test = _after
    elif op == "<<":
        test = _before
    elif op == "<":
        test = lambda a, b: str(a).lower().startswith(b.lower())  # noqa: E731
    elif op == ">":
        test = lambda a, b: str(a).lower().endswith(b.lower())  # noqa: E731
    else:
        return lambda _i: False
    values = [
        _resolve_date(v) if field in ("addedAt", "lastViewedAt", "updatedAt") else v for v in values
    ]

    def check(item: Item) -> bool:
        target = _subject(lib, item, kind)
        if target is None:
            return False
        value = getter(target)
        hit = any(test(value, v) for v in values)
        return not hit if negate else hit

    return check


def _subject(lib: Library, item: Item, kind: str | None) -> Item | None:
    """`show.title=…` on an episode search means the episode's show."""
    if not kind or kind == item.kind:
        return item
    return next((a for a in lib.ancestors(item) if a.kind == kind), None)


def _getter(lib: Library, field: str) -> Callable[[Item], object]:
    simple = {
        "title": lambda i: i.title,
        "year": lambda i: i.year,
        "decade": lambda i: i.year // 10 * 10,
        "rating": lambda i: i.rating,
        "audienceRating": lambda i: i.audience_rating,
        "userRating": lambda i: i.user_rating,
        "duration": lambda i: i.duration,
        "studio": lambda i: i.studio,
        "contentRating": lambda i: i.content_rating,
        "addedAt": lambda i: i.added_at,
        "updatedAt": lambda i: i.added_at,
        "lastViewedAt": lambda i: i.last_viewed_at,
        "viewCount": lambda i: i.view_count,
        "id": lambda i: i.rk,
        "index": lambda i: i.index,
        "resolution": lambda i: i.resolution,
        "unwatched": lambda i: int(_unwatched(lib, i)),
        "inProgress": lambda i: int(bool(i.view_offset)),
        "genre": lambda i: _Tags((g, lib.genre_names[g]) for g in i.genres),
        "director": lambda i: _Tags(_crew_of(lib, i, directors=True)),
        "actor": lambda i: _Tags(_crew_of(lib, i, directors=False)),
    }
    return simple.get(field, lambda _i: None)


def _people(item: Item) -> list[tuple[int, str]]:
    """(id, name) of a film's or episode's director, then its actors; none for other kinds."""
    if item.kind not in _CREWED:
        return []
    director, roles = crew(item.rk)
    return [director] + [(rid, name) for rid, name, _role in roles]


def _crew_of(lib: Library, item: Item, *, directors: bool) -> list[tuple[int, str]]:
    """A film's or episode's director (or actors); a show's are its episodes' together."""
    leaves = lib.leaves(item) if item.kind == "show" else [item]
    return [p for leaf in leaves for p in (_people(leaf)[:1] if directors else _people(leaf)[1:])]


def _unwatched(lib: Library, item: Item) -> bool:
    if item.leaf:
        return item.view_count == 0
    return any(leaf.view_count == 0 for leaf in lib.leaves(item))


class _Tags:
    """A tag list matches a value by id or by (case-insensitive) name."""

    def __init__(self, tags) -> None:
        self.keys = {k for tid, name in tags for k in (str(tid), name.lower())}

    def has(self, value: str) -> bool:
        return value.lower() in self.keys


def _contains_or_equal(actual, wanted: str) -> bool:
    if isinstance(actual, _Tags):
        return actual.has(wanted)
    if isinstance(actual, str):
        return wanted.lower() in actual.lower()
    return _equal(actual, wanted)


def _equal(actual, wanted: str) -> bool:
    if isinstance(actual, _Tags):
        return actual.has(wanted)
    if isinstance(actual, str):
        return actual.lower() == wanted.lower()
    try:
        return float(actual) == float(wanted)
    except (TypeError, ValueError):
        return False


def _after(actual, wanted) -> bool:
    try:
        return float(actual) > float(wanted)
    except (TypeError, ValueError):
        return False


def _before(actual, wanted) -> bool:
    try:
        return float(actual) < float(wanted)
    except (TypeError, ValueError):
        return False


def _resolve_date(value: str) -> str:
    """Relative dates such as -30d are relative to now; dates arrive as epoch seconds."""
    match = _RELATIVE.match(value)
    if match:
        return str(int(time.time()) - int(match.group(1)) * _UNITS[match.group(2)])
    return value
