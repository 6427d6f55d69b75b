"""Finding players the way Plex clients do, merged by machine identifier.

Four places know about players: the server (`/clients`, players it has seen), GDM (players
on the LAN answer an M-SEARCH), plex.tv (resources providing `player` on a signed-in
account) and the user (`plex.players`, `ctl players add URL`). One player may turn up in
several; it is listed once with every place it came from. A player found at its own
address is probed (GET /resources, which plexapi's PlexClient does on connect) and then
commanded directly; one that does not answer is listed as unreachable and never commanded
(an UnreachablePlayer, unreachable.py).
Every step is bounded in time and runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from plexapi.client import PlexClient
from plexapi.exceptions import BadRequest, NotFound, PlexApiException

from plextui.core.models import PlayerInfo
from plextui.errors import CommandError, PlextuiError
from plextui.plex import account, gdm, remembered
from plextui.plex.players import Player, RemotePlayer
from plextui.plex.remembered import GDM, PLEXTV
from plextui.plex.server import PlexService
from plextui.plex.unreachable import UnreachablePlayer

log = logging.getLogger("plextui.discovery")

SERVER, MANUAL = "server", "manual"
ORDER = (SERVER, GDM, PLEXTV, MANUAL)
COMPANION_PORT = 32500  # a Plex player's companion port when an address names none


@dataclass(frozen=True)
class DiscoverySettings:
    """Where to look besides the server; the defaults look nowhere else (tests, plain use)."""

    addresses: tuple[str, ...] = ()  # plex.players
    gdm_targets: tuple[str, ...] = ()
    gdm_timeout: float = 0.0  # 0: no GDM
    probe_timeout: float = 2.0  # GET /resources on a player
    plextv_token: str = ""  # a signed-in account's token: ask plex.tv for its players
    client_id: str = "plextui"


def normalise_address(text: str) -> str:
    """`192.168.1.20:3000` or `http://…` → `http://192.168.1.20:3000`; a clear error else."""
    raw = text.strip()
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    try:
        port = parts.port or COMPANION_PORT
    except ValueError:
        port = None
    if parts.scheme not in ("http", "https") or not parts.hostname or port is None:
        raise CommandError(
            f"'{raw}' is not a player address; use http://HOST:PORT, like http://192.168.1.20:32500"
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}"


def _why(error: BaseException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        return "refused" if "refused" in str(error).lower() else "unreachable"
    if isinstance(error, NotFound):
        return "another player answers there" if "identifier" in str(error) else "not a player"
    if isinstance(error, PlexApiException):
        return "answered with an error"
    return type(error).__name__


async def _nothing() -> list:
    return []


def _distinct(players: list[Player]) -> list[Player]:
    """Two machines with one name (two "Living Room TV"s) are told apart by address: the
    first keeps the name, the others get `Name (host:port)`."""
    taken: set[str] = set()
    for player in players:
        name = player.info.name
        if name.casefold() in taken and player.info.address:
            where = player.info.address.split("://", 1)[-1]
            player.info = dataclasses.replace(player.info, name=f"{name} ({where})")
        taken.add(player.info.name.casefold())
    return players


@dataclass
class _Sighting:
    """Everything learned about one machine while discovery runs."""

    sources: set[str] = field(default_factory=set)
    direct: PlexClient | None = None  # answered at its own address
    listed: PlexClient | None = None  # the server's entry
    name: str = ""
    address: str = ""
    why: str = ""


class Discovery:
    """Runs one discovery pass on demand; keeps players alive across passes so a player's
    state (its route, its last timeline) survives a refresh."""

    def __init__(
        self,
        service: PlexService,
        settings: DiscoverySettings | None = None,
        save_addresses: Callable[[list[str]], None] | None = None,
        memory: Path | None = None,
    ) -> None:
        self.service = service
        self.settings = settings or DiscoverySettings()
        self.save_addresses = save_addresses
        self.memory = memory  # players found before (a state file), see _recall
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="discovery")
        self._known: dict[str, tuple[str, RemotePlayer]] = {}  # id → (its URL, player)

    # --- one pass --------------------------------------------------------------------

    async def players(self, full: bool = True) -> list[Player]:
        """Every player found, each once; raises only when the server itself fails.

        A quick pass (`full=False`, what commands use) asks the server, the addresses
        given and the players found before; a full one (`ctl players`, the picker, a
        name not found) also searches by GDM and asks plex.tv."""
        s = self.settings
        server = asyncio.ensure_future(self.service.run(self._server_clients))
        probes: dict[str, asyncio.Future] = {}
        for url in s.addresses:
            self._probe_later(probes, url, None)
        recalled = await self._thread(self._recall)
        for ident, known in recalled.items():
            self._probe_later(probes, known["url"], ident)
        announced, resources = await asyncio.gather(
            self._thread(gdm.search, list(s.gdm_targets), s.gdm_timeout if full else 0),
            self._thread(self._plextv_players) if full else _nothing(),
        )
        for answer in announced:
            self._probe_later(probes, answer.url, answer.machine_identifier)
        tv_probes = {
            r.client_identifier: asyncio.ensure_future(self._thread(self._probe_any, r))
            for r in resources
        }
        listed = await server  # a server error is the user's first problem: it propagates
        results = dict(zip(probes, await asyncio.gather(*probes.values()), strict=True))
        tv_results = dict(zip(tv_probes, await asyncio.gather(*tv_probes.values()), strict=True))

        seen: dict[str, _Sighting] = {}
        for client in listed:
            entry = seen.setdefault(client.machineIdentifier, _Sighting())
            entry.sources.add(SERVER)
            entry.listed = client
        for answer in announced:
            result = results[answer.url]
            self._note(seen, GDM, answer.url, result, answer.name, answer.machine_identifier)
        for resource in resources:
            client, url, why = tv_results[resource.client_identifier]
            self._note(seen, PLEXTV, url, client or why, resource.name, resource.client_identifier)
        for url in s.addresses:
            self._note(seen, MANUAL, url, results[url], url)
        for ident, known in recalled.items():  # forgotten when it no longer answers
            if isinstance(result := results[known["url"]], PlexClient):
                for source in known["found_by"]:
                    self._note(seen, source, known["url"], result, known["name"], ident)
        found = [self._backend(key, entry) for key, entry in seen.items()]
        await self._thread(self._keep, found)
        return _distinct(found)

    async def _thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def _probe_later(self, probes: dict[str, asyncio.Future], url: str, ident: str | None) -> None:
        if url not in probes:
            probes[url] = asyncio.ensure_future(self._thread(self._probe, url, ident))

    @staticmethod
    def _note(
        seen: dict[str, _Sighting],
        source: str,
        url: str,
        result: PlexClient | str,
        name: str,
        ident: str | None = None,
    ) -> None:
        """Record one sighting: a client that answered is keyed by its own identifier."""
        if isinstance(result, PlexClient):
            entry = seen.setdefault(result.machineIdentifier, _Sighting())
            entry.direct = entry.direct or result
        else:
            entry = seen.setdefault(ident or url, _Sighting())
            entry.why = entry.why or result
        entry.sources.add(source)
        entry.name = entry.name or name
        entry.address = entry.address or url

    def _backend(self, key: str, entry: _Sighting) -> Player:
        client = entry.direct or entry.listed
        found_by = tuple(s for s in ORDER if s in entry.sources)
        if client is None:
            info = PlayerInfo(
                name=entry.name,
                machine_identifier="" if key == entry.address else key,
                address=entry.address,
                reachable=False,
                found_by=found_by,
            )
            return UnreachablePlayer(info, entry.why)
        url = client._baseurl
        known = self._known.get(key)
        if known is None or known[0] != url:
            known = self._known[key] = (url, RemotePlayer(self.service, client))
        player = known[1]
        player.info = dataclasses.replace(  # a name _distinct changed is set afresh
            player.info,
            name=client.title or entry.name,
            address=url,
            found_by=found_by,
            reachable=True,
        )
        return player

    # --- the blocking steps (worker threads) -----------------------------------------

    def _server_clients(self) -> list[PlexClient]:
        try:
            return self.service.plex.clients()
        except (NotFound, BadRequest):
            return []

    def _probe(self, url: str, ident: str | None) -> PlexClient | str:
        """The player at `url` (GET /resources), or why it did not answer."""
        client = PlexClient(
            baseurl=url,
            server=self.service.plex,
            identifier=ident,
            token=self.service.token,
            connect=False,
            timeout=self.service.timeout,  # for the commands that follow
        )
        try:
            return client.connect(timeout=self.settings.probe_timeout)
        except Exception as error:  # noqa: BLE001 - whatever answers there, it is no player
            log.debug("player at %s did not answer: %s", url, error)
            return _why(error)

    def _probe_any(self, resource: account.Resource) -> tuple[PlexClient | None, str, str]:
        """The first of a plex.tv player's connections that answers (local ones first)."""
        urls = [c.uri for c in sorted(resource.connections, key=lambda c: (c.relay, not c.local))]
        why = "no connections listed"
        for url in urls:
            result = self._probe(url, resource.client_identifier)
            if isinstance(result, PlexClient):
                return result, url, ""
            why = result
        return None, urls[0] if urls else "", why

    def _plextv_players(self) -> list[account.Resource]:
        s = self.settings
        if not s.plextv_token:
            return []
        try:
            return account.players(
                s.plextv_token, s.client_id, timeout=max(s.gdm_timeout, s.probe_timeout)
            )
        except PlextuiError as error:  # not an account token, or plex.tv out of reach
            log.debug("plex.tv players: %s", error)
            return []

    def _recall(self) -> dict[str, dict]:
        """Players found by GDM or plex.tv in an earlier run (plex/remembered.py)."""
        return remembered.recall(self.memory)

    def _keep(self, found: list[Player]) -> None:
        if self.memory is None:
            return
        kept = {
            p.info.machine_identifier: (
                p.info.address,
                p.info.name,
                [s for s in p.info.found_by if s in (GDM, PLEXTV)],
            )
            for p in found
            if p.info.reachable and {GDM, PLEXTV} & set(p.info.found_by) and p.info.address
        }
        try:
            remembered.keep(self.memory, kept)
        except OSError as error:
            log.debug("cannot remember players in %s: %s", self.memory, error)

    # --- players added by hand ----------------------------------------------------------

    async def add(self, text: str) -> Player:
        """Remember an address (saved to `plex.players`) and say who answers there: a
        player that does not answer yet is still added (a TV that is switched off)."""
        url = normalise_address(text)
        if url in self.settings.addresses:
            raise CommandError(f"{url} is already in plex.players")
        result = await self._thread(self._probe, url, None)
        await self._save((*self.settings.addresses, url))
        seen: dict[str, _Sighting] = {}
        self._note(seen, MANUAL, url, result, url)
        return self._backend(*next(iter(seen.items())))

    async def remove(self, text: str) -> str:
        url = normalise_address(text)
        if url not in self.settings.addresses:
            added = ", ".join(self.settings.addresses) or "none"
            raise CommandError(f"no player was added at {url} (added: {added})")
        await self._save(tuple(a for a in self.settings.addresses if a != url))
        return url

    async def _save(self, addresses: tuple[str, ...]) -> None:
        if self.save_addresses is not None:
            await asyncio.to_thread(self.save_addresses, list(addresses))
        self.settings = dataclasses.replace(self.settings, addresses=addresses)
