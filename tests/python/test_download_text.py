"""The CLI's download line: the same words as the extension's (tests/extension/unit/
downloadProgress.test.ts checks these very strings in TypeScript)."""

from __future__ import annotations

from tt_lessons.cli_output import HumanReporter
from tt_lessons.download_text import download_percent, download_text, eta_text, size_text
from tt_lessons.protocol import DownloadEvent, EventNotification


def event(**over: object) -> DownloadEvent:
    fields: dict[str, object] = {
        "done_bytes": 312_400_000,
        "total_bytes": 1_073_741_824,
        "rate_bps": 45_200_000,
        "eta_s": 16.8,
        "files_done": 3,
        "files_total": 12,
        **over,
    }
    return DownloadEvent.model_validate(fields)


def test_sizes_and_times_left() -> None:
    assert [size_text(n) for n in (0, 999, 1000, 512_000, 1_073_741_824)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "512.0 kB",
        "1.1 GB",
    ]
    assert [eta_text(s) for s in (None, 0.4, 59.4, 61, 3725)] == [
        "time left unknown",
        "0 s left",
        "59 s left",
        "1 min 01 s left",
        "1 h 02 min left",
    ]


def test_the_line() -> None:
    assert download_text(event()) == "312.4 MB of 1.1 GB · 45.2 MB/s · 17 s left · 3/12 files"
    reused = event(
        done_bytes=0, total_bytes=0, rate_bps=0, eta_s=0, files_done=12, reused_bytes=2_500_000_000
    )
    assert (
        download_text(reused)
        == "0 B of 0 B · 0 B/s · 0 s left · 12/12 files · 2.5 GB already downloaded"
    )
    assert download_percent(event(done_bytes=250, total_bytes=1000)) == 25
    assert download_percent(event(done_bytes=0, total_bytes=0)) == 100


def test_the_cli_bar_carries_the_line() -> None:
    reporter = HumanReporter()
    note = EventNotification(run_id="r", seq=0, method="m", event=event(done_bytes=268_435_456))
    reporter.event(note)
    reporter.progress.stop()
    (task,) = reporter.progress.tasks
    assert task.description.startswith("Downloading 268.4 MB of 1.1 GB · 45.2 MB/s")
    assert round(task.completed) == 25
