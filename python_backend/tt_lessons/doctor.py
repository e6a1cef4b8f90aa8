"""Doctor: the checks behind the lesson's troubleshooting, each a finding with a fix."""

from __future__ import annotations

from .events import RunSink
from .protocol import DoctorResult, Finding, FixAction, RunParams, VenvState
from .venv.status import status


async def run(params: RunParams, sink: RunSink) -> DoctorResult:
    current = status(params.venv)
    findings: list[Finding] = []
    sink.progress(1, 2, "Check the venv")
    if current.state is VenvState.READY:
        findings.append(
            Finding(
                id="venv",
                status="ok",
                title="TT-XLA venv is ready",
                detail=f"{current.venv} (Python {current.python_version}).",
            )
        )
    else:
        findings.append(
            Finding(
                id="venv",
                status="fail",
                title=f"TT-XLA venv is {current.state.value}",
                detail=current.note or f"No usable venv at {current.venv}.",
                fix=FixAction(label="Install TT-XLA", command="tenstorrent.installTtXla"),
            )
        )
    sink.progress(2, 2, "Check Tenstorrent hardware")
    if current.tt_devices:
        findings.append(
            Finding(
                id="tt-devices",
                status="ok",
                title="Tenstorrent devices found",
                detail=", ".join(current.tt_devices),
            )
        )
    else:
        findings.append(
            Finding(
                id="tt-devices",
                status="warn",
                title="No Tenstorrent device found",
                detail="No /dev/tenstorrent* device nodes: JAX will run on its CPU backend.",
            )
        )
    for finding in findings:
        sink.log(f"[{finding.status}] {finding.title}: {finding.detail}")
    return DoctorResult(findings=findings)
