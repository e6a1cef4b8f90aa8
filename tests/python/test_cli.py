"""The CLI's commands and flags come from the routes and their params models."""

from __future__ import annotations

import argparse
from typing import Annotated

import pytest
from pydantic import Field
from tt_lessons.cli import _params, add_field_flags, build_parser
from tt_lessons.protocol import (
    DEFAULT_PROMPT,
    Cli,
    DemoParams,
    InstallParams,
    MeshParams,
    Model,
    StatusParams,
)
from tt_lessons.routes import ALL, by_cli


def params(*argv: str) -> dict[str, object]:
    return _params(build_parser().parse_args(list(argv)))


def test_every_route_with_a_cli_name_is_a_command() -> None:
    for route in ALL:
        if route.cli is not None:  # server-only queries have none
            assert build_parser().parse_args([route.cli]).command == route.cli


def test_the_documented_spellings_keep_working() -> None:
    install = InstallParams.model_validate(
        params("install", "--pip", "--timeout", "90", "--cpu-only", "--index-url", "http://i/")
    )
    assert (install.use_uv, install.timeout_s, install.cpu_only) == (False, 90.0, True)
    assert install.index_url == "http://i/"
    mesh = MeshParams.model_validate(params("mesh", "--shape", "8x4", "--no-force-host-devices"))
    assert (mesh.shape, mesh.force_host_devices) == ("8x4", False)
    demo = DemoParams.model_validate(
        params("demo", "--model", "gpt2-xl", "--prompt=-x", "--top-k", "4", "--generate", "3")
    )
    assert (demo.model, demo.prompt, demo.top_k, demo.generate) == ("gpt2-xl", "-x", 4, 3)
    assert StatusParams.model_validate(params("status", "--venv", "/v")).venv == "/v"


def test_absent_flags_leave_the_models_defaults() -> None:
    assert params("demo") == {}
    assert DemoParams.model_validate(params("demo")).prompt == DEFAULT_PROMPT
    assert InstallParams.model_validate(params("install")).use_uv is True


def test_the_run_id_is_not_a_flag() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["test", "--run-id", "x"])


def test_a_params_model_alone_defines_its_flags() -> None:
    """What a new route gets without writing argparse: kebab-case, types, bool switches."""

    class NewParams(Model):
        sample_top_k: int = Field(0, description="100% of the k best")
        temperature: float | None = None
        greedy: bool = True
        verbose: bool = False
        fast: Annotated[bool, Cli("--quick")] = True
        secret: Annotated[str, Cli(None)] = ""

    cmd = argparse.ArgumentParser()
    add_field_flags(cmd, NewParams)
    got = vars(cmd.parse_args(["--sample-top-k", "3", "--temperature", "0.5", "--no-greedy"]))
    assert got == {"sample_top_k": 3, "temperature": 0.5, "greedy": False}
    assert vars(cmd.parse_args(["--verbose", "--quick"])) == {"verbose": True, "fast": False}
    assert "100% of the k best" in cmd.format_help()
    with pytest.raises(SystemExit):
        cmd.parse_args(["--secret", "x"])


def test_by_cli_finds_queries_and_runs() -> None:
    assert by_cli("status").method == "tenstorrent/status"
    assert by_cli("mesh").method == "tenstorrent/runMeshExample"
