"""Read and write the venv manifest; `ready` is only ever written last, atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile

from pydantic import ValidationError

from ..protocol import Manifest
from .layout import VenvLayout


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def read(layout: VenvLayout) -> Manifest | None:
    """The manifest, or None when absent or unreadable (an unreadable one is never trusted)."""
    try:
        text = layout.manifest.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        return Manifest.model_validate_json(text)
    except ValidationError:
        return None


def write(layout: VenvLayout, manifest: Manifest) -> None:
    """Temp file in the same folder, fsync, rename: readers see the old or the new, never half."""
    layout.root.mkdir(parents=True, exist_ok=True)
    data = manifest.model_dump_json(by_alias=True, indent=2).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=layout.root)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, layout.manifest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def mark_incomplete(layout: VenvLayout, note: str) -> None:
    """Keep what is known, but never leave `ready` behind after a failed or stopped step."""
    old = read(layout)
    base = old.model_dump() if old else {}
    base.update(state="incomplete", note=note, updated_at=now())
    write(layout, Manifest.model_validate(base))
