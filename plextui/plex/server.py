"""PlexService: async methods over plexapi, run in a bounded thread pool.

plexapi is synchronous; every call here runs in a worker thread and comes back as frozen
models, so the Textual loop never waits on the network. Errors leave this module only as
plextui errors with messages fit for a user (no URLs with tokens, no tracebacks).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode
from xml.etree import ElementTree

from plextui.cache.base import Cache, is_namespace
from plextui.core.models import (
    Library,
    MediaItem,
    Page,
)
from plextui.errors import MediaError, PlexError, UnreachableError
from plextui.plex import convert
from plextui.plex.activity import ActivityOps
from plextui.plex.browse import BrowseOps
from plextui.plex.direct import DirectServer, search_hits, search_path
from plextui.plex.playlists import PlaylistOps
from plextui.plex.reads import CachedReads, translated

log = logging.getLogger("plextui.plex")
T = TypeVar("T")

SECTION_TYPES = {"movie": 1, "show": 2, "artist": 8, "photo": 13}
SORTS = {
    "title": "titleSort:asc",
    "added": "addedAt:desc",
    "year": "year:desc",
    "rating": "rating:desc",
    "played": "lastViewedAt:desc",
}
FILTERABLE = ("year", "decade", "genre", "director", "actor")
DEADLINE = 60.0  # seconds for a whole request; the emulator's 100 000-item page takes ~20 s
MAX_ANSWER_BYTES = 512 * 2**20  # the emulator's 100 000-item page is 223 MB


@dataclass(frozen=True)
class ServerInfo:
    name: str
    version: str
    machine_identifier: str
    url: str


class PlexService(CachedReads, PlaylistOps, ActivityOps, BrowseOps):
    """The server side of plextui; one instance per configured server."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        client_id: str = "",
        timeout: float = 10.0,
        deadline: float = DEADLINE,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        workers: int = 8,
        retries: int = 2,
        sleep: Callable[[float], Any] = asyncio.sleep,
        cache: Cache | None = None,
        search_ttl: float = 300.0,
    ) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self.client_id = client_id or f"plextui-{uuid.uuid4()}"
        self.timeout = timeout
        self.deadline = deadline
        self.max_answer_bytes = max_answer_bytes
        self.retries = retries
        self._sleep = sleep
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="plex")
        self._plex: Any = None  # plexapi's PlexServer, at first use (see `plex`)
        self._opening = threading.Lock()
        self._http: Any = None  # the bounded requests.Session its requests go through
        self._direct = threading.local()  # each worker's DirectServer (see `_get`)
        self._ahead: dict[str, tuple[float, Any]] = {}  # key → (when, value): read_ahead's
        self._ahead_thread: int | None = None  # the thread whose reads are kept (read_ahead)
        self._genres: dict[str, dict[str, str]] = {}
        self._accounts: dict[int, str] | None = None
        self.info: ServerInfo | None = None
        self.cache = cache
        self.cache_namespace: str | None = None
        self.search_ttl = search_ttl
        self.offline = False  # the last read came from the cache because the server was away
        self._flights: dict[str, Future] = {}  # reads under way, joined by the same read
        self._flights_lock = threading.Lock()
        self.written: list[Callable[[tuple[str, ...]], None]] = []  # told after our writes

    # --- plumbing ------------------------------------------------------------------------

    @property
    def plex(self) -> Any:
        """plexapi's PlexServer, opened at its first use from the identity `connect` read
        (no request): the first screen's reads (`_get`) never load plexapi."""
        if self._plex is None:
            if self.info is None:
                raise UnreachableError("not connected to a Plex server yet")
            with self._opening:
                if self._plex is None:
                    self._open(self.info.machine_identifier)
        return self._plex

    def _get(self, path: str, headers: dict[str, str] | None = None) -> ElementTree.Element:
        """GET `path` as XML on this worker thread's own connection (plex/direct.py)."""
        direct = getattr(self._direct, "server", None)
        if direct is None:
            direct = self._direct.server = DirectServer(self.url, self._token, **self._bounds())
        return direct.get(path, headers)

    def _bounds(self) -> dict[str, Any]:
        """Who asks, and the bounds on every request, whichever way it goes."""
        return {
            "client_id": self.client_id,
            "timeout": self.timeout,
            "deadline": self.deadline,
            "max_bytes": self.max_answer_bytes,
        }

    @property
    def token(self) -> str:
        return self._token

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking plexapi call in the pool, translating its errors."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, fn, *args)
        except Exception as error:  # noqa: BLE001 - every failure becomes a user message
            raise translated(error, self.url, self.timeout) from None

    async def connect(self) -> ServerInfo:
        """Connect, retrying unreachable servers with backoff; a bad token fails at once."""
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                root = await self.run(self._get, "/")
                break
            except UnreachableError:
                if attempt == self.retries:
                    raise
                await self._sleep(delay)
                delay *= 2
        machine_id = root.attrib.get("machineIdentifier", "")
        if not is_namespace(machine_id):
            what = "without a" if not machine_id else f"with an unusable ({machine_id[:40]!r})"
            raise PlexError(
                f"the server at {self.url} answered {what} machineIdentifier;"
                " is it a Plex Media Server?"
            )
        self._plex = None  # a server seen before at this URL may be another one now
        name, version = root.attrib.get("friendlyName", ""), root.attrib.get("version", "")
        self.info = ServerInfo(name, version, machine_id, self.url)
        return self.info

    def assume(self, machine_id: str) -> ServerInfo:
        """Take the server at this URL to be the one last seen there, without asking: the
        first request a command makes is then its own (`ctl`'s one round trip). A server
        that went away, or refuses the token, says so on that request."""
        self._plex = None
        self.info = ServerInfo("", "", machine_id, self.url)
        return self.info

    def _open(self, machine_id: str) -> None:
        """plexapi's PlexServer (loaded now, not with this module); every request it makes
        for us is bounded in size and in time."""
        from plextui.plex.opening import open_server

        self._plex, self._http = open_server(
            self.url, self._token, machine_id=machine_id, **self._bounds()
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _page(self, key: str, start: int, size: int, **convert_kw: Any) -> Page:
        headers = {"X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(size)}
        data = self._get(key, headers)
        items = convert.items(data)  # from the XML: plexapi objects for 100 rows cost 30 ms
        total = int(data.attrib.get("totalSize") or data.attrib.get("size") or len(items))
        return Page(tuple(convert.media_item(i, **convert_kw) for i in items), start, total)

    # --- libraries and browsing ---------------------------------------------------------

    async def libraries(self) -> list[Library]:
        def count(section: ElementTree.Element) -> int:
            kind = SECTION_TYPES.get(section.attrib.get("type", ""), 1)
            key = f"/library/sections/{section.attrib.get('key')}/all?type={kind}"
            data = self._get(key, {"X-Plex-Container-Size": "0"})
            return int(data.attrib.get("totalSize") or 0)

        def fetch() -> list[Library]:
            # `/library/sections` itself: plexapi's `library` would ask `/library` first
            path = "/library/sections"
            sections = [d for d in self._get(path) if d.tag == "Directory"]
            with ThreadPoolExecutor(max_workers=4, thread_name_prefix="plex-count") as counts:
                totals = list(counts.map(count, sections))  # one round trip for all sections
            return [convert.library(s, n) for s, n in zip(sections, totals, strict=True)]

        return await self._ask("libraries", list[Library], fetch)

    def section_key(
        self, section: Library, sort: str = "title", filters: dict[str, Any] | None = None
    ) -> str:
        """The `all` URL of a section view: type, sort and filters as PMS query params."""
        params: dict[str, Any] = {"type": SECTION_TYPES.get(section.type, 1)}
        params["sort"] = SORTS.get(sort, sort)
        for name, value in (filters or {}).items():
            if name == "unwatched" and value:
                params["unwatched"] = 1
            elif name in FILTERABLE and value not in (None, ""):
                params[name] = value
        return f"/library/sections/{section.key}/all?{urlencode(params)}"

    async def browse(
        self,
        section: Library,
        start: int = 0,
        size: int = 100,
        sort: str = "title",
        filters: dict[str, Any] | None = None,
    ) -> Page:
        """One page of a section; never the whole section."""
        filters = dict(filters or {})

        def fetch() -> Page:
            if filters.get("genre"):
                filters["genre"] = self._genre_key(section.key, str(filters["genre"]))
            return self._page(self.section_key(section, sort, filters), start, size)

        shape = json.dumps(filters, sort_keys=True)
        key = f"page:{section.key}:{sort}:{shape}:{start}:{size}"
        return await self._ask(key, Page, fetch)

    async def first_characters(
        self, section: Library, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, int]]:
        """(letter, count) in title order, so a list can jump to a letter by offset."""
        filters = dict(filters or {})

        def fetch() -> list[tuple[str, int]]:
            if filters.get("genre"):
                filters["genre"] = self._genre_key(section.key, str(filters["genre"]))
            path = self.section_key(section, "title", filters).replace("/all?", "/firstCharacter?")
            data = self.plex.query(path)
            return [(d.attrib.get("key", "#"), int(d.attrib.get("size", 0))) for d in data]

        shape = json.dumps(filters, sort_keys=True)
        return await self._ask(f"letters:{section.key}:{shape}", list, fetch)

    def _genre_key(self, section_key: str, genre: str) -> str:
        """Genre filters take the choice key; resolve a title once per section."""
        if section_key not in self._genres:
            data = self.plex.query(f"/library/sections/{section_key}/genre")
            self._genres[section_key] = {
                d.attrib.get("title", "").lower(): d.attrib.get("key", "") for d in data
            }
        return self._genres[section_key].get(genre.lower(), genre)

    async def genres(self, section: Library) -> list[str]:
        def fetch() -> list[str]:
            data = self.plex.query(f"/library/sections/{section.key}/genre")
            return [d.attrib.get("title", "") for d in data]

        return await self.run(fetch)

    async def children(self, item: MediaItem, start: int = 0, size: int = 200) -> Page:
        """Seasons of a show, episodes of a season, albums of an artist, tracks of an album."""
        path = f"/library/metadata/{item.rating_key}/children"
        key = f"children:{item.rating_key}:{start}:{size}"
        return await self._ask(key, Page, lambda: self._page(path, start, size))

    async def leaves(self, item: MediaItem, size: int = 500) -> Page:
        """Every episode of a show (or track of an artist), in order."""
        path = f"/library/metadata/{item.rating_key}/allLeaves"
        key = f"leaves:{item.rating_key}:{size}"
        return await self._ask(key, Page, lambda: self._page(path, 0, size))

    async def item(self, rating_key: str) -> MediaItem:
        def fetch() -> MediaItem:
            return convert.media_item(self.plex.fetchItem(int(rating_key)), with_streams=True)

        return await self._ask(f"item:{rating_key}", MediaItem, fetch)

    async def search(
        self, query: str, *, section: Library | None = None, limit: int = 10
    ) -> list[MediaItem]:
        """Hub search across libraries (or one), playable and browsable kinds only."""

        def fetch() -> list[MediaItem]:
            sid = int(section.key) if section is not None else None
            return search_hits(self.plex.query(search_path(query, limit, sid)))

        key = f"search:{section.key if section else '*'}:{limit}:{query.casefold()}"
        return await self._ask(key, list[MediaItem], fetch, self.search_ttl)

    async def on_deck(self, size: int = 50) -> Page:
        fetch = partial(self._page, "/library/onDeck", 0, size)
        return await self._ask(f"deck:{size}", Page, fetch, self.search_ttl)

    async def recently_added(self, size: int = 50) -> Page:
        fetch = partial(self._page, "/library/recentlyAdded", 0, size)
        return await self._ask(f"recent:{size}", Page, fetch, self.search_ttl)

    async def up_next(
        self, queue_id: int, after: int | None = None, size: int = 50
    ) -> list[MediaItem]:
        """The play queue's items after queue item `after` (its selected item when None):
        what a player plays next. Never cached: a queue changes as it plays."""

        def fetch() -> list[MediaItem]:
            from plexapi.playqueue import PlayQueue

            queue = PlayQueue.get(self.plex, queue_id, window=size)
            current = after if after is not None else queue.playQueueSelectedItemID
            ids = [getattr(i, "playQueueItemID", None) for i in queue.items]
            start = ids.index(current) + 1 if current in ids else 0
            return [convert.media_item(i) for i in queue.items[start:]]

        return await self.run(fetch)

    async def view_offset(self, item: MediaItem) -> int:
        """The stored resume point, always fresh from the server (never the cache)."""

        def fetch() -> int:
            return int(getattr(self.plex.fetchItem(int(item.rating_key)), "viewOffset", 0) or 0)

        return await self.run(fetch)

    async def mark_watched(self, item: MediaItem, watched: bool = True) -> None:
        verb = "scrobble" if watched else "unscrobble"
        key = f"/:/{verb}?key={item.rating_key}&identifier=com.plexapp.plugins.library"
        await self.run(self.plex.query, key)
        # "item:" whole: a season's and a show's counts change too, and an item does not
        # know its parents' keys
        await self.forget("item:", "page:", "children:", "leaves:", "deck", "recent", "search:")

    async def poster(self, thumb: str, width: int = 300, height: int = 450) -> bytes:
        """Poster bytes through the server's photo transcoder, cached (size-capped LRU)."""
        key = f"poster:{thumb}:{width}x{height}"

        def fetch() -> bytes:
            if self.cache is not None and (data := self.cache.get_bytes(key)) is not None:
                return data
            url = self.plex.transcodeImage(thumb, height, width)
            response = self._http.get(url, timeout=self.timeout)
            if response.status_code != 200:
                raise MediaError(f"no poster ({response.status_code})")
            if self.cache is not None:
                self.cache.set_bytes(key, response.content)
            return response.content

        return await self.run(fetch)
