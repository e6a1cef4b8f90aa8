"""One install per venv at a time: an advisory lock the OS drops if the holder dies."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from ..errors import BackendError
from ..protocol import ErrorCode
from .layout import VenvLayout


@contextlib.contextmanager
def venv_lock(layout: VenvLayout) -> Iterator[None]:
    path = layout.lock_file
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "another process"
            raise BackendError(
                ErrorCode.VENV_BUSY,
                f"Another install is already working on {layout.root} (pid {holder}).",
                ["Wait for it to finish, or cancel it, then try again."],
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock
