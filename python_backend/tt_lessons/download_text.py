"""The download's progress in words, the same wherever it is shown (the CLI; the extension has its
TypeScript twin in extension/shared/downloadText.ts)."""

from __future__ import annotations

from .protocol import DownloadEvent

_UNITS = ("B", "kB", "MB", "GB", "TB")


def size_text(n: float) -> str:
    """Decimal units, as browsers and pip show them: 1.07 GB, 512 kB, 0 B."""
    unit = 0
    while n >= 1000 and unit < len(_UNITS) - 1:
        n /= 1000
        unit += 1
    return f"{n:.0f} {_UNITS[unit]}" if unit == 0 else f"{n:.1f} {_UNITS[unit]}"


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return "time left unknown"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s left"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s left"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min left"


def download_text(event: DownloadEvent) -> str:
    """`312.4 MB of 1.1 GB · 45.2 MB/s · 17 s left · 3/12 files` (+ what was reused)."""
    parts = [
        f"{size_text(event.done_bytes)} of {size_text(event.total_bytes)}",
        f"{size_text(event.rate_bps)}/s",
        eta_text(event.eta_s),
        f"{event.files_done}/{event.files_total} files",
    ]
    if event.reused_bytes:
        parts.append(f"{size_text(event.reused_bytes)} already downloaded")
    return " · ".join(parts)


def download_percent(event: DownloadEvent) -> float:
    return 100.0 if event.total_bytes == 0 else 100.0 * event.done_bytes / event.total_bytes
