"""Params of every request: what the extension and the CLI may ask for.

A field's `Cli` annotation says how the CLI spells it (when not `--field-name`); its
`FromSetting` annotation names the extension setting that fills it. Both are read by
routes/, cli.py and the schema export, never copied.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import (
    DEFAULT_MODEL,
    DEFAULT_PROMPT,
    DEFAULT_VENV,
    DEFAULT_WHEELHOUSE,
    GPT2_MODELS,
    GPT2_WEIGHTS,
    GPT2_WEIGHTS_PATTERN,
    MESH_SHAPE_PATTERN,
    PLUGIN_PACKAGE,
    TT_INDEX_URL,
    VISIBLE_DEVICES_PATTERN,
    Cli,
    FromSetting,
    Model,
)

Venv = Annotated[
    str,
    FromSetting("venvPath"),
    Field(min_length=1, max_length=4096, description="Managed venv folder; `~` is expanded."),
]


ExternalEnv = Annotated[
    str | None,
    FromSetting("externalEnvironment"),
    Field(
        None,
        max_length=4096,
        description=f"An environment you manage that has {PLUGIN_PACKAGE} (a venv folder or an "
        "interpreter): runs use it as it is; nothing is installed into it.",
    ),
]
VisibleDevices = Annotated[
    str | None,
    FromSetting("visibleDevices"),
    Field(
        None,
        max_length=256,
        pattern=VISIBLE_DEVICES_PATTERN,
        description="Chips the runs may use, as TT_VISIBLE_DEVICES: numbers (0,1) or PCI "
        "addresses; empty: every chip.",
    ),
]


class RunParams(Model):
    """Fields every run request shares."""

    venv: Venv = DEFAULT_VENV
    run_id: Annotated[str | None, Cli(None)] = Field(
        None,
        max_length=128,
        description="Client-chosen id echoed in every event; the server makes one if absent.",
    )
    timeout_s: Annotated[float | None, Cli("--timeout"), FromSetting("timeoutSeconds")] = Field(
        None, gt=0, description="Kill the run's process tree after this many seconds."
    )
    external_env: ExternalEnv = None
    visible_devices: VisibleDevices = None


class InstallParams(RunParams):
    cpu_only: Annotated[bool, FromSetting("cpuOnly")] = Field(
        False, description=f"Skip {PLUGIN_PACKAGE}; JAX runs on its CPU backend."
    )
    wheelhouse: Annotated[str | None, FromSetting("wheelhouse")] = Field(
        None, max_length=4096, description="Folder of wheels (--find-links)."
    )
    index_url: Annotated[str, FromSetting("indexUrl")] = Field(
        TT_INDEX_URL, max_length=2048, description=f"Index that serves {PLUGIN_PACKAGE}."
    )
    offline: Annotated[bool, FromSetting("offline")] = Field(
        False,
        description="Use only the wheelhouse and the index URL, never the default index (PyPI).",
    )
    pre: Annotated[bool, FromSetting("pre")] = Field(
        False, description="Allow pre-release (nightly) packages."
    )
    force: bool = Field(
        False, description="Replace an existing folder that was not made by tt-lessons."
    )
    python: str | None = Field(
        None, max_length=4096, description="Interpreter the venv is made from."
    )
    reinstall: bool = Field(
        False, description="Reinstall every package even when the versions already match."
    )
    use_uv: Annotated[bool, Cli("--pip")] = Field(
        True, description="Use uv when present; pip otherwise (--pip: always pip)."
    )
    python_download: Annotated[bool, FromSetting("pythonDownload")] = Field(
        True,
        description=f"Let uv download a managed CPython when no Python here fits {PLUGIN_PACKAGE} "
        "(--no-python-download: never).",
    )
    latest_jax: Annotated[bool, FromSetting("latestJax")] = Field(
        False,
        description=f"CPU-only: the newest jax instead of the version {PLUGIN_PACKAGE} pins.",
    )


class WheelhouseParams(RunParams):
    # The folder the install reads (the wheelhouse setting) when it is set.
    dest: Annotated[str, Cli("DIR"), FromSetting("wheelhouse")] = Field(
        DEFAULT_WHEELHOUSE,
        min_length=1,
        max_length=4096,
        description="Folder the wheels are downloaded into (in VS Code, the wheelhouse setting's "
        "when set); `~` is expanded.",
    )
    index_url: Annotated[str, FromSetting("indexUrl")] = Field(
        TT_INDEX_URL, max_length=2048, description=f"Index that serves {PLUGIN_PACKAGE}."
    )
    offline: bool = Field(
        False, description="Take everything from the index URL, never from the default (PyPI)."
    )
    pre: Annotated[bool, FromSetting("pre")] = Field(
        False, description="Allow pre-release (nightly) packages."
    )
    python_version: str = Field(
        "3.12",
        pattern=r"^3\.[0-9]+$",
        description="Python of the machine the wheels are for.",
    )
    cpu_only: Annotated[bool, FromSetting("cpuOnly")] = Field(
        False, description=f"Leave {PLUGIN_PACKAGE} out: wheels for a CPU-only install."
    )


class TestParams(RunParams):
    pass


class DemoParams(RunParams):
    model: Annotated[str, FromSetting("modelPath", "model")] = Field(
        DEFAULT_MODEL,
        min_length=1,
        max_length=4096,
        description=f"Hub id ({', '.join(GPT2_MODELS)}) or a local model folder.",
    )
    prompt: Annotated[str, FromSetting("prompt")] = Field(
        DEFAULT_PROMPT, min_length=1, max_length=4000, description="Text GPT-2 continues."
    )
    top_k: int = Field(5, ge=1, le=50, description="How many likeliest next tokens to report.")
    generate: Annotated[int, FromSetting("generate")] = Field(
        0,
        ge=0,
        le=256,
        description="Most new tokens to generate; stops early at end-of-text.",
    )
    # Sampling: every value reaches the compiled decode step as data, so changing one never
    # recompiles. Temperature 0 is greedy and deterministic.
    temperature: Annotated[float, FromSetting("temperature")] = Field(
        0.0, ge=0, le=5, description="0: greedy; above 0, sample from softmax(logits / t)."
    )
    sample_top_k: Annotated[int, FromSetting("sampleTopK")] = Field(
        0, ge=0, le=1000, description="Sample only from the k likeliest tokens; 0: no cut."
    )
    top_p: Annotated[float, FromSetting("topP")] = Field(
        1.0, gt=0, le=1, description="Nucleus: the fewest tokens holding p of the mass; 1: no cut."
    )
    seed: Annotated[int, FromSetting("seed")] = Field(
        0, ge=0, le=2**32 - 1, description="The same seed gives the same sampled tokens."
    )
    stop_at_eos: bool = Field(True, description="Stop at the model's end-of-text token.")
    weights: Annotated[str, FromSetting("weights")] = Field(
        GPT2_WEIGHTS[0],
        pattern=GPT2_WEIGHTS_PATTERN,
        description="How the weights are kept: float32, or bfloat16 (half the bytes per token).",
    )


class MeshParams(RunParams):
    # "" (a link's or setting's "not set") picks the shape from the chips seen.
    shape: Annotated[str, FromSetting("meshShape")] = Field(
        "",
        pattern=r"^$|" + MESH_SHAPE_PATTERN,
        description="Rows x cols, e.g. 1x2, 2x4, 8x4; empty: every chip seen, in the usual "
        "shape for that many (1x2 on the CPU).",
    )
    force_host_devices: bool = Field(
        True, description="On CPU, split the host into as many devices as the mesh needs."
    )


class CnnParams(RunParams):
    epochs: int = Field(8, ge=1, le=200, description="Passes over the training set.")
    # numpy's seeds are 32-bit; a lesson link may set it, so the bound is part of the protocol.
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Seed for weights and shuffling.")


class RunFileParams(RunParams):
    """Any .py file run with the venv's Python (run_file.py): not a lesson cell, no kernel."""

    path: Annotated[str, Cli("FILE")] = Field(
        min_length=1, max_length=4096, description="The .py file to run."
    )


class StatusParams(Model):
    venv: Venv = DEFAULT_VENV
    external_env: ExternalEnv = None
    visible_devices: VisibleDevices = None


class VersionsParams(Model):
    venv: Venv = DEFAULT_VENV
    external_env: ExternalEnv = None


class DoctorParams(RunParams):
    pass
