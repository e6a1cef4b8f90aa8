"""The support bundle: what a bug report needs, in one zip. The doctor's findings, status, every
package's version, the last whole-lesson report of each lesson and the extension's log, each as a
file. Paths under the home folder read `~/...` everywhere but the environment's own path, which a
maintainer needs whole; nothing else about the machine is collected beyond what those say."""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .errors import BackendError
from .protocol import EventNotification, LogEvent, Model
from .protocol.reports import SupportBundleParams, SupportBundleResult
from .run_sink import RunSink

# The tail of a log is what explains the failure; a week-long session's log is not needed whole.
MAX_LOG_BYTES = 2 << 20
_PLACEHOLDER = "\x00keep{}\x00"


def redact(text: str, home: str, keep: Iterable[str] = ()) -> str:
    """`home` (as a whole path component) becomes `~`, except inside the paths in `keep`."""
    home = home.rstrip("/")
    if not home:
        return text
    kept = sorted({k for k in keep if k}, key=len, reverse=True)
    for i, path in enumerate(kept):
        text = text.replace(path, _PLACEHOLDER.format(i))
    # /home/ann but not /home/anna: the next character must end the component.
    text = re.sub(re.escape(home) + r"(?![^/\\\s\"'`:;,)\]}<>|])", "~", text)
    for i, path in enumerate(kept):
        text = text.replace(_PLACEHOLDER.format(i), path)
    return text


def _json(model: Model) -> str:
    return json.dumps(model.model_dump(mode="json", by_alias=True), indent=2) + "\n"


def _log_tail(path: str) -> str:
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - MAX_LOG_BYTES))
        data = f.read()
    head = f"[the first {size - len(data)} bytes are left out]\n" if size > len(data) else ""
    return head + data.decode("utf-8", errors="replace")


async def _doctor(params: SupportBundleParams, sink: RunSink) -> str:
    from . import doctor  # imported on use: the doctor pulls in most of venv/

    def listen(note: EventNotification) -> None:
        if isinstance(note.event, LogEvent):
            sink.emit(note.event)

    try:
        return _json(await doctor.run(params, RunSink(sink.method, listen)))
    except BackendError as exc:
        return f"The doctor could not run: {exc.message}\n" + "".join(f"- {f}\n" for f in exc.fixes)


def _texts(params: SupportBundleParams, doctor_json: str) -> dict[str, str]:
    from .kernel.report import report_files
    from .venv.layout import state_home
    from .venv.status import package_versions, status

    files = {"doctor.json": doctor_json}
    try:
        files["status.json"] = _json(
            status(params.venv, params.external_env, params.visible_devices)
        )
    except Exception as exc:  # a bundle is for when things are broken: say why, keep going
        files["status.txt"] = f"status failed: {exc}\n"
    try:
        files["versions.json"] = _json(package_versions(params.venv, params.external_env))
    except Exception as exc:
        files["versions.txt"] = f"reading the package versions failed: {exc}\n"
    reports = state_home() / "reports"
    for folder in sorted(reports.iterdir()) if reports.is_dir() else []:
        for name in report_files(folder.name):
            if (folder / name).is_file():
                text = (folder / name).read_text(encoding="utf-8", errors="replace")
                files[f"reports/{folder.name}/{name}"] = text
    if params.log:
        try:
            files["extension.log"] = _log_tail(params.log)
        except OSError as exc:
            files["extension.log"] = f"the log at {params.log} could not be read: {exc}\n"
    return files


def _readme(names: list[str]) -> str:
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return (
        f"tt-lessons {__version__} support bundle, written {when}.\n"
        "Paths in the home folder are written ~/..., except the lesson environment's own.\n\n"
        + "".join(f"- {name}\n" for name in names)
    )


async def write_bundle(params: SupportBundleParams, sink: RunSink) -> SupportBundleResult:
    sink.progress(1, 3, "Run the doctor")
    doctor_json = await _doctor(params, sink)
    sink.progress(2, 3, "Read status, versions, reports and the log")
    files = _texts(params, doctor_json)
    home = os.path.expanduser("~")
    keep = [
        str(Path(p).expanduser().absolute())
        for p in (params.venv, params.external_env)
        if p is not None
    ]
    sink.progress(3, 3, "Write the zip")
    out = Path(params.path).expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    names = ["README.txt", *files]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", _readme(names))
        for name, text in files.items():
            zf.writestr(name, redact(text, home, keep))
    sink.log(f"Support bundle written to {out} ({len(names)} files)")
    return SupportBundleResult(path=str(out), files=names)
