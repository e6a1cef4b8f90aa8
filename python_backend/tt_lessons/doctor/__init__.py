"""Doctor: the lesson's troubleshooting as checks. gather.py collects the facts, rules.py (pure)
turns the host's and the probe's into findings, platform.py (pure) the SFPI, chips and container
ones; `run` puts them in the order a person would check them.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from ..protocol import DoctorResult, RunParams, VenvState
from ..run_sink import RunSink
from .gather import PROBE_TIMEOUT_S, host_facts, parse_probe, platform_facts, run_probe
from .platform import platform_findings
from .rules import analyse, worth_showing
from .tt_metal import tt_metal_findings

__all__ = ["host_facts", "parse_probe", "platform_facts", "run", "run_probe"]


async def run(params: RunParams, sink: RunSink) -> DoctorResult:
    checked_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    sink.progress(1, 3, "Check the venv and the hardware")
    host = host_facts(params.venv, params.external_env)
    probe, failure = None, None
    if host.venv_state in (VenvState.READY, VenvState.EXTERNAL):
        sink.progress(2, 3, "Ask the venv's Python about JAX and the TT plugin")
        probe, failure = await run_probe(host, params.timeout_s or PROBE_TIMEOUT_S)
        for line in probe.log if probe else []:
            if worth_showing(line):
                sink.log(f"JAX: {line}")
    sink.progress(3, 3, "Judge the findings")
    platform = platform_findings(await platform_facts(params, host))
    platform += tt_metal_findings(os.environ, os.path.isdir)  # what the runs inherit
    findings = analyse(host, probe, failure, platform)
    for item in findings:
        sink.log(f"[{item.status}] {item.title}: {item.detail}")
    return DoctorResult(findings=findings, checked_at=checked_at)
