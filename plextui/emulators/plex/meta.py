"""The `includeMeta=1` Meta block and filter-choice lists plexapi needs before it sorts or filters."""

from __future__ import annotations

from .library import TYPE_NUMBERS, Library, Section
from .names import crew
from .xml import tag

SECTION_TYPES = {
    "movie": ("movie",),
    "show": ("show", "season", "episode"),
    "artist": ("artist", "album", "track"),
}
TYPE_TITLES = {"movie": "Movies", "show": "TV Shows", "season": "Seasons", "episode": "Episodes",
               "artist": "Artists", "album": "Albums", "track": "Tracks"}  # fmt: skip
FIELDS = (
    ("title", "Title", "string"),
    ("year", "Year", "integer"),
    ("genre", "Genre", "tag"),
    ("director", "Director", "tag"),
    ("actor", "Actor", "tag"),
    ("studio", "Studio", "string"),
    ("contentRating", "Content Rating", "tag"),
    ("rating", "Critic Rating", "integer"),
    ("audienceRating", "Audience Rating", "integer"),
    ("userRating", "User Rating", "integer"),
    ("duration", "Duration", "integer"),
    ("viewCount", "Plays", "integer"),
    ("unwatched", "Unplayed", "boolean"),
    ("inProgress", "In Progress", "boolean"),
    ("addedAt", "Date Added", "date"),
    ("lastViewedAt", "Last Played", "date"),
    ("resolution", "Resolution", "resolution"),
)
FILTERS = (
    ("genre", "Genre", "string"),
    ("director", "Director", "string"),
    ("actor", "Actor", "string"),
    ("year", "Year", "integer"),
    ("decade", "Decade", "integer"),
    ("contentRating", "Content Rating", "string"),
    ("resolution", "Resolution", "string"),
    ("unwatched", "Unplayed", "boolean"),
    ("inProgress", "In Progress", "boolean"),
)
SORTS = (
    ("titleSort", "Title", "asc"),
    ("addedAt", "Date Added", "desc"),
    ("originallyAvailableAt", "Release Date", "desc"),
    ("year", "Year", "desc"),
    ("rating", "Critic Rating", "desc"),
    ("audienceRating", "Audience Rating", "desc"),
    ("userRating", "User Rating", "desc"),
    ("duration", "Duration", "desc"),
    ("lastViewedAt", "Last Played", "desc"),
    ("viewCount", "Plays", "desc"),
)
OPERATORS = {
    "tag": (("=", "is"), ("!=", "is not")),
    "resolution": (("=", "is"), ("!=", "is not")),
    "integer": (("=", "is"), ("!=", "is not"), (">>=", "is greater than"), ("<<=", "is less than")),
    "string": (("=", "contains"), ("!=", "does not contain"), ("==", "is"), ("!==", "is not"),
               ("<=", "begins with"), (">=", "ends with")),
    "boolean": (("=", "is true"), ("!=", "is false")),
    "date": (("<<=", "is before"), (">>=", "is after")),
}  # fmt: skip


def meta(section: Section) -> str:
    sid, body = section.id, []
    for n, kind in enumerate(SECTION_TYPES[section.kind]):
        num, prefix = TYPE_NUMBERS[kind], "" if n == 0 else f"{kind}."
        qs = "" if n == 0 else f"?type={num}"
        parts = [
            tag(
                "Filter",
                {
                    "filter": f,
                    "filterType": ft,
                    "key": f"/library/sections/{sid}/{f}{qs}",
                    "title": title,
                    "type": "filter",
                },
            )
            for f, title, ft in FILTERS
        ]
        for i, (key, title, direction) in enumerate(SORTS):
            parts.append(
                tag(
                    "Sort",
                    {
                        "default": direction if i == 0 else None,
                        "active": 1 if i == 0 else None,
                        "defaultDirection": direction,
                        "descKey": f"{key}:desc",
                        "key": key,
                        "title": title,
                        "firstCharacterKey": f"/library/sections/{sid}/firstCharacter"
                        if i == 0
                        else None,
                    },
                )
            )
        parts += [
            tag("Field", {"key": prefix + key, "title": title, "type": ft})
            for key, title, ft in FIELDS
        ]
        body.append(
            tag(
                "Type",
                {
                    "key": f"/library/sections/{sid}/all?type={num}",
                    "type": kind,
                    "title": TYPE_TITLES[kind],
                    "active": int(n == 0),
                },
                "".join(parts),
            )
        )
    body.append(field_types())
    return tag("Meta", {}, "".join(body))


def collections_meta(section: Section) -> str:
    fields = tag("Field", {"key": "title", "title": "Title", "type": "string"})
    sort = tag(
        "Sort",
        {
            "defaultDirection": "asc",
            "descKey": "titleSort:desc",
            "key": "titleSort",
            "title": "Title",
        },
    )
    kind = tag(
        "Type",
        {
            "key": f"/library/sections/{section.id}/collections",
            "type": "collection",
            "title": "Collections",
            "active": 0,
        },
        fields + sort,
    )
    return tag("Meta", {}, kind + field_types())


def field_types() -> str:
    return "".join(
        tag(
            "FieldType",
            {"type": t},
            "".join(tag("Operator", {"key": k, "title": v}) for k, v in ops),
        )
        for t, ops in OPERATORS.items()
    )


def filter_choices(lib: Library, section: Section, name: str) -> list[dict] | None:
    """Directory entries for /library/sections/{id}/{filter}; None for an unknown filter."""
    sid = section.id
    if name == "genre":  # those the section's own items have, as PMS lists them
        used = {g for i in section.by_type.get(TYPE_NUMBERS[section.kind], []) for g in i.genres}
        pairs = [(str(g), t) for g, t in section.genres if g in used]
    elif name == "year":  # of the section's own kind (shows, not their episodes)
        years = sorted({i.year for i in section.by_type.get(TYPE_NUMBERS[section.kind], [])})
        pairs = [(str(y), str(y)) for y in years if y]
    elif name == "decade":
        main = section.by_type.get(TYPE_NUMBERS[section.kind], [])
        decades = sorted({i.year // 10 * 10 for i in main if i.year})
        pairs = [(str(d), f"{d}s") for d in decades]
    elif name == "contentRating":
        ratings = sorted(
            {
                i.content_rating
                for items in section.by_type.values()
                for i in items
                if i.content_rating
            }
        )
        pairs = [(r, r) for r in ratings]
    elif name == "resolution":
        pairs = [("4k", "4K"), ("1080", "1080p"), ("720", "720p"), ("480", "SD")]
    elif name in ("director", "actor"):
        leaves = [i for t in (1, 4) for i in section.by_type.get(t, [])]
        people = {}
        for item in leaves:
            director, roles = crew(item.rk)
            for pid, person in [director] if name == "director" else [r[:2] for r in roles]:
                people[pid] = person
        pairs = [(str(pid), person) for pid, person in sorted(people.items(), key=lambda p: p[1])]
    elif name in ("unwatched", "inProgress"):
        pairs = [("1", "True")]
    else:
        return None
    return [
        {"fastKey": f"/library/sections/{sid}/all?{name}={k}", "key": k, "title": t, "type": name}
        for k, t in pairs
    ]
