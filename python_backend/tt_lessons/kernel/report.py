"""A whole-lesson run's report: report.json (for machines), report.html (one self-contained
page any browser opens) and the executed notebook, written into one folder."""

from __future__ import annotations

import html
import json
import os
import platform
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import BackendError
from ..protocol import ErrorCode
from ..protocol.cells import ExportCell, ExportNotebookParams, RunLessonParams
from ..protocol.reports import SaveReportParams, SaveReportResult
from ..venv.layout import state_home
from ..venv.status import package_versions
from .cells import lesson_cells
from .notebook import _write, build_notebook
from .run_lesson import LessonRun

_KEY_PACKAGES = ("jax", "jaxlib", "flax", "pjrt-plugin-tt", "transformers", "numpy", "optax")
_COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "skipped": "#9a6700"}


def _devices(run: LessonRun) -> list[dict[str, Any]]:
    """The devices the sanity step listed (id, platform, kind, architecture), if it ran."""
    for result in run.step_results.values():
        if result.get("kind") == "sanity":
            return list(result.get("devices", []))
    return []


def _venv_python(folder: str) -> str | None:
    """The environment's Python version, from its pyvenv.cfg (None for a bare interpreter)."""
    cfg = Path(os.path.expanduser(folder)) / "pyvenv.cfg"
    if not cfg.is_file():
        return None
    for line in cfg.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return value.strip()
    return None


def report_data(params: RunLessonParams, run: LessonRun) -> dict[str, Any]:
    try:
        packages = package_versions(params.venv, params.external_env).packages
    except Exception:  # an unreadable venv still gets its report; the versions say so
        packages = {}
    home = os.path.expanduser("~")
    venv = params.external_env or params.venv
    return {
        "lesson": params.lesson_id,
        "passed": run.result.passed,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"host": platform.node(), "arch": platform.machine(), "os": platform.platform()},
        "python": {"backend": sys.version.split()[0], "environment": _venv_python(venv)},
        "environment": venv.replace(home, "~", 1) if venv.startswith(home) else venv,
        "cpu_only": params.cpu_only,
        "packages": {name: packages[name] for name in _KEY_PACKAGES if name in packages},
        "devices": _devices(run),
        "items": [item.model_dump(mode="json") for item in run.result.items],
    }


def _row(item: dict[str, Any]) -> str:
    colour = _COLOURS.get(item["status"], "#57606a")
    check = item["check"]
    detail = "; ".join(check["failures"])
    if check.get("hint") and check["status"] == "failed":
        detail += f" — hint: {check['hint']}"
    if item.get("fixes"):
        detail += " — fix: " + " ".join(item["fixes"])
    cells = [
        str(item["line"]),
        item["title"],
        f'<b style="color:{colour}">{html.escape(item["status"])}</b>',
        html.escape(check["status"]),
        f"{item['duration_s']:.2f} s",
        f"<pre>{html.escape(item['summary'])}</pre>" + (html.escape(detail) if detail else ""),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def render_html(data: dict[str, Any]) -> str:
    """Written with html.escape everywhere a value appears; no script, no external file."""
    verdict = "every check passed" if data["passed"] else "some checks failed"
    facts = [
        ("Machine", f"{data['machine']['host']} ({data['machine']['arch']})"),
        ("OS", data["machine"]["os"]),
        ("Environment", data["environment"]),
        ("Packages", ", ".join(f"{k} {v}" for k, v in data["packages"].items()) or "unknown"),
        (
            "Devices",
            ", ".join(f"{d['platform']} {d.get('arch') or d['kind']}" for d in data["devices"])
            or "not listed (no sanity step ran)",
        ),
    ]
    head = "".join(f"<tr><th>{k}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts)
    rows = "".join(_row(item) for item in data["items"])
    title = html.escape(f"{data['lesson']}: {verdict}")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#1f2328}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #d0d7de;padding:4px 8px;
text-align:left;vertical-align:top}}pre{{white-space:pre-wrap;margin:0;font-size:12px}}</style>
</head><body><h1 id="verdict">{title}</h1><table>{head}</table><h2>Steps and cells</h2>
<table id="items"><tr><th>Line</th><th>Item</th><th>Status</th><th>Check</th><th>Time</th>
<th>Output</th></tr>{rows}</table></body></html>
"""


def write_report(folder: str, params: RunLessonParams, run: LessonRun) -> Path:
    out = Path(os.path.expanduser(folder)).resolve()
    out.mkdir(parents=True, exist_ok=True)
    data = report_data(params, run)
    (out / "report.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (out / "report.html").write_text(render_html(data), encoding="utf-8")
    every = lesson_cells(params.lesson_id)  # norun cells too: the notebook shows them
    cells = [run.cells.get(c.index, ExportCell(source=c.source)) for c in every]
    notebook = build_notebook(
        ExportNotebookParams(
            venv=params.venv,
            external_env=params.external_env,
            lesson_id=params.lesson_id,
            path=str(out / f"{params.lesson_id}.ipynb"),
            cells=cells,
        )
    )
    _write(notebook, str(out / f"{params.lesson_id}.ipynb"))
    return out


def report_files(lesson_id: str) -> tuple[str, ...]:
    return ("report.json", "report.html", f"{lesson_id}.ipynb")


def last_report_dir(lesson_id: str) -> Path:
    """Where every whole-lesson run also leaves its report, so "Save a Report…" and the support
    bundle find the last one after the run (and after a backend restart)."""
    return state_home() / "reports" / lesson_id


def save_last_report(params: SaveReportParams) -> SaveReportResult:
    """Copies the lesson's last report into `params.folder`; folder None when there is none."""
    last = last_report_dir(params.lesson_id)
    names = report_files(params.lesson_id)
    if not all((last / name).is_file() for name in names):
        return SaveReportResult(lesson_id=params.lesson_id, folder=None)
    data = json.loads((last / "report.json").read_text(encoding="utf-8"))
    out = Path(os.path.expanduser(params.folder)).resolve()
    if out.exists() and not out.is_dir():
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"{out} is a file; the report needs a folder.",
            ["Choose a new folder name or an existing folder."],
        )
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(last / name, out / name)
    return SaveReportResult(
        lesson_id=params.lesson_id,
        folder=str(out),
        passed=bool(data.get("passed")),
        written_at=data.get("finished_at"),
        files=list(names),
    )
