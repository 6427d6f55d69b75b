"""Word lists that make generated titles, summaries and people look believable."""

from __future__ import annotations

import random

ADJECTIVES = [
    "Silent",
    "Crimson",
    "Last",
    "Hidden",
    "Broken",
    "Golden",
    "Distant",
    "Frozen",
    "Wild",
    "Midnight",
    "Electric",
    "Lost",
    "Quiet",
    "Burning",
    "Hollow",
    "Iron",
    "Velvet",
    "Paper",
    "Northern",
    "Secret",
    "Endless",
    "Bright",
    "Savage",
    "Gentle",
    "Forgotten",
    "Scarlet",
    "Restless",
    "Hollow",
    "Invisible",
    "Bitter",
    "Lucky",
    "Wicked",
    "Lonely",
    "Brave",
    "Sunken",
    "Glass",
    "Neon",
]
NOUNS = [
    "Harbor",
    "Kingdom",
    "River",
    "Signal",
    "Empire",
    "Garden",
    "Horizon",
    "Machine",
    "Winter",
    "Orchard",
    "Frontier",
    "Compass",
    "Lantern",
    "Mirror",
    "Voyage",
    "Tide",
    "Summit",
    "Station",
    "Canyon",
    "Citadel",
    "Island",
    "Meadow",
    "Archive",
    "Circuit",
    "Promise",
    "Witness",
    "Shadow",
    "Engine",
    "Carnival",
    "Republic",
    "Lighthouse",
    "Prophecy",
    "Satellite",
    "Labyrinth",
]
PLACES = [
    "Avalon",
    "Berlin",
    "Cairo",
    "Dover",
    "Eden",
    "Fargo",
    "Galway",
    "Havana",
    "Ithaca",
    "Juneau",
    "Kyoto",
    "Lisbon",
]
FIRST = [
    "Ava",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Felix",
    "Grace",
    "Hugo",
    "Iris",
    "Jonah",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olive",
    "Priya",
]
LAST = [
    "Archer",
    "Bell",
    "Castillo",
    "Dunn",
    "Ellis",
    "Fischer",
    "Grant",
    "Hale",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lund",
    "Moreau",
]
STUDIOS = (
    "Northlight Pictures",
    "Blue Harbor Films",
    "Red Canyon Studios",
    "Meridian Entertainment",
    "Paper Lantern Media",
    "Ironwood Productions",
)
GENRES = [
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Mystery",
    "Romance",
    "Science-Fiction",
    "Thriller",
    "Western",
]
MUSIC_GENRES = [
    "Rock",
    "Jazz",
    "Electronic",
    "Folk",
    "Classical",
    "Hip-Hop",
    "Ambient",
    "Soul",
    "Indie",
    "Pop",
]
CONTENT_RATINGS = ("G", "PG", "PG-13", "R", "TV-14", "TV-MA")
BANDS = [
    "Echoes",
    "Wolves",
    "Satellites",
    "Orchestra",
    "Collective",
    "Machines",
    "Ghosts",
    "Tides",
    "Pilots",
]
VERBS = [
    "discovers",
    "uncovers",
    "escapes",
    "confronts",
    "inherits",
    "chases",
    "survives",
    "protects",
    "betrays",
]
THINGS = (
    "a forgotten map",
    "a stolen fortune",
    "an ancient curse",
    "a dangerous secret",
    "an impossible choice",
    "the truth about their past",
    "a lost city",
    "a rival crew",
)


def title(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.4:
        return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if shape < 0.7:
        return f"{rng.choice(NOUNS)} of {rng.choice(PLACES)}"
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def band(rng: random.Random) -> str:
    return f"The {rng.choice(ADJECTIVES)} {rng.choice(BANDS)}"


def summary(key: int, name: str) -> str:
    """Deterministic one-line synopsis, computed on demand so 200 000 items stay cheap."""
    rng = random.Random(key)
    who = person(rng)
    return (
        f"When {who} {rng.choice(VERBS)} {rng.choice(THINGS)}, nothing about {name} "
        f"will ever be the same. A story of {rng.choice(THINGS)} and {rng.choice(THINGS)}."
    )


def sort_title(name: str) -> str:
    """Plex sorts ignoring a leading article."""
    for article in ("The ", "A ", "An "):
        if name.startswith(article):
            return name[len(article) :]
    return name


def credited(n: int) -> str:
    """The name behind a person tag id, the same wherever the tag appears."""
    return f"{FIRST[n % len(FIRST)]} {LAST[(n // 3) % len(LAST)]}"


def crew(rk: int) -> tuple[tuple[int, str], tuple[tuple[int, str, str], ...]]:
    """A film's or episode's director (id, name) and three roles (id, name, character):
    rendered as Director/Role tags and matched by the `director` and `actor` filters."""
    director = (9000 + rk % 50, credited(rk))
    roles = tuple(
        (8000 + (rk + k) % 80, credited(rk + k + 1), f"Character {k + 1}") for k in range(3)
    )
    return director, roles
