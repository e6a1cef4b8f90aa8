"""The install's download (venv/download.py) against the twin's server, which counts the wheel
bytes it really sends and can send them slowly: the bytes reported match the bytes served, a
cancel mid-file leaves nothing the next run trusts, and a second run reuses complete files."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tt_lessons.errors import BackendError
from tt_lessons.protocol import DownloadEvent, EventNotification
from tt_lessons.run_sink import RunSink
from tt_lessons.venv.download import download, fetch_all, is_complete
from tt_lessons.venv.lockfile import LockedFile

from .twin import Twin, serve
from .wheels import build_wheel

MB = 1_000_000


def big_wheels(folder: Path, sizes: dict[str, int]) -> list[Path]:
    """Wheels whose bulk is random bytes, stored uncompressed, so size on the wire is known."""
    return [build_wheel(folder, name, "1.0", os.urandom(size)) for name, size in sizes.items()]


def locked(twin: Twin, wheels: list[Path], sha: str | None = None) -> list[LockedFile]:
    return [
        LockedFile(
            name=w.name.split("-")[0],
            version="1.0",
            url=f"{twin.base}files/{w.name}",
            sha256=sha or hashlib.sha256(w.read_bytes()).hexdigest(),
            size=None,
            direct=False,
        )
        for w in wheels
    ]


@pytest.fixture
def slow_twin(tmp_path: Path) -> Iterator[tuple[Twin, list[Path]]]:
    root = tmp_path / "srv"
    wheels = big_wheels(root / "files", {"alpha": 3 * MB, "beta": 2 * MB})
    with serve(root, rate_bps=4 * MB) as twin:
        yield twin, wheels


def test_bytes_reported_are_the_bytes_served(
    slow_twin: tuple[Twin, list[Path]], tmp_path: Path
) -> None:
    twin, wheels = slow_twin
    events: list[DownloadEvent] = []
    tally = fetch_all(locked(twin, wheels), tmp_path / "cache", threading.Event(), events.append)
    served = twin.served.wheel_bytes
    assert served == sum(w.stat().st_size for w in wheels)
    last = events[-1]
    assert abs(last.done_bytes - served) <= 0.05 * served
    assert last.total_bytes == served and last.files_done == 2 and last.eta_s == 0.0
    # In between: growing byte counts, a rate near the throttle, a time left that shrinks.
    middle = [e for e in events if 0 < e.done_bytes < served]
    assert len(middle) >= 3
    assert [e.done_bytes for e in middle] == sorted(e.done_bytes for e in middle)
    assert all(e.rate_bps > 0 and e.eta_s is not None for e in middle)
    assert 1 * MB < middle[-1].rate_bps < 8 * MB
    assert tally.done == served
    for w in wheels:
        assert (tmp_path / "cache" / w.name).read_bytes() == w.read_bytes()


def test_a_second_run_reuses_complete_files(
    slow_twin: tuple[Twin, list[Path]], tmp_path: Path
) -> None:
    twin, wheels = slow_twin
    files = locked(twin, wheels)
    fetch_all(files, tmp_path / "cache", threading.Event(), lambda e: None)
    before = twin.served.wheel_requests
    events: list[DownloadEvent] = []
    tally = fetch_all(files, tmp_path / "cache", threading.Event(), events.append)
    assert twin.served.wheel_requests == before  # not a byte asked for again
    assert tally.done == 0 and tally.reused_bytes == sum(w.stat().st_size for w in wheels)
    assert events[-1].files_done == 2 and events[-1].total_bytes == 0


async def test_cancel_mid_download_leaves_nothing_trusted(
    slow_twin: tuple[Twin, list[Path]], tmp_path: Path
) -> None:
    twin, wheels = slow_twin
    cache = tmp_path / "cache"
    files = locked(twin, wheels)
    seen: list[EventNotification] = []
    sink = RunSink("test", seen.append)
    task = asyncio.create_task(download(files, sink, cache))
    while not any(isinstance(n.event, DownloadEvent) and n.event.done_bytes for n in seen):
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert twin.served.wheel_bytes < wheels[0].stat().st_size  # it stopped inside the first file
    assert not list(cache.glob("*.part"))
    assert not any(is_complete(cache / f.filename, f) for f in files)
    # The next run starts that file again and ends with both, hashes checked.
    tally = fetch_all(files, cache, threading.Event(), lambda e: None)
    assert tally.files_done == 2 and all(is_complete(cache / f.filename, f) for f in files)


def test_a_file_with_the_wrong_hash_is_not_kept(
    slow_twin: tuple[Twin, list[Path]], tmp_path: Path
) -> None:
    twin, wheels = slow_twin
    cache = tmp_path / "cache"
    with pytest.raises(BackendError, match="does not match the hash"):
        fetch_all(locked(twin, wheels[1:], sha="0" * 64), cache, threading.Event(), lambda e: None)
    assert list(cache.iterdir()) == []


def test_a_dropped_connection_says_complete_files_are_kept(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x-1.0-py3-none-any.whl"
    gone = LockedFile("x", "1.0", url, None, 10, False)
    with pytest.raises(BackendError, match="cut off") as caught:
        fetch_all([gone], tmp_path / "cache", threading.Event(), lambda e: None)
    assert "keeps what was already downloaded" in caught.value.fixes[0]


def test_a_missing_file_names_its_url(slow_twin: tuple[Twin, list[Path]], tmp_path: Path) -> None:
    twin, wheels = slow_twin
    files = locked(twin, wheels)
    gone = LockedFile("gone", "1.0", twin.base + "files/gone-1.0-py3-none-any.whl", None, 10, False)
    with pytest.raises(BackendError, match=r"HTTP 404.*gone-1\.0"):
        fetch_all([*files, gone], tmp_path / "cache", threading.Event(), lambda e: None)
