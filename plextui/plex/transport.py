"""Bounded HTTP for plexapi: a cap on each answer's size and a deadline on each request.

`plex.timeout` bounds each socket read, so a server that drips one byte a second keeps a
request alive for ever, and a server that never stops sending grows the process without
limit. plexapi takes any `requests.Session`, so the bounds live in a transport adapter
that plexapi never knows about:

- every answer is read here, before plexapi sees it, counting decoded bytes (a gzip bomb
  counts as what it inflates to); past `max_bytes` the connection is dropped;
- a timer per request shuts the socket down at the deadline, which wakes a read blocked
  anywhere (status line, headers or body). The socket is found through urllib3's
  documented `ConnectionCls` hook: our connection class tells the request's watch which
  connection carries it.

Both faults raise `requests` exceptions (so code that handles `requests.Timeout` keeps
working), which `translate` (below) turns into one line for the user.
"""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from typing import Any
from xml.etree.ElementTree import ParseError

import requests
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import pool_classes_by_scheme as _DEFAULT_POOLS

from plextui.config import debuglog
from plextui.errors import PlexError
from plextui.plex import failures

_CHUNK = 256 * 1024
_local = threading.local()  # the watch of the request this thread is sending


class AnswerTooLarge(requests.RequestException):
    """The server sent more than the cap allows in one answer."""

    def __init__(self, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(f"answer larger than {limit} bytes", **kwargs)


class DeadlineExceeded(requests.Timeout):
    """The whole request (connect, headers, body) took longer than the deadline."""

    def __init__(self, seconds: float, **kwargs: Any) -> None:
        self.seconds = seconds
        super().__init__(f"no complete answer within {seconds:g} s", **kwargs)


class _Watch:
    """One request's deadline: knows the connection carrying it, cuts it when time is up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: HTTPConnection | None = None
        self._expired = False
        self._done = False

    def attach(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conn = conn
            late = self._expired
        if late:
            _cut(conn)

    def expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self._expired = True
            conn = self._conn
        if conn is not None:
            _cut(conn)

    def finish(self) -> bool:
        """End the watch; True when the deadline passed first (the answer is void)."""
        with self._lock:
            self._done = True
            return self._expired


def _cut(conn: HTTPConnection) -> None:
    """Shut the socket down under the reading thread: its blocked read returns at once.
    The plain socket call, also for TLS sockets, so no SSL state is touched here."""
    sock = getattr(conn, "sock", None)
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: nothing left to wake


class _Watched:
    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = getattr(_local, "watch", None)
        if watch is not None:
            watch.attach(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _Conn(_Watched, HTTPConnection):
    pass


class _TLSConn(_Watched, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Conn


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConn


_POOLS = {"http": _Pool, "https": _TLSPool}


class BoundedAdapter(HTTPAdapter):
    """An HTTPAdapter that reads every answer itself, within `max_bytes` and `deadline`."""

    def __init__(self, max_bytes: int, deadline: float, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        self.deadline = deadline
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if manager.pool_classes_by_scheme is _DEFAULT_POOLS:  # not SOCKS, which has its own
            manager.pool_classes_by_scheme = _POOLS
        return manager

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        """Send and read the whole answer; `stream=True` callers get it preloaded."""
        kwargs["stream"] = True
        watch = _Watch()
        timer = threading.Timer(self.deadline, watch.expire)
        timer.daemon = True
        _local.watch = watch
        started = time.monotonic()
        timer.start()
        try:
            response = super().send(request, *args, **kwargs)
            self._read(response)
        except Exception as error:
            late = watch.finish()
            _log(request, "DeadlineExceeded" if late else type(error).__name__, started)
            if late:
                raise DeadlineExceeded(self.deadline, request=request) from None
            raise
        finally:
            timer.cancel()
            _local.watch = None
        if watch.finish():  # the cut looked like a clean end of a close-delimited body
            _log(request, "DeadlineExceeded", started)
            raise DeadlineExceeded(self.deadline, request=request)
        _log(request, response.status_code, started)
        return response

    def _read(self, response: requests.Response) -> None:
        try:
            announced = int(response.headers.get("Content-Length") or 0)
        except ValueError:
            announced = 0
        body = io.BytesIO()
        if announced <= self.max_bytes:
            for chunk in response.iter_content(_CHUNK):
                body.write(chunk)
                if body.tell() > self.max_bytes:
                    break
        if announced > self.max_bytes or body.tell() > self.max_bytes:
            response.close()  # drop the connection rather than drain an endless body
            raise AnswerTooLarge(self.max_bytes, request=response.request, response=response)
        response._content = body.getvalue()  # what requests' own .content would hold


def _log(request: requests.PreparedRequest, status: int | str, started: float) -> None:
    """The request's status line in the debug log (headers never, URL secrets hidden)."""
    debuglog.request(request.method or "?", request.url or "", status, time.monotonic() - started)


def bounded_session(max_bytes: int, deadline: float) -> requests.Session:
    """A Session for plexapi whose every request is bounded in size and time."""
    session = requests.Session()
    adapter = BoundedAdapter(max_bytes, deadline)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def translate(error: BaseException, url: str, timeout: float) -> Exception:
    """One mapping from what plexapi/requests raise to what a user reads."""
    if isinstance(error, AnswerTooLarge):
        return failures.too_large(url, error.limit)
    if isinstance(error, DeadlineExceeded):
        return failures.past_deadline(url, error.seconds)
    if isinstance(error, Unauthorized):
        return failures.refused_token(url)
    if isinstance(error, NotFound):
        return failures.not_found()
    if isinstance(error, BadRequest):
        code = re.match(r"\((\d+)\)", str(error))
        return failures.answered(code.group(1) if code else "an error")
    if isinstance(error, requests.Timeout):
        return failures.no_answer(url, timeout)
    if isinstance(error, requests.ConnectionError):
        return failures.cannot_reach(url)
    if isinstance(error, ParseError):
        return failures.malformed(url)
    if isinstance(error, ValueError | KeyError | IndexError | AttributeError | TypeError):
        return failures.unreadable(url)
    if isinstance(error, PlexError):
        return error
    return PlexError(f"unexpected error talking to Plex: {failures.scrub(str(error))[:200]}")
