"""Doctor findings about SFPI, chip selection and the tt-xla container, plus external envs."""

from __future__ import annotations

from pathlib import Path

import pytest
from tt_lessons.doctor.platform import PlatformFacts, platform_findings
from tt_lessons.errors import BackendError
from tt_lessons.protocol import FixAction, SfpiInfo
from tt_lessons.venv import external

FIX = FixAction(
    label="Install SFPI", command="tenstorrent.installSfpi", argv=["/v/bin/tt-forge-install"]
)
CHIPS = ["/dev/tenstorrent/0", "/dev/tenstorrent/1"]


def facts(**overrides: object) -> PlatformFacts:
    base: dict[str, object] = {
        "sfpi": None,
        "tt_devices": [],
        "visible_devices": None,
        "external": False,
        "container_python": None,
    }
    base.update(overrides)
    return PlatformFacts(**base)  # type: ignore[arg-type]


def test_missing_sfpi_fails_with_the_terminal_fix() -> None:
    sfpi = SfpiInfo(
        state="missing", wanted="7.77.0", message="The SFPI compiler 7.77.0 ...", fix=FIX
    )
    (found,) = platform_findings(facts(sfpi=sfpi))
    assert found.id == "sfpi" and found.status == "fail" and found.fix == FIX
    assert "tt-forge-install" in found.detail and "sudo" in found.detail


def test_matching_sfpi_is_ok() -> None:
    sfpi = SfpiInfo(state="ok", wanted="7.77.0", found="7.77.0", message="SFPI 7.77.0 at /opt")
    assert [(f.id, f.status) for f in platform_findings(facts(sfpi=sfpi))] == [("sfpi", "ok")]


def test_chips_seen_and_used_are_both_said() -> None:
    (all_chips,) = platform_findings(facts(tt_devices=CHIPS))
    assert "all 2 chip(s)" in all_chips.title and "/dev/tenstorrent/1" in all_chips.detail
    (picked,) = platform_findings(facts(tt_devices=CHIPS, visible_devices="1"))
    assert picked.status == "ok" and "TT_VISIBLE_DEVICES=1" in picked.detail
    (wrong,) = platform_findings(facts(tt_devices=CHIPS, visible_devices="0,3"))
    assert wrong.status == "fail" and "3" in wrong.detail and "0 to 1" in wrong.detail


def test_no_chips_no_chip_finding() -> None:
    assert platform_findings(facts(visible_devices="0")) == []


def test_the_container_is_suggested_until_it_is_used() -> None:
    (found,) = platform_findings(facts(container_python="/usr/bin/python3"))
    assert found.id == "container" and "externalEnvironment" in found.detail
    assert platform_findings(facts(container_python="/usr/bin/python3", external=True)) == []


def test_external_env_folder_or_interpreter(tmp_path: Path) -> None:
    venv = tmp_path / "tt-forge-venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to("/usr/bin/env")
    (venv / "pyvenv.cfg").write_text("version = 3.12.1\n")
    site = venv / "lib" / "python3.12" / "site-packages"
    (site / "pjrt_plugin_tt-0.1.0.dist-info").mkdir(parents=True)
    assert external.interpreter(str(venv)) == venv / "bin" / "python"
    assert external.site_packages(venv / "bin" / "python") == [site]
    assert external.has_plugin([site])
    with pytest.raises(BackendError) as caught:
        external.interpreter(str(tmp_path / "nothing"))
    assert "externalEnvironment" in " ".join(caught.value.info().fixes)


def test_device_rows_carry_the_chip_architecture() -> None:
    """TT devices print as TTDevice(id=0, arch=Wormhole_b0) (jax_plugin_tt); CPU ones name none."""
    from tt_lessons.workloads._emit import device_info

    class Device:
        def __init__(self, text: str, platform: str) -> None:
            self.id, self.platform, self.device_kind, self._text = 0, platform, platform, text

        def __str__(self) -> str:
            return self._text

    assert device_info(Device("TTDevice(id=0, arch=Wormhole_b0)", "tt"))["arch"] == "Wormhole_b0"
    assert device_info(Device("TFRT_CPU_0", "cpu"))["arch"] is None


def test_the_slim_container_is_recognised_by_its_marker_and_system_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside Docker (/.dockerenv) with pjrt-plugin-tt pip-installed into the system Python."""
    root = tmp_path / "usr"
    python = root / "bin" / "python3"
    python.parent.mkdir(parents=True)
    python.symlink_to("/usr/bin/env")
    (root / "lib" / "python3.12" / "site-packages" / "pjrt_plugin_tt-0.1.dist-info").mkdir(
        parents=True
    )
    marker = tmp_path / ".dockerenv"
    monkeypatch.setattr(external, "CONTAINER_MARKERS", (str(marker),))
    monkeypatch.setattr(external, "SYSTEM_PYTHONS", (str(python),))
    assert external.container_python() is None  # not in a container: no suggestion
    marker.touch()
    assert external.container_python() == str(python)
