"""Real, playable media and artwork made with the standard library only.

mpv must be able to play what the emulator serves, so parts point at a short WAV
(tracks) or YUV4MPEG2 video (movies, episodes) written to a temp dir at start.
"""

from __future__ import annotations

import functools
import math
import struct
import tempfile
import wave
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SECONDS = 20


@dataclass(frozen=True)
class MediaFiles:
    directory: Path
    audio: Path
    video: Path


@functools.cache
def shared_media() -> MediaFiles:
    """One set of files per process: every emulator serves the same bytes."""
    return write_media()


def write_media(directory: Path | None = None) -> MediaFiles:
    """Write the audio and video files once; returns their paths."""
    base = Path(directory or tempfile.mkdtemp(prefix="plex-emu-"))
    base.mkdir(parents=True, exist_ok=True)
    audio, video = base / "tone.wav", base / "pattern.y4m"
    if not audio.exists():
        _write_wav(audio)
    if not video.exists():
        _write_y4m(video)
    return MediaFiles(base, audio, video)


def _write_wav(path: Path, rate: int = 8000) -> None:
    frames = bytearray()
    for n in range(rate * SECONDS):
        freq = 440.0 if (n // rate) % 2 == 0 else 660.0
        frames += struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * n / rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))


def _write_y4m(path: Path, width: int = 64, height: int = 36, fps: int = 5) -> None:
    chroma = bytes([128]) * ((width // 2) * (height // 2) * 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in range(fps * SECONDS):
            bar = frame % width
            row = bytes(235 if abs(x - bar) < 4 else 16 + (x * 3) % 200 for x in range(width))
            out.write(b"FRAME\n" + row * height + chroma)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@lru_cache(maxsize=4096)
def png(seed: int, width: int = 40, height: int = 60) -> bytes:
    """A small two-colour gradient PNG that differs per item, for posters and art."""
    r, g, b = (seed * 97) % 256, (seed * 57) % 256, (seed * 29) % 256
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        shade = y * 255 // max(height - 1, 1)
        for _x in range(width):
            rows += bytes(((r + shade) // 2, (g + shade // 2) // 2, (b + 255 - shade) // 2))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + _png_chunk(b"IEND", b"")
    )
