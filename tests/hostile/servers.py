"""Hostile HTTP servers on raw sockets: they answer however they like, byte by byte.

A real server stack would frame, buffer or time out for us; these must not, so each is a
listening socket and one thread per connection running a `speak(conn)` function.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class RawServer:
    """Accepts on 127.0.0.1 and hands each connection, its request read, to `speak`."""

    def __init__(self, speak: Callable[[socket.socket], None]) -> None:
        self.speak = speak
        self.requests = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            self.requests += 1
            self.speak(conn)

    def close(self) -> None:
        self._sock.close()


def endless(conn: socket.socket) -> None:
    """200 and an XML answer that never ends (no length, no chunks: until the close)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n")
    conn.sendall(b'<MediaContainer size="1" machineIdentifier="abc">')
    row = b'<Directory key="1" title="again and again and again" type="movie"/>' * 1000
    while True:
        conn.sendall(row)


def drip(whole: bytes, *, headers_too: bool) -> Callable[[socket.socket], None]:
    """Send `whole` one byte a second: from the status line, or after the headers."""

    def speak(conn: socket.socket) -> None:
        head, _, body = whole.partition(b"\r\n\r\n")
        if not headers_too:
            conn.sendall(head + b"\r\n\r\n")
        for byte in whole if headers_too else body:
            conn.sendall(bytes([byte]))
            time.sleep(1)

    return speak


def answer(body: bytes, status: str = "200 OK") -> Callable[[socket.socket], None]:
    """A plain, complete XML answer to every request."""

    def speak(conn: socket.socket) -> None:
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )

    return speak


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # VmHWM: the highest resident set the process reached


def run_bounded(args: list[str], *, seconds: float, mb: float) -> Run:
    """Run a process, killing it once it passes `seconds` or `mb` of resident memory
    (a test of bounds must itself be bounded, whatever the code under test does).
    The peak is the child's own high-water mark (VmHWM, which only grows), read until it
    exits. Not ru_maxrss: Linux carries the forking parent's peak across exec into it, so
    a child of a large pytest worker would report the worker's size."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: dict[str, str] = {}
    readers = [
        threading.Thread(target=lambda n=n, f=f: out.__setitem__(n, f.read()), daemon=True)
        for n, f in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for reader in readers:
        reader.start()
    peak = 0.0
    while True:
        peak = max(peak, _resident_peak(proc.pid))
        pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if peak > mb or time.monotonic() - start > seconds:
            proc.kill()
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(5)
    return Run(
        proc.returncode, out.get("out", ""), out.get("err", ""), time.monotonic() - start, peak
    )


def _resident_peak(pid: int) -> float:
    """VmHWM of a running process, in MB (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
