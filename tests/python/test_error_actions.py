"""Errors offer their fixes as buttons the extension can run, next to the terminal's text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tt_lessons import errors
from tt_lessons.errors import BackendError
from tt_lessons.protocol import CommandId, ErrorCode, InstallParams
from tt_lessons.protocol.settings import SECTION, SETTINGS
from tt_lessons.routes import install as install_route
from tt_lessons.venv import checks, environment, install, interpreters, python_spec

from .conftest import json_lines, run_cli

ROOT = Path(__file__).resolve().parents[2]


def _declared_commands() -> set[str]:
    manifest = json.loads((ROOT / "package.json").read_text())
    return {c["command"] for c in manifest["contributes"]["commands"]}


def test_every_command_id_is_one_the_extension_declares() -> None:
    # FixAction.command is a CommandId, so every button names one of these.
    assert {str(c) for c in CommandId} == _declared_commands()
    assert errors.install_action().command == install_route.ROUTE.command.id


def test_install_cpu_only_is_an_argument_the_install_command_accepts() -> None:
    action = errors.install_action(cpu_only=True)
    assert action.args == {"cpuOnly": True}
    assert "cpu_only" in install_route.ROUTE.command.lesson_args
    # The button's arguments arrive as the params' wire names and override the setting.
    params = InstallParams.model_validate({"venv": "/tmp/v", **action.args})
    assert params.cpu_only is True


def test_open_settings_focuses_one_of_our_settings() -> None:
    action = errors.open_settings_action("indexUrl")
    assert action.args == {"query": f"{SECTION}.indexUrl"}
    assert "indexUrl" in {s.key for s in SETTINGS}
    with pytest.raises(ValueError, match="no setting"):
        errors.open_settings_action("indexURL")


def test_actions_travel_on_the_wire_with_the_text_fixes() -> None:
    wire = (
        checks.index_unreachable_error("http://x/simple/", "refused")
        .info()
        .model_dump(by_alias=True, mode="json")
    )
    assert len(wire["fixes"]) == 3
    assert [a["label"] for a in wire["actions"]] == [
        "Install CPU-only",
        "Choose a wheelhouse folder…",
        "Set the index URL…",
        "Open the settings",
    ]
    assert wire["actions"][0] == {
        "label": "Install CPU-only",
        "command": "tenstorrent.installTtXla",
        "argv": None,
        "args": {"cpuOnly": True},
    }
    assert wire["actions"][3]["args"] == {"query": "tenstorrent.ttXla.indexUrl"}


def test_hub_unreachable_from_a_workload_offers_a_model_folder_and_the_setting() -> None:
    actions = errors.workload_error_actions(ErrorCode.HUB_UNREACHABLE)
    assert [(a.label, a.command) for a in actions] == [
        ("Choose a Model Folder…", CommandId.CHOOSE_MODEL_FOLDER),
        ("Open the Setting", CommandId.OPEN_SETTINGS),
    ]
    assert actions[1].args == {"query": f"{SECTION}.modelPath"}
    assert errors.workload_error_actions(ErrorCode.WORKLOAD_FAILED) == []


def test_the_lesson_says_how_to_get_a_checkpoint_folder_without_the_hub() -> None:
    lesson = (ROOT / "lessons" / "tt-xla-jax.md").read_text()
    step = lesson[lesson.index("## Step 3") : lesson.index("[Run the GPT-2 demo]")]
    assert "`hf download openai-community/gpt2 --local-dir gpt2`" in step
    assert errors.choose_model_folder_action().label in step


def test_the_gpt2_demo_starts_with_transformers_advisories_off() -> None:
    from tt_lessons.protocol import DemoParams
    from tt_lessons.routes import demo

    assert demo.ROUTE.workload is not None
    env = demo.ROUTE.workload.env(DemoParams())
    assert env == {"TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}


def test_an_error_without_buttons_has_an_empty_list() -> None:
    info = BackendError(ErrorCode.INTERNAL, "boom", ["read the log"]).info()
    assert info.actions == [] and info.fixes == ["read the log"]


@pytest.mark.parametrize(
    ("uv", "refused", "focus"),
    [("/usr/bin/uv", True, "pythonDownload"), (None, False, "pythonPath")],
)
def test_no_python_fits_offers_the_path_cpu_only_and_the_right_setting(
    uv: str | None, refused: bool, focus: str
) -> None:
    error = interpreters.none_fits_error(
        python_spec.KNOWN,
        interpreters.Search(),
        uv=uv,
        download_refused=refused,
        download_failed=False,
    )
    actions = error.info().actions
    assert [a.command for a in actions] == [
        "tenstorrent.setPythonPath",
        "tenstorrent.installTtXla",
        "tenstorrent.openSettings",
    ]
    assert actions[1].args == {"cpuOnly": True}
    assert actions[2].args == {"query": f"tenstorrent.ttXla.{focus}"}


def test_venv_not_ready_offers_install(tmp_path: Path) -> None:
    with pytest.raises(BackendError) as caught:
        environment.python_for(str(tmp_path / "missing"))
    assert caught.value.code is ErrorCode.VENV_NOT_READY
    assert [(a.label, a.command, a.args) for a in caught.value.actions] == [
        ("Install TT-XLA", "tenstorrent.installTtXla", None)
    ]


async def test_external_environment_refusal_opens_its_setting(tmp_path: Path) -> None:
    params = InstallParams(venv=str(tmp_path / "v"), external_env=str(tmp_path / "mine"))
    with pytest.raises(BackendError) as caught:
        await install.install(params, sink=None)  # type: ignore[arg-type]  # refused before use
    assert [a.args for a in caught.value.actions] == [
        {"query": "tenstorrent.ttXla.externalEnvironment"}
    ]


def test_cli_json_error_carries_the_buttons(tmp_path: Path) -> None:
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home"), "TT_LESSONS_MIN_FREE_MB": "1"}
    url = "http://127.0.0.1:9/simple/"  # discard port: nothing listens
    proc = run_cli("install", "--venv", str(tmp_path / "v"), "--index-url", url, "--json", env=env)
    assert proc.returncode == 1
    error = json_lines(proc.stdout)[-1]["error"]
    assert isinstance(error, dict)
    assert [a["command"] for a in error["actions"]][:1] == ["tenstorrent.installTtXla"]
