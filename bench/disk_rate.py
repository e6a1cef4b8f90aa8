"""How fast this disk takes a sequential write, measured in the same run as the installs.

A cold install unpacks several hundred MB of wheels; it cannot beat the time the disk needs to
take those bytes. The rate is measured where the venv and uv's cache live (same filesystem),
by writing a file in large blocks and timing until fdatasync returns, so the page cache does not
flatter it. The floor for an install is then its unpacked bytes divided by that rate.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_BLOCK = 8 << 20


def write_rate_mb_s(folder: Path, size_mb: int = 512) -> float:
    """MB/s (10^6 bytes) of one sequential write of `size_mb` MiB made durable with fdatasync."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ".disk-rate.tmp"
    block = os.urandom(_BLOCK)  # incompressible, in case the filesystem compresses
    blocks = max(1, (size_mb << 20) // _BLOCK)
    os.sync()  # earlier writes are not this measurement's
    started = time.perf_counter()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for _ in range(blocks):
            os.write(fd, block)
        os.fdatasync(fd)
    finally:
        os.close(fd)
    spent = time.perf_counter() - started
    target.unlink()
    return blocks * _BLOCK / 1e6 / spent


def same_filesystem(*paths: Path) -> bool:
    """Whether every path (or its nearest existing parent) is on one device: hardlinks work."""
    devices = set()
    for path in paths:
        while not path.exists() and path != path.parent:
            path = path.parent
        devices.add(path.stat().st_dev)
    return len(devices) == 1
