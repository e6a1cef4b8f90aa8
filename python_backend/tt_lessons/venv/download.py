"""Fetch the locked files into the backend's wheel cache with byte progress; cancel stops between
chunks; a file gets its real name only once its hash matched, so a partial file is never trusted
and a complete one is reused by the next install without a byte fetched.
"""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import os
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BackendError
from ..protocol import DownloadEvent, ErrorCode
from ..run_sink import RunSink
from .install_errors import classify_failure
from .layout import state_home
from .lockfile import LockedFile

CHUNK = 256 * 1024
REPORT_EVERY_S = 0.25
RATE_WINDOW_S = 3.0


def cache_dir() -> Path:
    return state_home() / "wheels"


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def is_complete(path: Path, file: LockedFile) -> bool:
    """A file whose hash was checked when it was saved (its stamp says so), of the same size."""
    stamp = _stamp(path)
    if not path.is_file() or not stamp.is_file():
        return False
    digest, _, size = stamp.read_text(encoding="utf-8").partition(" ")
    if file.sha256 and digest != file.sha256:
        return False
    return size.strip() == str(path.stat().st_size)


class Cancelled(Exception):
    pass


@dataclass
class Tally:
    """Bytes transferred in this run (files reused from the cache are not counted)."""

    total: int
    files_total: int
    reused_bytes: int = 0
    done: int = 0
    files_done: int = 0
    started: float = field(default_factory=time.monotonic)
    reported: float = 0.0  # when the last event went out (at most one per REPORT_EVERY_S)
    samples: deque[tuple[float, int]] = field(default_factory=deque)

    def rate(self, now: float) -> float:
        """Bytes per second over the last few seconds (since the start at first)."""
        self.samples.append((now, self.done))
        while len(self.samples) > 2 and now - self.samples[0][0] > RATE_WINDOW_S:
            self.samples.popleft()
        t0, d0 = self.samples[0] if len(self.samples) > 1 else (self.started, 0)
        return (self.done - d0) / (now - t0) if now > t0 else 0.0

    def event(self, current: str | None) -> DownloadEvent:
        now = time.monotonic()
        rate = self.rate(now)
        left = max(self.total - self.done, 0)
        return DownloadEvent(
            done_bytes=self.done,
            total_bytes=max(self.total, self.done),
            rate_bps=round(rate, 1),
            eta_s=round(left / rate, 1) if rate > 0 and left else (0.0 if not left else None),
            files_done=self.files_done,
            files_total=self.files_total,
            reused_bytes=self.reused_bytes,
            current=current,
        )


def _open(url: str, timeout_s: float, method: str = "GET") -> http.client.HTTPResponse:
    """An HTTP response (or urllib's file:// twin, which reads and has headers the same way)."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": "tt-lessons"})
    response: http.client.HTTPResponse = urllib.request.urlopen(request, timeout=timeout_s)
    return response


def _size(file: LockedFile, timeout_s: float) -> int:
    if file.size:
        return file.size
    if file.url.startswith("file:"):
        return Path(urllib.request.url2pathname(file.url.removeprefix("file:"))).stat().st_size
    with _open(file.url, timeout_s, "HEAD") as response:
        return int(response.headers.get("Content-Length") or 0)


def _fail(file: LockedFile, exc: Exception) -> BackendError:
    """The install's own error classes (install_errors): a 403/404 names the URL and no retry;
    a dropped connection says that complete files are kept for the next try."""
    if isinstance(exc, urllib.error.HTTPError):
        line = f"HTTP error {exc.code} for {file.url}"
        return classify_failure([line], "the download", 1)
    return classify_failure([f"{file.url}: {exc}"], "the download", -1)


def _fetch(
    file: LockedFile,
    target: Path,
    tally: Tally,
    stop: threading.Event,
    report: Callable[[DownloadEvent], None],
    timeout_s: float,
) -> None:
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    try:
        with _open(file.url, timeout_s) as response, part.open("wb") as out:
            while chunk := response.read(CHUNK):
                if stop.is_set():
                    raise Cancelled
                out.write(chunk)
                digest.update(chunk)
                tally.done += len(chunk)
                now = time.monotonic()
                if now - tally.reported >= REPORT_EVERY_S:
                    tally.reported = now
                    report(tally.event(file.filename))
        if file.sha256 and digest.hexdigest() != file.sha256:
            raise BackendError(
                ErrorCode.INSTALL_FAILED,
                f"{file.filename} from {file.url} does not match the hash the index gave "
                f"(sha256 {digest.hexdigest()[:16]}…, expected {file.sha256[:16]}…).",
                ["Run install again; if it happens again the index or a proxy changes the file."],
            )
        part.replace(target)
        _stamp(target).write_text(f"{digest.hexdigest()} {target.stat().st_size}\n", "utf-8")
    except (OSError, urllib.error.URLError) as exc:
        raise _fail(file, exc) from exc
    finally:
        part.unlink(missing_ok=True)


def fetch_all(
    files: list[LockedFile],
    cache: Path,
    stop: threading.Event,
    report: Callable[[DownloadEvent], None],
    timeout_s: float = 60.0,
    carried: Tally | None = None,
) -> Tally:
    """Blocking: every file into `cache`, complete ones reused. Raises Cancelled when `stop` is
    set between chunks, leaving only files whose hash matched. `carried`: an earlier part of
    the same download, whose counts this one goes on from."""
    cache.mkdir(parents=True, exist_ok=True)
    wanted: list[tuple[LockedFile, Path]] = []
    reused = 0
    for file in files:
        path = cache / file.filename
        if is_complete(path, file):
            reused += path.stat().st_size
        else:
            wanted.append((file, path))
    total = 0
    for file, _ in wanted:
        try:
            total += _size(file, timeout_s)
        except (OSError, urllib.error.URLError) as exc:
            raise _fail(file, exc) from exc
    tally = Tally(total=total, files_total=len(files), reused_bytes=reused)
    tally.files_done = len(files) - len(wanted)
    if carried is not None:
        tally.total += carried.done
        tally.done = carried.done
        tally.files_total += carried.files_total
        tally.files_done += carried.files_done
        tally.reused_bytes += carried.reused_bytes
        tally.started = carried.started
    report(tally.event(None))
    for file, path in wanted:
        _fetch(file, path, tally, stop, report, timeout_s)
        tally.files_done += 1
    report(tally.event(None))
    return tally


async def download(
    files: list[LockedFile],
    sink: RunSink,
    cache: Path | None = None,
    carried: Tally | None = None,
) -> Tally:
    """fetch_all in a thread, its progress emitted on this loop; a cancel stops it between chunks
    and waits until its partial file is gone before passing the cancel on."""
    loop = asyncio.get_running_loop()
    stop = threading.Event()
    done: asyncio.Future[Tally] = loop.create_future()

    def report(event: DownloadEvent) -> None:
        loop.call_soon_threadsafe(sink.emit, event)

    def settle(result: Tally | None, error: BaseException | None) -> None:
        if done.done():
            return
        if error is not None:
            done.set_exception(error)
        else:
            assert result is not None
            done.set_result(result)

    def work() -> None:
        try:
            tally = fetch_all(files, cache or cache_dir(), stop, report, carried=carried)
        except BaseException as exc:  # handed to the loop, raised there
            loop.call_soon_threadsafe(settle, None, exc)
        else:
            loop.call_soon_threadsafe(settle, tally, None)

    thread = threading.Thread(target=work, name="tt-lessons-download", daemon=True)
    thread.start()
    try:
        return await asyncio.shield(done)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.to_thread(thread.join)
        await asyncio.sleep(0)  # let the thread's settle() run before its result is read
        if done.done() and not done.cancelled():
            done.exception()  # read, so a Cancelled left there is not reported as unhandled
        raise
