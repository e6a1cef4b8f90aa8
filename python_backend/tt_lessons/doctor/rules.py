"""The doctor's judgement, as a pure function: facts about the host and the venv -> findings.

Nothing here runs a process or reads a file, so tests can hand it every failure the lesson's
troubleshooting section covers (no card, plugin missing, "undefined symbol", jax/plugin version
mismatch, CPU fallback) without a broken install. `gather.py` gathers the facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .. import plugin
from ..errors import install_action
from ..protocol import (
    PLUGIN_PACKAGE,
    TT_INDEX_URL,
    CommandId,
    Finding,
    FixAction,
    InstallParams,
    VenvState,
)
from ..version_spec import requirement_for, satisfies

PLUGIN = PLUGIN_PACKAGE
# The symbol stops at brackets or quotes: log lines wrap the exception text in "(...)".
_UNDEFINED = re.compile(r"undefined symbol:\s*(?P<symbol>[^\s()'\"]+)")
_SO_FILE = re.compile(r"(?P<lib>[^\s:'\"]+\.so[.\d]*)")


@dataclass(frozen=True)
class HostFacts:
    """What the backend knows without starting the venv's Python."""

    venv: str
    venv_state: VenvState
    venv_python: str
    venv_note: str | None = None
    installer: Literal["uv", "pip"] | None = None
    cpu_only: bool = False
    tt_devices: list[str] = field(default_factory=list)
    tt_smi: str | None = None
    index_url: str = TT_INDEX_URL  # where this venv's plugin came from (its manifest)
    uv: str | None = None  # the uv binary the installer would run (bundled or on PATH)
    plugin_version: str | None = None  # pjrt-plugin-tt as installed, read from its dist-info


class ProbeReport(BaseModel):
    """What `workloads/probe.py` printed (snake_case: it never leaves the backend)."""

    model_config = ConfigDict(extra="ignore")

    python: str | None = None
    packages: dict[str, str | None] = {}
    plugin_requires: list[str] | None = None
    imports: dict[str, str | None] = {}
    jax_error: str | None = None
    devices_error: str | None = None
    devices: list[dict[str, object]] = []
    default_backend: str | None = None
    log: list[str] = []


# ------------------------------------------------------------------ fixes


def reinstall_fix(host: HostFacts) -> FixAction:
    """Reinstalling the plugin also pulls the jax/jaxlib it was built against."""
    # The command line a person can run by hand: the venv's own index, and the same uv binary
    # the installer uses (a bundled uv is not on PATH). uv spells the flag --reinstall.
    source = [PLUGIN, "--extra-index-url", host.index_url]
    if host.installer == "uv":
        uv = host.uv or "uv"
        argv = [uv, "pip", "install", "--python", host.venv_python, "--reinstall", *source]
    else:
        argv = [host.venv_python, "-m", "pip", "install", "--force-reinstall", *source]
    # The button runs the install with reinstall on: a plain one finds the versions satisfied.
    return FixAction(
        label=f"Reinstall {PLUGIN}",
        command=CommandId.INSTALL_TT_XLA,
        argv=argv,
        args=REINSTALL_ARGS,
    )


# The install route's own lesson argument, spelled as on the wire: {"reinstall": true}.
REINSTALL_ARGS = InstallParams(reinstall=True).model_dump(by_alias=True, include={"reinstall"})


INSTALL_FIX = install_action()
TEST_FIX = FixAction(label="Run the TT-XLA check", command=CommandId.TEST_TT_XLA_INSTALL)
# No card node: usually the tt-kmd driver is not loaded (its module is `tenstorrent`). The backend
# cannot run sudo, so the argv is shown and the button checks again once it has been run.
DRIVER_FIX = FixAction(
    label="Check again after loading the driver",
    command=CommandId.RUN_DOCTOR,
    argv=["sudo", "modprobe", "tenstorrent"],
)
# tt-smi is a PyPI package; pipx puts its command on PATH without touching the system Python.
TT_SMI_FIX = FixAction(
    label="Check again after installing tt-smi",
    command=CommandId.RUN_DOCTOR,
    argv=["pipx", "install", "tt-smi"],
)


def finding(
    id: str,
    status: Literal["ok", "warn", "fail", "info"],
    title: str,
    detail: str,
    fix: FixAction | None = None,
) -> Finding:
    return Finding(id=id, status=status, title=title, detail=detail, fix=fix)


def failure(id: str, title: str, text: str, host: HostFacts) -> Finding:
    """A failure whose error text may be the "undefined symbol" one, which has its own cure."""
    match = _UNDEFINED.search(text)
    if match is None:
        return finding(id, "fail", title, last_line(text), reinstall_fix(host))
    lib = _SO_FILE.search(text)
    where = f" in {lib.group('lib')}" if lib else ""
    return finding(
        id,
        "fail",
        f"ImportError: undefined symbol {match.group('symbol')}",
        f"A compiled library{where} expects a symbol the installed JAX does not provide: the "
        f"TT plugin and jax/jaxlib come from different releases. Reinstalling {PLUGIN} "
        "brings back the jax version it was built against.",
        reinstall_fix(host),
    )


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else "no error text"


# ------------------------------------------------------------------ checks


def venv_finding(host: HostFacts) -> Finding:
    if host.venv_state is VenvState.READY:
        return finding("venv", "ok", "TT-XLA venv is ready", host.venv)
    if host.venv_state is VenvState.EXTERNAL:
        detail = f"{host.venv_python}: {host.venv_note or 'not managed by tt-lessons.'}"
        return finding("venv", "ok", "Using your own environment", detail)
    detail = host.venv_note or f"No usable venv at {host.venv}."
    # No card: the plugin could not run here anyway, so offer what the Install step offers then.
    fix = INSTALL_FIX if host.tt_devices else install_action(cpu_only=True)
    return finding("venv", "fail", f"TT-XLA venv is {host.venv_state.value}", detail, fix)


def hardware_findings(host: HostFacts) -> list[Finding]:
    found: list[Finding] = []
    if host.tt_devices:
        found.append(
            finding("tt-devices", "ok", "Tenstorrent devices found", ", ".join(host.tt_devices))
        )
    else:
        found.append(
            finding(
                "tt-devices",
                "warn",
                "No Tenstorrent device found",
                "There are no /dev/tenstorrent* device nodes, so JAX can only use the CPU. On a "
                "machine with a card, check that the tt-kmd driver is loaded and run tt-smi.",
                DRIVER_FIX,
            )
        )
    if host.tt_smi:
        found.append(finding("tt-smi", "ok", "tt-smi is installed", host.tt_smi))
    else:
        found.append(
            finding(
                "tt-smi",
                "warn" if host.tt_devices else "info",
                "tt-smi is not on PATH",
                "tt-smi reports each board's health and resets it; install it (PyPI package "
                "tt-smi) to check the hardware outside JAX.",
                TT_SMI_FIX,
            )
        )
    return found


def plugin_findings(host: HostFacts, probe: ProbeReport) -> list[Finding]:
    version = probe.packages.get(PLUGIN)
    if version is None:
        if host.cpu_only:
            return [
                finding(
                    "plugin",
                    "warn" if host.tt_devices else "info",
                    f"CPU-only install: {PLUGIN} is not installed",
                    "This venv was installed without the TT plugin, so JAX runs on its CPU "
                    "backend. Install TT-XLA with the plugin to use a Tenstorrent card.",
                    INSTALL_FIX,
                )
            ]
        return [
            finding(
                "plugin",
                "fail",
                f"{PLUGIN} is not installed",
                "JAX has no Tenstorrent backend without it; the install did not complete.",
                reinstall_fix(host),
            )
        ]
    broken = {module: text for module, text in probe.imports.items() if text}
    if not broken:
        modules = ", ".join(probe.imports) or "no modules"
        return [finding("plugin", "ok", f"{PLUGIN} {version} imports", f"Imported {modules}.")]
    module, text = next(iter(broken.items()))
    if "ModuleNotFoundError" in text:
        return [
            finding(
                "plugin",
                "fail",
                f"Module not found: {module}",
                f"{PLUGIN} {version} is registered but its files are missing: the wheel "
                "did not install correctly. Reinstall it.",
                reinstall_fix(host),
            )
        ]
    return [failure("plugin", f"{PLUGIN} does not import ({module})", text, host)]


def _satisfies(version: str, spec: str) -> bool | None:
    """None when the version or the spec is not one we can read."""
    try:
        return satisfies(version, spec)
    except ValueError:
        return None


def version_findings(host: HostFacts, probe: ProbeReport) -> list[Finding]:
    """Compare the installed jax/jaxlib with what the plugin's metadata requires."""
    if probe.packages.get(PLUGIN) is None or probe.plugin_requires is None:
        return []
    problems, matches, unreadable = [], [], []
    for package in ("jax", "jaxlib"):
        requirement = requirement_for(probe.plugin_requires, package)
        installed = probe.packages.get(package)
        if requirement is None or not requirement.spec:
            continue
        wanted = f"{package}{requirement.spec}"
        if installed is None:
            problems.append(f"{package} is not installed (the plugin needs {wanted})")
        elif (holds := _satisfies(installed, requirement.spec)) is None:
            unreadable.append(f"{package} {installed} against {wanted}")
        elif not holds:
            problems.append(f"{package} {installed} is installed, the plugin needs {wanted}")
        else:
            matches.append(f"{package} {installed} ({wanted})")
    plugin = f"{PLUGIN} {probe.packages[PLUGIN]}"
    if problems:
        return [
            finding(
                "versions",
                "fail",
                f"JAX version does not match {PLUGIN}",
                f"{'; '.join(problems)}. {plugin} only works with the JAX it was built against.",
                reinstall_fix(host),
            )
        ]
    if unreadable:
        detail = f"Could not compare {'; '.join(unreadable)}."
        return [finding("versions", "info", "JAX version could not be checked", detail)]
    if matches:
        return [finding("versions", "ok", f"JAX matches {PLUGIN}", f"{', '.join(matches)}.")]
    return [finding("versions", "info", f"{PLUGIN} does not pin JAX", plugin)]


def worth_showing(line: str) -> bool:
    """Probe log lines about the TT plugin, or warnings; not JAX's routine "no TPU" notes."""
    about_tt = re.search(r"'tt'|\btt\b|pjrt_plugin_tt|jax_plugin_tt|plugin", line)
    return bool(about_tt) or not line.startswith("INFO ")


def _why_cpu(probe: ProbeReport) -> str:
    hints = [line for line in probe.log if worth_showing(line)]
    return f" JAX said: {last_line(hints[-1])}" if hints else ""


def jax_findings(host: HostFacts, probe: ProbeReport) -> list[Finding]:
    if probe.jax_error:
        return [failure("jax", "JAX does not import", probe.jax_error, host)]
    if probe.devices_error:
        return [failure("jax", "JAX could not list its devices", probe.devices_error, host)]
    platforms = [str(d.get("platform", "")) for d in probe.devices]
    tt = [p for p in platforms if p.lower() in plugin.JAX_PLATFORMS]
    if tt:
        return [
            finding(
                "jax", "ok", f"JAX runs on {len(tt)} Tenstorrent device(s)", ", ".join(platforms)
            )
        ]
    # A plugin whose .so fails inside initialize() does not stop JAX: it logs the exception and
    # runs on the CPU, so the "undefined symbol" text is only in the probe's log.
    undefined = next((line for line in probe.log if _UNDEFINED.search(line)), None)
    if undefined is not None:
        found = failure("jax", "JAX could not load the TT plugin", undefined, host)
        detail = f"{found.detail} JAX logged this while loading the plugin, then used the CPU."
        return [found.model_copy(update={"detail": detail})]
    plain = ", ".join(sorted(set(platforms))) or "no"
    if host.tt_devices or probe.packages.get(PLUGIN):
        return [
            finding(
                "jax",
                "warn",
                "JAX fell back to the CPU",
                f"JAX reports only {plain} devices, so work runs on the host processor, not on a "
                f"Tenstorrent chip.{_why_cpu(probe)}",
                TEST_FIX if probe.packages.get(PLUGIN) else INSTALL_FIX,
            )
        ]
    return [
        finding(
            "jax",
            "info",
            "JAX runs on the CPU",
            f"JAX reports {plain} devices: expected with a CPU-only install and no Tenstorrent "
            "card. The lesson's examples still run, on the host processor.",
        )
    ]


def analyse(
    host: HostFacts,
    probe: ProbeReport | None,
    probe_failure: str | None,
    platform: Sequence[Finding] = (),
) -> list[Finding]:
    """All findings, in the order a person would check them: the venv, the platform's (SFPI,
    chips, container: platform.py), the hardware, then what the venv's Python reported."""
    findings = [venv_finding(host), *platform, *hardware_findings(host)]
    if host.venv_state not in (VenvState.READY, VenvState.EXTERNAL):
        return findings
    if probe is None:
        text = probe_failure or "the probe printed nothing"
        findings.append(failure("probe", "The venv's Python could not load JAX", text, host))
        return findings
    return [
        *findings,
        *plugin_findings(host, probe),
        *version_findings(host, probe),
        *jax_findings(host, probe),
    ]
