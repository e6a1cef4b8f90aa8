"""TT-Metal environment findings (doctor/tt_metal.py): what pjrt_plugin_tt 1.4.0 does with
TT_METAL_RUNTIME_ROOT, TT_PJRT_PLUGIN_DIR and TT_METAL_HOME, each case without a card."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tt_lessons.doctor.tt_metal import tt_metal_findings
from tt_lessons.protocol import CommandId


def test_nothing_set_nothing_said() -> None:
    assert tt_metal_findings({}, os.path.isdir) == []


def test_a_missing_runtime_root_fails_with_an_unset_button(tmp_path: Path) -> None:
    [found] = tt_metal_findings({"TT_METAL_RUNTIME_ROOT": str(tmp_path / "gone")}, os.path.isdir)
    assert found.status == "fail" and "TT-Metal installation not found" in found.detail
    assert found.fix is not None and found.fix.argv == ["unset", "TT_METAL_RUNTIME_ROOT"]
    assert found.fix.command is CommandId.RUN_DOCTOR


def test_another_tt_metal_is_a_warning_but_the_wheels_own_is_fine(tmp_path: Path) -> None:
    other = tmp_path / "tt-metal"
    own = tmp_path / "site-packages" / "pjrt_plugin_tt" / "tt-metal"
    other.mkdir()
    own.mkdir(parents=True)
    [found] = tt_metal_findings({"TT_METAL_RUNTIME_ROOT": str(other)}, os.path.isdir)
    assert found.status == "warn" and "version mismatch" in found.detail
    assert tt_metal_findings({"TT_METAL_RUNTIME_ROOT": str(own)}, os.path.isdir) == []


@pytest.mark.parametrize(
    ("name", "status", "says"),
    [("TT_PJRT_PLUGIN_DIR", "fail", "pjrt_plugin_tt.so"), ("TT_METAL_HOME", "info", "ignores")],
)
def test_the_other_variables(name: str, status: str, says: str, tmp_path: Path) -> None:
    [found] = tt_metal_findings({name: str(tmp_path / "nowhere")}, os.path.isdir)
    assert found.status == status and says in found.detail


async def test_the_doctor_reports_what_the_runs_inherit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tt_lessons import doctor
    from tt_lessons.protocol import RunParams
    from tt_lessons.run_sink import RunSink

    monkeypatch.setenv("TT_METAL_RUNTIME_ROOT", str(tmp_path / "gone"))
    params = RunParams(venv=str(tmp_path / "no-venv"))
    result = await doctor.run(params, RunSink("tenstorrent/runDoctor", lambda _note: None))
    assert "tt-metal-runtime-root" in [f.id for f in result.findings]
