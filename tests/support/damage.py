"""Damaged files for the tests of what vanban does with them."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def corrupt_middle(path: Path) -> None:
    """Overwrite the middle third of a file (a database: its pages, not the header) with junk."""
    data = bytearray(path.read_bytes())
    a, b = len(data) // 3, 2 * len(data) // 3
    data[a:b] = bytes((i * 151 + 13) % 256 for i in range(b - a))
    path.write_bytes(bytes(data))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes) -> bytes:
    """A PNG file whose header claims width x height 8-bit grey pixels, with `idat` as its image
    data (a small compressed block under a huge size is a decompression bomb's header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat)
            + _png_chunk(b"IEND", b""))
