"""Damaged files for the tests of what vanban does with them."""

from __future__ import annotations

from pathlib import Path


def corrupt_middle(path: Path) -> None:
    """Overwrite the middle third of a file (a database: its pages, not the header) with junk."""
    data = bytearray(path.read_bytes())
    a, b = len(data) // 3, 2 * len(data) // 3
    data[a:b] = bytes((i * 151 + 13) % 256 for i in range(b - a))
    path.write_bytes(bytes(data))
