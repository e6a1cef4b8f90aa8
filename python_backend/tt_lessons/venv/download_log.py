"""The line the install log keeps once the download is over."""

from __future__ import annotations

import time
from pathlib import Path

from ..download_text import size_text
from .download import Tally


def summary(tally: Tally, cache: Path) -> str:
    took = max(time.monotonic() - tally.started, 1e-6)
    fetched = f"Downloaded {size_text(tally.done)} in {took:.1f} s"
    if tally.done:
        fetched += f" ({size_text(tally.done / took)}/s)"
    reused = f"; {size_text(tally.reused_bytes)} reused" if tally.reused_bytes else ""
    return f"{fetched}{reused}; {tally.files_total} files in {cache}."
