"""The doctor's facts: the host's (venv state, /dev/tenstorrent*, tt-smi) from files and PATH,
the venv's (installed versions, plugin imports, JAX devices) from `workloads/probe.py` run in the
venv's own Python, and the platform's (SFPI, chips, container). Judging them is rules.py's job.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from ..chips import read_nodes
from ..plugin import PLUGIN
from ..protocol import REPORTED_PACKAGES, TT_INDEX_URL, RunParams, VenvState
from ..runner import capture
from ..venv import external, manifest, sfpi
from ..venv.environment import child_env
from ..venv.layout import VenvLayout
from ..venv.resolver import find_uv
from ..venv.status import status
from ..workload_specs import WORKLOADS_DIR
from .platform import PlatformFacts
from .rules import HostFacts, ProbeReport

# Importing JAX and initialising a card's runtime can take a while on a cold machine.
PROBE_TIMEOUT_S = 300.0


def host_facts(venv: str, external_env: str | None = None) -> HostFacts:
    current = status(venv, external_env)
    layout = VenvLayout.at(venv)
    written = manifest.read(layout) if not external_env else None
    return HostFacts(
        venv=current.venv,
        venv_state=current.state,
        venv_python=current.python or str(layout.python),
        venv_note=current.note,
        installer=current.installer,
        cpu_only=bool(written and written.source and written.source.cpu_only),
        tt_devices=current.tt_devices,
        tt_smi=current.tt_smi,
        index_url=(written.source.index_url if written and written.source else None)
        or TT_INDEX_URL,
        uv=find_uv(),
        plugin_version=current.packages.get(PLUGIN),
    )


def parse_probe(code: int, out: str, err: str) -> tuple[ProbeReport | None, str | None]:
    """The probe's report, or why there is none (its stderr carries a crash's text)."""
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if code == 0 and lines:
        try:
            return ProbeReport.model_validate(json.loads(lines[-1])), None
        except ValueError as exc:
            return None, f"Unreadable probe output: {exc}"
    how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
    return None, f"probe.py ended with {how}.\n{err.strip()[-2000:]}"


async def run_probe(host: HostFacts, timeout_s: float) -> tuple[ProbeReport | None, str | None]:
    argv = [host.venv_python, "-u", str(WORKLOADS_DIR / "probe.py"), *REPORTED_PACKAGES]
    try:
        code, out, err = await capture(argv, env=child_env(), timeout_s=timeout_s)
    # asyncio.wait_for raises asyncio.TimeoutError, a class of its own before Python 3.11.
    except asyncio.TimeoutError:
        return None, f"probe.py did not finish within {timeout_s:.0f} s (JAX hung while loading)."
    return parse_probe(code, out, err)


async def platform_facts(params: RunParams, host: HostFacts) -> PlatformFacts:
    """SFPI, chips and the container: what the real plugin needs around it."""
    usable = host.venv_state in (VenvState.READY, VenvState.EXTERNAL)
    sites = (
        external.site_packages(Path(host.venv_python))
        if params.external_env
        else VenvLayout.at(params.venv).site_packages()
    )
    wanted = usable and not host.cpu_only
    info = await sfpi.info(sites, Path(host.venv_python).parent) if wanted else None
    return PlatformFacts(
        sfpi=info,
        tt_devices=host.tt_devices,
        visible_devices=params.visible_devices,
        external=bool(params.external_env),
        container_python=external.container_python(),
        plugin_version=host.plugin_version if usable else None,
        chip_nodes=read_nodes() if host.tt_devices else [],
    )
