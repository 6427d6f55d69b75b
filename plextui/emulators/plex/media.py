"""Real, playable media and artwork made with the standard library only.

A part must last as long as its metadata says (a 2 h film is 2 h in mpv, and seeking to
1:00:00 works), yet cost next to nothing to make and serve. So each part is a Matroska
file written here byte by byte: video is a 16x16 MS-RLE keyframe every 10 s (a grey frame
with a progress bar) and, 5 times a second, a 2-byte frame that changes nothing (mpv's
time-pos follows video frames); audio is FLAC silence, 5 s per frame of a few bytes; a cue
per 10 s cluster lets players seek straight there. A 2 h film is about 400 kB and takes
well under 0.5 s to make; parts are made on first request and kept per (kind, duration, audio languages); a
video has one FLAC track per audio language its metadata lists, tagged with the language.
"""

from __future__ import annotations

import atexit
import shutil
import struct
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

CLUSTER_MS = 10_000  # one video keyframe and one cue per cluster
RATE = 8000  # Hz, mono, 16-bit silence
BLOCK = 40_000  # samples per FLAC frame: 5 s
SIDE = 16  # video frame width and height
FRAME_MS = 200  # 5 fps: mpv's time-pos follows video frames, so they must come often
CONTENT_TYPES = {"video": "video/x-matroska", "audio": "audio/x-matroska"}


@dataclass
class MediaFiles:
    """Where generated parts live; `part` makes one on first use and reuses it after."""

    directory: Path
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def part(self, kind: str, duration_ms: int, languages: tuple[str, ...] = ()) -> Path:
        """The file for a `video` or `audio` part lasting `duration_ms` (at least 1 s), with
        one audio track per language code in `languages` (ISO 639-2, as Matroska wants),
        or one untagged track."""
        duration_ms = max(int(duration_ms), 1000)
        path = self.directory / f"{kind}-{duration_ms}{''.join('-' + c for c in languages)}.mkv"
        with self._lock:
            if not path.exists():
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(matroska(duration_ms, video=kind == "video", languages=languages))
                tmp.replace(path)
        return path


@cache
def shared_media() -> MediaFiles:
    """One cache per process: every emulator serves the same bytes for the same duration."""
    directory = tempfile.mkdtemp(prefix="plex-emu-")
    atexit.register(shutil.rmtree, directory, True)
    return MediaFiles(Path(directory))


# ----- EBML (Matroska's binary XML) -----
def _size(n: int) -> bytes:
    """A data size as an EBML variable-length integer, in the fewest bytes."""
    for length in range(1, 9):
        if n < (1 << (7 * length)) - 1:
            return (n | (1 << (7 * length))).to_bytes(length, "big")
    raise ValueError(f"element too large: {n}")


def el(element_id: int, *children: bytes) -> bytes:
    """An element: its ID (marker bits included, as the spec writes them), size, payload."""
    payload = b"".join(children)
    head = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return head + _size(len(payload)) + payload


def uint(element_id: int, value: int, width: int = 0) -> bytes:
    """An unsigned integer; a fixed `width` keeps sizes independent of the value."""
    width = width or max(1, (value.bit_length() + 7) // 8)
    return el(element_id, value.to_bytes(width, "big"))


def flt(element_id: int, value: float) -> bytes:
    return el(element_id, struct.pack(">d", value))


def text(element_id: int, value: str) -> bytes:
    return el(element_id, value.encode())


# ----- FLAC silence -----
def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def _utf8_number(n: int) -> bytes:
    """FLAC's frame number: UTF-8's encoding, extended to 36 bits."""
    if n < 0x80:
        return bytes([n])
    count = 2
    while n >= 1 << (5 * count + 1):
        count += 1
    tail = [0x80 | ((n >> (6 * i)) & 0x3F) for i in range(count - 1)][::-1]
    head = ((0xFF00 >> count) & 0xFF) | (n >> (6 * (count - 1)))
    return bytes([head, *tail])


@lru_cache(maxsize=4096)
def flac_frame(number: int, samples: int) -> bytes:
    """One frame of `samples` zero samples: a header and a single CONSTANT subframe."""
    header = (
        b"\xff\xf8"  # sync, fixed block size
        + bytes([0x74, 0x08])  # block size in 16 bits at the end, 8 kHz; mono, 16-bit
        + _utf8_number(number)
        + struct.pack(">H", samples - 1)
    )
    frame = header + bytes([_crc8(header)]) + b"\x00\x00\x00"  # CONSTANT subframe, value 0
    return frame + struct.pack(">H", _crc16(frame))


def flac_header(total_samples: int) -> bytes:
    """`fLaC` and the STREAMINFO block: Matroska's CodecPrivate for A_FLAC."""
    info = struct.pack(">HH", BLOCK, BLOCK) + b"\x00" * 6
    info += ((RATE << 44) | (0 << 41) | (15 << 36) | total_samples).to_bytes(8, "big")
    info += b"\x00" * 16  # MD5 unknown
    return b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info


# ----- the file -----
def _rle_frame(cluster: int, clusters: int) -> bytes:
    """A 16x16 MS-RLE8 keyframe: grey, with a bar across the bottom showing how far in we are."""
    filled = SIDE * (cluster + 1) // clusters
    bar = bytes(p for run in ((filled, 235), (SIDE - filled, 16)) if run[0] for p in run)
    grey = bytes([SIDE, 96 + (cluster * 7) % 64])
    rows = [bar] * 3 + [grey] * (SIDE - 3)  # RLE rows run bottom-up
    return b"\x00\x00".join(rows) + b"\x00\x01"


SAME_FRAME = b"\x00\x01"  # an RLE delta frame that changes nothing: end of bitmap


def _tracks(video: bool, total_samples: int, languages: tuple[str, ...]) -> bytes:
    first = 2 if video else 1
    audio = b"".join(
        el(
            0xAE,
            uint(0xD7, first + n),
            uint(0x73C5, first + n),
            uint(0x83, 2),
            uint(0x9C, 0),
            uint(0x88, int(n == 0)),  # FlagDefault: the first language plays unless asked
            *([text(0x22B59C, language)] if language else []),
            text(0x86, "A_FLAC"),
            el(0x63A2, flac_header(total_samples)),
            el(0xE1, flt(0xB5, float(RATE)), uint(0x9F, 1), uint(0x6264, 16)),
        )
        for n, language in enumerate(languages or ("",))
    )
    if not video:
        return el(0x1654AE6B, audio)
    # BITMAPINFOHEADER for BI_RLE8 (compression 1), then a 256-entry grey palette.
    bitmap = struct.pack("<IiiHHIIiiII", 40, SIDE, SIDE, 1, 8, 1, 0, 0, 0, 256, 0)
    palette = b"".join(bytes([v, v, v, 0]) for v in range(256))
    picture = el(
        0xAE,
        uint(0xD7, 1),
        uint(0x73C5, 1),
        uint(0x83, 1),
        uint(0x9C, 0),
        text(0x86, "V_MS/VFW/FOURCC"),
        el(0x63A2, bitmap + palette),
        el(0xE0, uint(0xB0, SIDE), uint(0xBA, SIDE)),
    )
    return el(0x1654AE6B, picture, audio)


def _cluster(
    start_ms: int, duration_ms: int, video: bool, index: int, clusters: int, audio_tracks: int
) -> bytes:
    end_ms = min(start_ms + CLUSTER_MS, duration_ms)
    blocks = []
    first_audio = 2 if video else 1
    if video:
        blocks.append(_block(1, 0, _rle_frame(index, clusters), key=True))
        blocks.append(_same_frames(end_ms - start_ms))
    first = start_ms * RATE // 1000
    end_sample = end_ms * RATE // 1000
    for sample in range(first, end_sample, BLOCK):
        rel = (sample - first) * 1000 // RATE
        count = min(BLOCK, end_sample - sample)
        frame = flac_frame(sample // BLOCK, count)
        blocks += [_block(first_audio + n, rel, frame, key=True) for n in range(audio_tracks)]
    return el(0x1F43B675, uint(0xE7, start_ms), *blocks)


@lru_cache(maxsize=64)
def _same_frames(span_ms: int) -> bytes:
    """The unchanged frames that follow a cluster's keyframe, every FRAME_MS."""
    return b"".join(_block(1, rel, SAME_FRAME) for rel in range(FRAME_MS, span_ms, FRAME_MS))


def _block(track: int, rel_ms: int, data: bytes, key: bool = False) -> bytes:
    return el(0xA3, bytes([0x80 | track]) + struct.pack(">hB", rel_ms, 0x80 if key else 0) + data)


def matroska(duration_ms: int, video: bool, languages: tuple[str, ...] = ()) -> bytes:
    """A whole Matroska file lasting `duration_ms`, with cues for every cluster and one
    audio track per language (one untagged track without any)."""
    total_samples = duration_ms * RATE // 1000
    starts = range(0, duration_ms, CLUSTER_MS)
    count = max(len(languages), 1)
    clusters = [
        _cluster(s, duration_ms, video, n, len(starts), count) for n, s in enumerate(starts)
    ]
    info = el(
        0x1549A966,
        uint(0x2AD7B1, 1_000_000),  # timestamps in ms
        flt(0x4489, float(duration_ms)),
        text(0x4D80, "plextui emulator"),
        text(0x5741, "plextui emulator"),
    )
    tracks = _tracks(video, total_samples, languages)

    def seek_head(info_at: int, tracks_at: int, cues_at: int) -> bytes:
        entries = ((0x1549A966, info_at), (0x1654AE6B, tracks_at), (0x1C53BB6B, cues_at))
        return el(
            0x114D9B74,
            *(
                el(0x4DBB, el(0x53AB, i.to_bytes(4, "big")), uint(0x53AC, pos, 8))
                for i, pos in entries
            ),
        )

    def cues(first_cluster_at: int) -> bytes:
        points, position = [], first_cluster_at
        for start, cluster in zip(starts, clusters, strict=True):
            points.append(
                el(0xBB, uint(0xB3, start), el(0xB7, uint(0xF7, 1), uint(0xF1, position, 8)))
            )
            position += len(cluster)
        return el(0x1C53BB6B, *points)

    # Fixed-width positions make every length known before the positions are.
    info_at = len(seek_head(0, 0, 0))
    tracks_at = info_at + len(info)
    cues_at = tracks_at + len(tracks)
    head = seek_head(info_at, tracks_at, cues_at)
    cue_bytes = cues(cues_at + len(cues(0)))
    segment = head + info + tracks + cue_bytes + b"".join(clusters)
    ebml = el(
        0x1A45DFA3,
        uint(0x4286, 1),
        uint(0x42F7, 1),
        uint(0x42F2, 4),
        uint(0x42F3, 8),
        text(0x4282, "matroska"),
        uint(0x4287, 4),
        uint(0x4285, 2),
    )
    return ebml + el(0x18538067, segment)


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
