"""What a person hands on: the last whole-lesson report saved into a folder of their choice
(`tenstorrent/saveReport`) and the support bundle (`tenstorrent/supportBundle`), one zip whose
paths under the home folder read `~` except the environment's own."""

from __future__ import annotations

import asyncio
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tt_lessons.errors import BackendError
from tt_lessons.kernel import run_lesson as run_lesson_module
from tt_lessons.kernel.report import last_report_dir, save_last_report
from tt_lessons.kernel.run_lesson import LessonRun
from tt_lessons.pools import Pools
from tt_lessons.protocol import EventNotification
from tt_lessons.protocol.cells import (
    CheckResult,
    LessonItemReport,
    LessonRunResult,
    RunLessonParams,
)
from tt_lessons.protocol.reports import SaveReportParams, SupportBundleParams
from tt_lessons.routes import run_lesson as run_lesson_route
from tt_lessons.run_sink import RunSink
from tt_lessons.support import redact, write_bundle


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of its own, with the backend's state folder in it (as ~/.cache is)."""
    home = tmp_path / "home" / "ann"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TT_LESSONS_HOME", str(home / ".cache" / "tt-lessons"))
    return home


def _sink(events: list[EventNotification]) -> RunSink:
    return RunSink("tenstorrent/test", events.append)


def _whole_run(home: Path, monkeypatch: pytest.MonkeyPatch, lesson: str, passed: bool) -> None:
    """The run-lesson route as the extension calls it, with the run itself stood in for."""

    failed = LessonItemReport(
        kind="cell",
        title="cell 0",
        line=1,
        cell=0,
        status="failed",
        check=CheckResult(status="failed", failures=["z == 32.0"]),
        duration_s=0.1,
        summary="",
    )
    items = [] if passed else [failed]

    async def fake_run(params: RunLessonParams, sink: RunSink, pools: Pools) -> LessonRun:
        return LessonRun(LessonRunResult(lesson_id=params.lesson_id, passed=passed, items=items))

    monkeypatch.setattr(run_lesson_module, "run_lesson", fake_run)
    params = RunLessonParams(lesson_id=lesson, venv=str(home / "tt-xla-venv"))
    service = run_lesson_route.ROUTE.service
    assert service is not None
    try:
        asyncio.run(service(params, _sink([]), Pools()))
    except BackendError:
        assert not passed  # a failed lesson raises after keeping its report


def test_save_report_without_a_whole_lesson_run_says_so(home: Path, tmp_path: Path) -> None:
    saved = save_last_report(SaveReportParams(lesson_id="tt-xla-jax", folder=str(tmp_path / "o")))
    assert saved.folder is None and saved.files == []
    assert not (tmp_path / "o").exists()


def test_every_whole_lesson_run_keeps_its_report_and_save_report_copies_it(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _whole_run(home, monkeypatch, "multichip-jax", passed=False)
    _whole_run(home, monkeypatch, "multichip-jax", passed=True)  # the last one is kept
    kept = last_report_dir("multichip-jax")
    assert kept.is_relative_to(home / ".cache" / "tt-lessons")
    out = tmp_path / "chosen"
    saved = save_last_report(SaveReportParams(lesson_id="multichip-jax", folder=str(out)))
    assert saved.folder == str(out.resolve()) and saved.passed is True
    assert saved.files == ["report.json", "report.html", "multichip-jax.ipynb"]
    assert saved.written_at and saved.written_at.endswith("+00:00")
    data = json.loads((out / "report.json").read_text())
    assert data["passed"] is True and data["lesson"] == "multichip-jax"
    assert "every check passed" in (out / "report.html").read_text()
    assert json.loads((out / "multichip-jax.ipynb").read_text())["cells"]
    # A file where the folder should go is refused with a way out.
    (tmp_path / "file").write_text("")
    with pytest.raises(BackendError, match="is a file"):
        save_last_report(SaveReportParams(lesson_id="multichip-jax", folder=str(tmp_path / "file")))
    # The other lesson still has none.
    other = save_last_report(SaveReportParams(lesson_id="tt-xla-jax", folder=str(tmp_path / "x")))
    assert other.folder is None


def test_redact_takes_the_home_folder_as_a_whole_component_and_keeps_the_venv() -> None:
    text = "/home/ann/x /home/anna/y /home/ann /home/ann/tt-xla-venv/bin/python '/home/ann'"
    out = redact(text, "/home/ann", ["/home/ann/tt-xla-venv"])
    assert out == "~/x /home/anna/y ~ /home/ann/tt-xla-venv/bin/python '~'"
    assert redact("/home/ann/x", "/", []) == "/home/ann/x"  # a home of / is no path to hide


def test_support_bundle_holds_doctor_status_versions_reports_and_log_with_home_redacted(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = home / "tt-xla-venv"
    _whole_run(home, monkeypatch, "tt-xla-jax", passed=True)
    # A report from the CLI run elsewhere names a home path; so does the log.
    report_json = last_report_dir("tt-xla-jax") / "report.json"
    data = json.loads(report_json.read_text())
    data["note"] = f"model from {home}/models/gpt2"
    report_json.write_text(json.dumps(data))
    log = tmp_path / "Tenstorrent.log"
    log.write_text(f"started in {home}/work\nvenv {venv}/bin/python\n")
    events: list[EventNotification] = []
    params = SupportBundleParams(venv=str(venv), path=str(tmp_path / "b.zip"), log=str(log))
    result = asyncio.run(write_bundle(params, _sink(events)))

    assert result.path == str(tmp_path / "b.zip")
    with zipfile.ZipFile(result.path) as zf:
        names = zf.namelist()
        texts: dict[str, Any] = {n: zf.read(n).decode() for n in names}
    assert names == result.files
    for name in [
        "README.txt",
        "doctor.json",
        "status.json",
        "extension.log",
        "reports/tt-xla-jax/report.json",
        "reports/tt-xla-jax/report.html",
        "reports/tt-xla-jax/tt-xla-jax.ipynb",
    ]:
        assert name in names, names
    assert "versions.json" in names or "versions.txt" in names
    doctor = json.loads(texts["doctor.json"])
    assert doctor["kind"] == "doctor" and doctor["findings"]
    assert json.loads(texts["status.json"])["kind"] == "status"
    assert "model from ~/models/gpt2" in texts["reports/tt-xla-jax/report.json"]
    assert texts["extension.log"] == f"started in ~/work\nvenv {venv}/bin/python\n"
    # No home path but the venv's, anywhere in the zip.
    for name, text in texts.items():
        assert str(home) not in text.replace(str(venv), ""), name
    assert any(str(venv) in t for t in texts.values())


def test_support_bundle_says_when_the_log_cannot_be_read(home: Path, tmp_path: Path) -> None:
    params = SupportBundleParams(
        venv=str(home / "v"), path=str(tmp_path / "b.zip"), log=str(home / "missing.log")
    )
    result = asyncio.run(write_bundle(params, _sink([])))
    with zipfile.ZipFile(result.path) as zf:
        assert "could not be read" in zf.read("extension.log").decode()
        assert "~/missing.log" in zf.read("extension.log").decode()
