"""Doctor: the pure rules fed each troubleshooting case, the version matcher, and one real run."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from tt_lessons.doctor import parse_probe
from tt_lessons.doctor.rules import HostFacts, ProbeReport, analyse
from tt_lessons.protocol import TT_INDEX_URL, Finding, VenvState
from tt_lessons.version_spec import parse_requirement, requirement_for, satisfies

from .conftest import json_lines, run_cli

PY = "/home/me/tt-xla-venv/bin/python"
UNDEFINED = (
    "ImportError: /home/me/tt-xla-venv/lib/python3.11/site-packages/pjrt_plugin_tt/lib/"
    "libTTMLIRCompiler.so: undefined symbol: _ZN3xla14PjRtCApiClient7CompileEv"
)
REQUIRES = ["jax==0.7.1", "jaxlib==0.7.1", "flax", "pytest; extra == 'test'"]


def host(**changes: Any) -> HostFacts:
    facts: dict[str, Any] = {
        "venv": "/home/me/tt-xla-venv",
        "venv_state": VenvState.READY,
        "venv_python": PY,
        "installer": "pip",
        "tt_devices": ["/dev/tenstorrent/0"],
        "tt_smi": "/usr/local/bin/tt-smi",
    }
    return HostFacts(**{**facts, **changes})


def probe(**changes: Any) -> ProbeReport:
    report: dict[str, Any] = {
        "python": "3.11.9",
        "packages": {"jax": "0.7.1", "jaxlib": "0.7.1", "pjrt-plugin-tt": "0.1.250901+dev.1a2b3c"},
        "plugin_requires": REQUIRES,
        "imports": {"pjrt_plugin_tt": None, "jax_plugin_tt": None},
        "devices": [{"id": 0, "platform": "tt", "kind": "Wormhole"}],
        "default_backend": "tt",
        "log": [],
    }
    return ProbeReport.model_validate({**report, **changes})


def by_id(findings: list[Finding]) -> dict[str, Finding]:
    ids = [f.id for f in findings]
    assert len(ids) == len(set(ids)), ids
    return {f.id: f for f in findings}


REINSTALL = [PY, "-m", "pip", "install", "--force-reinstall", "pjrt-plugin-tt"]


def test_platform_findings_go_after_the_venv_and_before_the_hardware() -> None:
    sfpi = Finding(id="sfpi", status="warn", title="SFPI", detail="missing")
    ids = [f.id for f in analyse(host(), probe(), None, [sfpi])]
    assert ids == ["venv", "sfpi", "tt-devices", "tt-smi", "plugin", "versions", "jax"]


def test_a_healthy_tt_machine_is_all_ok() -> None:
    found = by_id(analyse(host(), probe(), None))
    assert list(found) == ["venv", "tt-devices", "tt-smi", "plugin", "versions", "jax"]
    assert {f.status for f in found.values()} == {"ok"}
    assert "1 Tenstorrent device" in found["jax"].title


def test_undefined_symbol_on_plugin_import_names_the_symbol_and_the_reinstall() -> None:
    broken = probe(imports={"pjrt_plugin_tt": UNDEFINED}, devices=[{"platform": "cpu"}])
    found = by_id(analyse(host(), broken, None))
    plugin = found["plugin"]
    assert plugin.status == "fail"
    assert "undefined symbol _ZN3xla14PjRtCApiClient7CompileEv" in plugin.title
    assert "libTTMLIRCompiler.so" in plugin.detail
    assert plugin.fix is not None and plugin.fix.command == "tenstorrent.installTtXla"
    assert plugin.fix.argv == [*REINSTALL, "--extra-index-url", TT_INDEX_URL]
    # The button must really reinstall: a plain install finds the versions already satisfied.
    assert plugin.fix.args == {"reinstall": True}
    assert plugin.fix.model_dump(by_alias=True)["args"] == {"reinstall": True}
    assert found["jax"].status == "warn" and "fell back" in found["jax"].title


def test_reinstall_command_uses_uv_when_uv_made_the_venv() -> None:
    broken = probe(imports={"pjrt_plugin_tt": UNDEFINED})
    fix = by_id(analyse(host(installer="uv"), broken, None))["plugin"].fix
    assert fix is not None and fix.argv is not None
    assert fix.argv[:5] == ["uv", "pip", "install", "--python", PY]
    assert "--reinstall" in fix.argv and "pjrt-plugin-tt" in fix.argv


def test_reinstall_command_names_the_real_uv_and_the_venvs_own_index() -> None:
    """A bundled uv is not on PATH, and a mirror index the venv came from must be used again."""
    broken = probe(imports={"pjrt_plugin_tt": UNDEFINED})
    mirror = "https://mirror.example/tt/simple/"
    bundled = "/ext/bundled/libs/bin/uv"
    fix = by_id(analyse(host(installer="uv", uv=bundled, index_url=mirror), broken, None))
    argv = fix["plugin"].fix.argv if fix["plugin"].fix else None
    assert argv is not None and argv[0] == bundled
    assert argv[argv.index("--extra-index-url") + 1] == mirror
    pip = by_id(analyse(host(index_url=mirror), broken, None))["plugin"].fix
    assert pip is not None and pip.argv is not None
    assert pip.argv[pip.argv.index("--extra-index-url") + 1] == mirror


def test_doctor_reads_the_index_the_venv_was_installed_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tt_lessons import doctor
    from tt_lessons.protocol import Manifest, PluginSource
    from tt_lessons.venv import manifest
    from tt_lessons.venv.layout import VenvLayout

    layout = VenvLayout.at(str(tmp_path / "venv"))
    layout.root.mkdir()
    mirror = "https://mirror.example/tt/simple/"
    source = PluginSource(
        index_url=mirror, wheelhouse=None, pre=False, cpu_only=False, offline=False
    )
    written = Manifest(state="ready", installer="uv", source=source, updated_at=manifest.now())
    manifest.write(layout, written)
    monkeypatch.setattr(doctor.gather, "find_uv", lambda: "/opt/uv")
    facts = doctor.host_facts(str(layout.root))
    assert facts.index_url == mirror and facts.uv == "/opt/uv"


def test_undefined_symbol_while_jax_starts_is_recognised_too() -> None:
    text = f"RuntimeError: Unable to initialize backend 'tt': {UNDEFINED}"
    found = by_id(analyse(host(), probe(devices_error=text, devices=[]), None))
    assert found["jax"].status == "fail"
    assert "undefined symbol" in found["jax"].title
    assert found["jax"].fix is not None and found["jax"].fix.argv is not None


# What JAX logs (and probe.py collects) when the real wheel's .so fails inside initialize().
LOGGED_UNDEFINED = (
    "ERROR jax._src.xla_bridge: Jax plugin configuration error: Exception when calling "
    f"jax_plugin_tt.initialize() ({UNDEFINED})"
)


def test_undefined_symbol_in_the_plugins_initialize_is_not_a_plain_cpu_fallback() -> None:
    """The modules import; JAX catches the failing initialize(), logs it and runs on the CPU."""
    tpu = "INFO jax._src.xla_bridge: Unable to initialize backend 'tpu': no libtpu"
    fallback = probe(devices=[{"id": 0, "platform": "cpu"}], log=[tpu, LOGGED_UNDEFINED])
    jax = by_id(analyse(host(), fallback, None))["jax"]
    assert jax.status == "fail"
    assert jax.title == "ImportError: undefined symbol _ZN3xla14PjRtCApiClient7CompileEv"
    assert "libTTMLIRCompiler.so" in jax.detail and "then used the CPU" in jax.detail
    assert jax.fix is not None and jax.fix.label == "Reinstall pjrt-plugin-tt"


def test_jax_plugin_version_mismatch_names_both_versions() -> None:
    mismatch = probe(packages={"jax": "0.10.2", "jaxlib": "0.10.2", "pjrt-plugin-tt": "0.1.2"})
    versions = by_id(analyse(host(), mismatch, None))["versions"]
    assert versions.status == "fail"
    assert "jax 0.10.2 is installed, the plugin needs jax==0.7.1" in versions.detail
    assert "jaxlib 0.10.2" in versions.detail
    assert versions.fix is not None and versions.fix.argv is not None
    assert versions.fix.argv[:6] == REINSTALL


def test_missing_plugin_fails_unless_the_install_was_cpu_only() -> None:
    no_plugin = probe(
        packages={"jax": "0.7.1", "jaxlib": "0.7.1", "pjrt-plugin-tt": None},
        plugin_requires=None,
        imports={},
        devices=[{"platform": "cpu"}],
    )
    found = by_id(analyse(host(), no_plugin, None))
    assert found["plugin"].status == "fail" and "not installed" in found["plugin"].title
    assert "versions" not in found
    cpu_only = by_id(analyse(host(cpu_only=True, tt_devices=[], tt_smi=None), no_plugin, None))
    assert cpu_only["plugin"].status == "info"
    assert cpu_only["jax"].status == "info" and "CPU" in cpu_only["jax"].title
    assert cpu_only["tt-devices"].status == "warn" and cpu_only["tt-smi"].status == "info"


def test_module_not_found_is_a_broken_wheel() -> None:
    text = "ModuleNotFoundError: No module named 'pjrt_plugin_tt'"
    plugin = by_id(analyse(host(), probe(imports={"pjrt_plugin_tt": text}), None))["plugin"]
    assert plugin.status == "fail" and plugin.title == "Module not found: pjrt_plugin_tt"
    assert plugin.fix is not None and "--force-reinstall" in (plugin.fix.argv or [])


def test_no_devices_and_no_tt_smi_with_a_card_installed_plugin() -> None:
    found = by_id(
        analyse(host(tt_devices=[], tt_smi=None), probe(devices=[{"platform": "cpu"}]), None)
    )
    assert found["tt-devices"].status == "warn" and "/dev/tenstorrent" in found["tt-devices"].detail
    assert found["tt-smi"].status == "info"


def test_no_device_and_no_tt_smi_come_with_fixes_the_extension_can_run() -> None:
    card = by_id(analyse(host(tt_smi=None), probe(), None))["tt-smi"]
    assert card.status == "warn" and card.fix is not None
    assert card.fix.argv == ["pipx", "install", "tt-smi"]  # shell-free; tt-smi is on PyPI
    assert card.fix.command == "tenstorrent.runDoctor"  # then check again
    none = by_id(analyse(host(tt_devices=[]), probe(devices=[{"platform": "cpu"}]), None))
    devices = none["tt-devices"]
    assert devices.status == "warn" and devices.fix is not None
    assert devices.fix.command == "tenstorrent.runDoctor"
    assert devices.fix.argv == ["sudo", "modprobe", "tenstorrent"]


def test_every_warning_and_failure_has_a_fix_from_the_extensions_command_table() -> None:
    package = json.loads((Path(__file__).parents[2] / "package.json").read_text(encoding="utf-8"))
    commands = {c["command"] for c in package["contributes"]["commands"]}
    no_plugin = {"jax": "0.7.1", "jaxlib": "0.7.1", "pjrt-plugin-tt": None}
    cases = [
        analyse(host(tt_devices=[], tt_smi=None), probe(devices=[{"platform": "cpu"}]), None),
        analyse(host(tt_smi=None), probe(imports={"pjrt_plugin_tt": UNDEFINED}), None),
        analyse(host(), probe(devices=[{"platform": "cpu"}], log=[LOGGED_UNDEFINED]), None),
        analyse(host(), probe(devices=[{"platform": "cpu"}]), None),
        analyse(host(), probe(packages={**no_plugin, "jax": "0.10.2"}), None),
        analyse(host(cpu_only=True), probe(packages=no_plugin, plugin_requires=None), None),
        analyse(host(venv_state=VenvState.INCOMPLETE), None, None),
        analyse(host(), None, "probe.py ended with exit code 1."),
    ]
    for found in cases:
        for item in found:
            if item.status in ("warn", "fail"):
                assert item.fix is not None, item
                assert item.fix.command in commands, item.fix


def test_cpu_fallback_says_so_and_quotes_jax() -> None:
    said = "INFO jax._src.xla_bridge: Unable to initialize backend 'tt': No TT devices found"
    fallback = probe(
        devices=[{"id": 0, "platform": "cpu"}],
        log=["INFO jax._src.xla_bridge: Unable to initialize backend 'tpu': no libtpu", said],
    )
    jax = by_id(analyse(host(), fallback, None))["jax"]
    assert jax.status == "warn" and jax.title == "JAX fell back to the CPU"
    assert "not on a Tenstorrent chip" in jax.detail and "No TT devices found" in jax.detail
    assert "tpu" not in jax.detail
    assert jax.fix is not None and jax.fix.command == "tenstorrent.testTtXlaInstall"


def test_venv_not_ready_stops_before_the_probe() -> None:
    found = by_id(analyse(host(venv_state=VenvState.MISSING), None, None))
    assert list(found) == ["venv", "tt-devices", "tt-smi"]
    assert found["venv"].status == "fail"
    assert found["venv"].fix is not None and found["venv"].fix.command == "tenstorrent.installTtXla"


def test_no_venv_and_no_card_offers_the_cpu_only_install() -> None:
    # Without a card the plugin could not run: the fix is the Install step's own CPU-only choice.
    bare = by_id(analyse(host(venv_state=VenvState.MISSING, tt_devices=[]), None, None))["venv"]
    assert bare.status == "fail" and bare.fix is not None
    assert bare.fix.label == "Install CPU-only"
    assert bare.fix.command == "tenstorrent.installTtXla" and bare.fix.args == {"cpuOnly": True}
    card = by_id(analyse(host(venv_state=VenvState.MISSING), None, None))["venv"]
    assert card.fix is not None and card.fix.args is None  # a card: the full install


def test_a_crashed_probe_is_a_failure_with_its_text() -> None:
    report, why = parse_probe(-11, "", f"Fatal Python error: Segmentation fault\n{UNDEFINED}")
    assert report is None and why is not None and "signal 11" in why
    found = by_id(analyse(host(), None, why))
    assert found["probe"].status == "fail" and "undefined symbol" in found["probe"].title
    ok, none = parse_probe(0, "noise\n" + json.dumps({"python": "3.11.9"}), "")
    assert none is None and ok is not None and ok.python == "3.11.9"


@pytest.mark.parametrize(
    ("version", "spec", "expected"),
    [
        ("0.7.1", "==0.7.1", True),
        ("0.10.2", "==0.7.1", False),
        ("0.7", "==0.7.0", True),
        ("0.7.2", "==0.7.*", True),
        ("0.8.0", "==0.7.*", False),
        ("0.7.1", ">=0.6,<0.8", True),
        ("0.8", ">=0.6,<0.8", False),
        ("1.0.3", "~=1.0.1", True),
        ("1.1", "~=1.0.1", False),
        ("0.7.1rc1", "!=0.7.2", True),
        ("0.1.250901+dev.1a2b3c", ">=0.1", True),
    ],
)
def test_version_matching(version: str, spec: str, expected: bool) -> None:
    assert satisfies(version, spec) is expected


def test_requirement_parsing() -> None:
    parsed = parse_requirement("Jax_Lib (==0.7.1)")
    assert parsed is not None and (parsed.name, parsed.spec) == ("jax-lib", "==0.7.1")
    found = requirement_for(["jaxlib>=0.7; extra == 'x'", "jaxlib==0.7.1"], "jaxlib")
    assert found is not None and found.spec == "==0.7.1"
    assert requirement_for(REQUIRES, "torch") is None


@pytest.mark.slow
def test_real_doctor_on_the_cpu_venv(cpu_venv: Path) -> None:
    done = run_cli("doctor", "--venv", str(cpu_venv), "--json")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    result = json_lines(done.stdout)[-1]["result"]
    assert isinstance(result, dict)
    found = {f["id"]: f for f in result["findings"]}
    assert found["venv"]["status"] == "ok"
    # The test venv is a CPU-only install on a machine without a card.
    assert found["plugin"]["status"] == "info"
    assert found["jax"]["status"] == "info" and "cpu" in found["jax"]["detail"]


@pytest.mark.slow
async def test_real_probe_reads_an_undefined_symbol_from_the_plugins_initialize(
    cpu_venv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fake pjrt-plugin-tt on PYTHONPATH whose initialize() fails like a mismatched .so."""
    site = tmp_path / "site"
    (site / "pjrt_plugin_tt").mkdir(parents=True)
    (site / "pjrt_plugin_tt" / "__init__.py").write_text("")
    (site / "jax_plugin_tt").mkdir()
    (site / "jax_plugin_tt" / "__init__.py").write_text(
        "def initialize():\n"
        "    try:\n"
        f"        raise ImportError({UNDEFINED.removeprefix('ImportError: ')!r})\n"
        "    except ImportError as exc:\n"  # wrapped, as a plugin may do
        "        raise RuntimeError('could not load the TT runtime') from exc\n"
    )
    info = site / "pjrt_plugin_tt-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pjrt-plugin-tt\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[jax_plugins]\ntt = jax_plugin_tt\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.delenv("JAX_PLATFORMS", raising=False)

    from tt_lessons import doctor
    from tt_lessons.protocol import RunParams
    from tt_lessons.routes import Method
    from tt_lessons.run_sink import RunSink

    sink = RunSink(Method.DOCTOR, lambda _note: None)
    result = await doctor.run(RunParams(venv=str(cpu_venv)), sink)
    found = by_id(result.findings)
    assert found["plugin"].status == "ok"  # the modules themselves import
    jax = found["jax"]
    assert jax.status == "fail", jax
    assert "undefined symbol _ZN3xla14PjRtCApiClient7CompileEv" in jax.title
    assert jax.fix is not None and jax.fix.command == "tenstorrent.installTtXla"


def test_doctor_without_a_venv(tmp_path: Path) -> None:
    done = run_cli("doctor", "--venv", str(tmp_path / "none"), "--json")
    # A failing check: the doctor ran, and says by its exit code that it found a problem.
    assert done.returncode == 1, done.stdout[-3000:]
    result = json_lines(done.stdout)[-1]["result"]
    assert isinstance(result, dict)
    found = {f["id"]: f for f in result["findings"]}
    assert found["venv"]["status"] == "fail" and "missing" in found["venv"]["title"]
    assert "plugin" not in found
    # When it ran, so a "Check again" shows a new check even when nothing changed.
    checked = datetime.fromisoformat(str(result["checkedAt"]))
    assert abs((datetime.now(timezone.utc) - checked).total_seconds()) < 120


def test_unreadable_versions_are_not_reported_as_a_mismatch() -> None:
    odd = probe(packages={"jax": "unknown", "jaxlib": "0.7.1", "pjrt-plugin-tt": "0.1.2"})
    versions = by_id(analyse(host(), odd, None))["versions"]
    assert versions.status == "info" and "jax unknown" in versions.detail


def test_tt_device_nodes_are_listed_per_chip(tmp_path: Path) -> None:
    from tt_lessons.venv.status import tt_devices

    dev = tmp_path / "dev"
    dev.mkdir()
    assert tt_devices(str(dev)) == []
    (dev / "tenstorrent").mkdir()  # tt-kmd: a folder with one node per chip
    for chip in ("0", "1"):
        (dev / "tenstorrent" / chip).touch()
    (dev / "tenstorrent7").touch()  # a bare node counts too
    assert tt_devices(str(dev)) == [
        str(dev / "tenstorrent" / "0"),
        str(dev / "tenstorrent" / "1"),
        str(dev / "tenstorrent7"),
    ]


async def test_a_hung_probe_is_reported_not_raised(tmp_path: Path) -> None:
    """A probe that never ends gives a finding's text (on 3.10 wait_for raises asyncio's own
    TimeoutError, which `except TimeoutError` missed)."""
    from tt_lessons.doctor import run_probe

    hung = tmp_path / "python"
    hung.write_text("#!/bin/sh\nexec sleep 600\n")
    hung.chmod(0o755)
    report, failure = await run_probe(host(venv_python=str(hung)), timeout_s=0.2)
    assert report is None
    assert failure is not None and "did not finish within" in failure
