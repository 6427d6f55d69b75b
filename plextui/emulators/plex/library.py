"""Deterministic library generator and its indexes.

Everything is derived from (seed, size), so a restarted emulator serves the same
library. Items are slotted objects in a list indexed by ratingKey; each section keeps
per-type lists in title order so a page is a slice, never a full-section render.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

from . import names
from .versions import Choices

BASE_TIME = 1_700_000_000  # fixed epoch so generated dates never depend on when we run
TYPE_NUMBERS = {
    "movie": 1,
    "show": 2,
    "season": 3,
    "episode": 4,
    "artist": 8,
    "album": 9,
    "track": 10,
}
COLLECTION_TYPE = 18  # Plex's search type for collections, listed apart from TYPE_NUMBERS
COLLECTION_NAMES = {"movie": "{} Essentials", "show": "{} Binge"}
COLLECTIONS_PER_SECTION = 4
RESOLUTIONS = ("480", "720", "1080", "4k")
LEAF_KINDS = ("movie", "episode", "track")


class Item:
    """One metadata item; mutable watch state lives on it."""

    __slots__ = (
        "rk",
        "kind",
        "section",
        "title",
        "title_lower",
        "title_sort",
        "year",
        "genres",
        "rating",
        "audience_rating",
        "content_rating",
        "studio",
        "duration",
        "added_at",
        "parent",
        "index",
        "children",
        "view_count",
        "view_offset",
        "last_viewed_at",
        "user_rating",
        "resolution",
    )

    def __init__(self, rk: int, kind: str, section: int, title: str, parent: int = 0) -> None:
        self.rk, self.kind, self.section, self.title, self.parent = rk, kind, section, title, parent
        self.title_sort = names.sort_title(title)
        self.title_lower = title.lower()
        self.year = 0
        self.genres: tuple[int, ...] = ()
        self.rating = self.audience_rating = 0.0
        self.content_rating = self.studio = ""
        self.duration = self.added_at = self.index = 0
        self.children: list[int] = []
        self.view_count = self.view_offset = self.last_viewed_at = 0
        self.user_rating = 0.0
        self.resolution = ""

    @property
    def leaf(self) -> bool:
        return self.kind in LEAF_KINDS


@dataclass
class Section:
    id: int
    kind: str  # movie | show | artist
    title: str
    uuid: str
    by_type: dict[int, list[Item]] = field(default_factory=dict)
    genres: list[tuple[int, str]] = field(default_factory=list)
    updated_at: int = BASE_TIME


class Library:
    """The generated library plus lookups the routes need."""

    def __init__(self, seed: int = 1, size: int = 300) -> None:
        self.seed, self.size = seed, max(int(size), 12)
        self.items: list[Item | None] = [None]
        self.sections: dict[int, Section] = {}
        self.genre_names: dict[int, str] = {}
        self.history_seed: list[tuple[int, int, int]] = []  # (rk, account, viewedAt)
        self.deck_removed: dict[int, int] = {}  # rk → lastViewedAt when taken off the deck
        self._sorted: dict[tuple, list[Item]] = {}
        self._by_title: dict[str, int] = {}
        self.choices = Choices()  # each part's selected audio and subtitle stream
        self._generate()

    # ----- lookups -----
    def get(self, rk: int | str) -> Item | None:
        try:
            n = int(rk)
        except (TypeError, ValueError):
            return None
        return self.items[n] if 0 < n < len(self.items) else None

    def find(self, title: str) -> str:
        rk = self._by_title.get(title)
        if rk is None:
            raise KeyError(title)
        return str(rk)

    def children(self, item: Item) -> list[Item]:
        return [self.items[c] for c in item.children]

    def leaves(self, item: Item) -> list[Item]:
        if item.leaf:
            return [item]
        out: list[Item] = []
        for child in self.children(item):
            out.extend(self.leaves(child))
        return out

    def ancestors(self, item: Item) -> list[Item]:
        """Parent first, then grandparent."""
        out, cur = [], item
        while cur.parent:
            cur = self.items[cur.parent]
            out.append(cur)
        return out

    def sorted_items(self, section: Section, type_num: int, key: str, desc: bool) -> list[Item]:
        """Sorted views are built once per (section, type, key, direction) and then sliced."""
        cache_key = (section.id, type_num, key, desc)
        found = self._sorted.get(cache_key)
        if found is None:
            base = section.by_type.get(type_num, [])
            found = sorted(base, key=lambda i: (_sort_value(i, key), i.title_sort), reverse=desc)
            self._sorted[cache_key] = found
        return found

    def on_deck(self, sections: list[Section] | None = None) -> list[Item]:
        """Films and episodes in progress, most recently watched first."""
        secs = list(self.sections.values()) if sections is None else sections
        found = [i for s in secs for t in (1, 4) for i in s.by_type.get(t, []) if i.view_offset]
        removed = self.deck_removed
        found = [i for i in found if removed.get(i.rk, -1) < i.last_viewed_at]
        return sorted(found, key=lambda i: -i.last_viewed_at)

    def remove_from_deck(self, item: Item) -> None:
        """Plex Web's "Remove from Continue Watching": the item leaves the deck, its resume
        point stays; watching it again later brings it back."""
        self.deck_removed[item.rk] = item.last_viewed_at

    def recently_added(self, sections: list[Section] | None = None) -> list[Item]:
        """Newest films, episodes and albums first (at most 50 of each kind per section)."""
        secs = list(self.sections.values()) if sections is None else sections
        merged = [
            i
            for s in secs
            for t in (1, 4, 9)
            for i in self.sorted_items(s, t, "addedAt", True)[:50]
        ]
        return sorted(merged, key=lambda i: -i.added_at)

    def invalidate_sorts(self) -> None:
        """Watch-state sorts (lastViewedAt, viewCount) change when items are played."""
        self._sorted.clear()

    # ----- generation -----
    def _add(self, item: Item) -> Item:
        self.items.append(item)
        self._by_title.setdefault(item.title, item.rk)
        if item.parent:
            self.items[item.parent].children.append(item.rk)
        return item

    def _next_rk(self) -> int:
        return len(self.items)

    def _generate(self) -> None:
        rng = random.Random(self.seed)
        gid = 1
        for kind, sid, title in (
            ("movie", 1, "Movies"),
            ("show", 2, "TV Shows"),
            ("artist", 3, "Music"),
        ):
            sec = Section(sid, kind, title, str(uuid.UUID(int=rng.getrandbits(128))))
            for name in names.MUSIC_GENRES if kind == "artist" else names.GENRES:
                sec.genres.append((gid, name))
                self.genre_names[gid] = name
                gid += 1
            self.sections[sid] = sec
        movies = max(self.size * 40 // 100, 4)
        tv = max(self.size * 35 // 100, 4)
        music = max(self.size - movies - tv, 4)
        self._gen_movies(rng, self.sections[1], movies)
        self._gen_shows(rng, self.sections[2], tv)
        self._gen_music(rng, self.sections[3], music)
        for sec in self.sections.values():
            for items in sec.by_type.values():
                items.sort(key=lambda i: (i.title_sort.lower(), i.rk))
        self._gen_watch_state(rng)
        for sec in (self.sections[1], self.sections[2]):
            self._gen_collections(sec)

    def _common(self, rng: random.Random, item: Item, sec: Section, year: int) -> None:
        item.year = year
        item.added_at = BASE_TIME - rng.randrange(0, 3 * 365 * 86400)
        item.rating = round(rng.uniform(4.0, 9.8), 1)
        item.audience_rating = round(rng.uniform(4.0, 9.8), 1)
        sec.by_type.setdefault(TYPE_NUMBERS[item.kind], []).append(item)

    def _gen_movies(self, rng: random.Random, sec: Section, budget: int) -> None:
        for _ in range(budget):
            item = self._add(Item(self._next_rk(), "movie", sec.id, names.title(rng)))
            self._common(rng, item, sec, rng.randint(1955, 2024))
            item.genres = tuple(g for g, _ in rng.sample(sec.genres, rng.randint(1, 3)))
            item.content_rating = rng.choice(names.CONTENT_RATINGS[:4])
            item.studio = rng.choice(names.STUDIOS)
            item.duration = rng.randint(80, 180) * 60_000 + rng.randint(0, 59_000)
            item.resolution = rng.choices(RESOLUTIONS, (10, 30, 45, 15))[0]

    def _gen_shows(self, rng: random.Random, sec: Section, budget: int) -> None:
        while budget >= 3:  # never leave a show or artist without a leaf
            show = self._add(Item(self._next_rk(), "show", sec.id, names.title(rng)))
            year = rng.randint(1990, 2022)
            self._common(rng, show, sec, year)
            show.genres = tuple(g for g, _ in rng.sample(sec.genres, rng.randint(1, 2)))
            show.content_rating = rng.choice(names.CONTENT_RATINGS[4:])
            show.studio = rng.choice(names.STUDIOS)
            minutes, res = rng.choice((22, 30, 45, 55)), rng.choice(RESOLUTIONS[1:])
            budget -= 1
            for s in range(1, rng.randint(1, 3) + 1):
                if budget <= 0:
                    break
                season = self._add(Item(self._next_rk(), "season", sec.id, f"Season {s}", show.rk))
                self._common(rng, season, sec, year + s - 1)
                season.index, season.genres = s, show.genres
                budget -= 1
                for e in range(1, rng.randint(4, 8) + 1):
                    if budget <= 0:
                        break
                    ep = self._add(
                        Item(self._next_rk(), "episode", sec.id, names.title(rng), season.rk)
                    )
                    self._common(rng, ep, sec, year + s - 1)
                    ep.index, ep.genres, ep.resolution = e, show.genres, res
                    ep.content_rating, ep.studio = show.content_rating, show.studio
                    ep.duration = minutes * 60_000 + rng.randint(-90_000, 90_000)
                    budget -= 1
            show.duration = minutes * 60_000

    def _gen_music(self, rng: random.Random, sec: Section, budget: int) -> None:
        while budget >= 3:  # never leave a show or artist without a leaf
            artist = self._add(Item(self._next_rk(), "artist", sec.id, names.band(rng)))
            self._common(rng, artist, sec, 0)
            artist.genres = (rng.choice(sec.genres)[0],)
            budget -= 1
            for a in range(1, rng.randint(1, 3) + 1):
                if budget <= 0:
                    break
                album = self._add(
                    Item(self._next_rk(), "album", sec.id, names.title(rng), artist.rk)
                )
                self._common(rng, album, sec, rng.randint(1965, 2024))
                album.index, album.genres, album.studio = (
                    a,
                    artist.genres,
                    rng.choice(names.STUDIOS),
                )
                budget -= 1
                for t in range(1, rng.randint(5, 10) + 1):
                    if budget <= 0:
                        break
                    track = self._add(
                        Item(self._next_rk(), "track", sec.id, names.title(rng), album.rk)
                    )
                    self._common(rng, track, sec, album.year)
                    track.index, track.genres = t, album.genres
                    track.duration = rng.randint(120, 360) * 1000
                    budget -= 1

    def _gen_collections(self, sec: Section) -> None:
        """A few collections per film and TV section, one per genre (members in release
        order); made after everything else so no other item's ratingKey moves."""
        main = sec.by_type.get(TYPE_NUMBERS[sec.kind], [])
        made = sec.by_type.setdefault(COLLECTION_TYPE, [])
        for gid, genre in sec.genres:
            members = [i for i in main if gid in i.genres][:12]
            if len(members) < 2:
                continue
            title = COLLECTION_NAMES[sec.kind].format(genre)
            coll = self._add(Item(self._next_rk(), "collection", sec.id, title))
            coll.children = [i.rk for i in sorted(members, key=lambda i: (i.year, i.title_sort))]
            coll.added_at = max(i.added_at for i in members)
            coll.genres = (gid,)
            made.append(coll)
            if len(made) == COLLECTIONS_PER_SECTION:
                break
        made.sort(key=lambda i: (i.title_sort.lower(), i.rk))

    def _gen_watch_state(self, rng: random.Random) -> None:
        """Some items watched, some half-way (on deck), and history spread over accounts."""
        for item in self.items[1:]:
            if not item.leaf:
                continue
            roll = rng.random()
            if roll < 0.25:
                item.view_count = rng.randint(1, 3)
                item.last_viewed_at = BASE_TIME - rng.randrange(3600, 60 * 86400)
            elif roll < 0.33 and item.kind != "track":
                item.view_offset = rng.randint(1, max(item.duration // 60_000 - 1, 1)) * 60_000
                item.last_viewed_at = BASE_TIME - rng.randrange(3600, 60 * 86400)
            if item.view_count and len(self.history_seed) < 400:
                for _ in range(item.view_count):
                    account = rng.choice((1, 1, 2, 3, 4))
                    self.history_seed.append(
                        (item.rk, account, item.last_viewed_at - rng.randrange(0, 86400))
                    )
        self.history_seed.sort(key=lambda h: h[2])


def _sort_value(item: Item, key: str):
    if key in ("titleSort", "title"):
        return item.title_sort.lower()
    if key == "originallyAvailableAt":
        return item.year
    if key == "userRating":
        return item.user_rating
    if key == "audienceRating":
        return item.audience_rating
    if key == "index":
        return item.index
    return {
        "addedAt": item.added_at,
        "updatedAt": item.added_at,
        "year": item.year,
        "rating": item.rating,
        "duration": item.duration,
        "lastViewedAt": item.last_viewed_at,
        "viewCount": item.view_count,
        "viewOffset": item.view_offset,
    }.get(key, item.title_sort.lower())
