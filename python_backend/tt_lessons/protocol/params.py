"""Params of every request: what the extension and the CLI may ask for."""

from __future__ import annotations

from pydantic import Field

from .base import DEFAULT_PROMPT, DEFAULT_VENV, TT_INDEX_URL, Method, Model


class RunParams(Model):
    """Fields every run request shares."""

    venv: str = Field(
        DEFAULT_VENV, min_length=1, max_length=4096, description="Managed venv folder."
    )
    run_id: str | None = Field(
        None,
        max_length=128,
        description="Client-chosen id echoed in every event; the server makes one if absent.",
    )
    timeout_s: float | None = Field(
        None, gt=0, description="Kill the run's process tree after this many seconds."
    )


class InstallParams(RunParams):
    cpu_only: bool = Field(False, description="Skip pjrt-plugin-tt; JAX runs on its CPU backend.")
    wheelhouse: str | None = Field(
        None, max_length=4096, description="Folder of wheels (--find-links)."
    )
    index_url: str = Field(
        TT_INDEX_URL, max_length=2048, description="Index that serves pjrt-plugin-tt."
    )
    offline: bool = Field(
        False,
        description="Use only the wheelhouse and the index URL, never the default index (PyPI).",
    )
    pre: bool = Field(False, description="Allow pre-release (nightly) packages.")
    force: bool = Field(
        False, description="Replace an existing folder that was not made by tt-lessons."
    )
    python: str | None = Field(
        None, max_length=4096, description="Interpreter the venv is made from."
    )
    reinstall: bool = Field(
        False, description="Reinstall every package even when the versions already match."
    )
    use_uv: bool = Field(True, description="Use uv when present; pip otherwise.")


class TestParams(RunParams):
    pass


class DemoParams(RunParams):
    model: str = Field(
        "gpt2",
        min_length=1,
        max_length=4096,
        description="Hub id (gpt2, gpt2-medium, gpt2-large, gpt2-xl) or a local model folder.",
    )
    prompt: str = Field(DEFAULT_PROMPT, min_length=1, max_length=4000)
    top_k: int = Field(5, ge=1, le=50)
    generate: int = Field(0, ge=0, le=256, description="Extra tokens to generate greedily.")


class MeshParams(RunParams):
    shape: str = Field("1x2", pattern=r"^[1-9][0-9]*x[1-9][0-9]*$", description="Rows x cols.")
    force_host_devices: bool = Field(
        True, description="On CPU, split the host into as many devices as the mesh needs."
    )


class CnnParams(RunParams):
    epochs: int = Field(8, ge=1, le=200)
    seed: int = 0


class StatusParams(Model):
    venv: str = Field(DEFAULT_VENV, min_length=1, max_length=4096)


class DoctorParams(RunParams):
    pass


PARAMS_FOR: dict[Method, type[Model]] = {
    Method.INSTALL: InstallParams,
    Method.TEST: TestParams,
    Method.DEMO: DemoParams,
    Method.MESH: MeshParams,
    Method.CNN: CnnParams,
    Method.STATUS: StatusParams,
    Method.DOCTOR: DoctorParams,
}
