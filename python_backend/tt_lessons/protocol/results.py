"""Results of runs and of status: what comes back once a run is done."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field

from .base import Model
from .cells import CellResult, LessonRunResult
from .names import CommandId
from .reports import SupportBundleResult


class VenvState(str, Enum):
    MISSING = "missing"  # no folder
    INCOMPLETE = "incomplete"  # ours, but an install did not finish: repair before use
    READY = "ready"  # ours, manifest says complete
    FOREIGN = "foreign"  # a folder we did not make; never deleted without force
    EXTERNAL = "external"  # an environment the person manages; used as is, never changed


class PluginSource(Model):
    index_url: str | None
    wheelhouse: str | None
    pre: bool
    cpu_only: bool
    offline: bool


class Manifest(Model):
    """Written inside the venv; `ready` is written last, atomically."""

    tool: Literal["tt-lessons"] = "tt-lessons"
    format: Literal[1] = 1
    state: Literal["incomplete", "ready"]
    python_version: str | None = None
    base_python: str | None = Field(None, description="Interpreter the venv was made from.")
    installer: Literal["uv", "pip"] | None = None
    packages: dict[str, str] = Field(default_factory=dict)
    source: PluginSource | None = None
    updated_at: str
    note: str | None = Field(None, description="Why the venv is incomplete, when it is.")


class DeviceInfo(Model):
    id: int
    platform: str
    kind: str
    description: str
    arch: str | None = Field(None, description="Chip architecture, e.g. Wormhole_b0 (TT only).")


class FixAction(Model):
    label: str
    command: CommandId  # a bare $ref, so the TypeScript type is the one CommandId
    argv: list[str] | None = Field(None, description="Or a shell-free command line to show.")
    args: dict[str, bool | int | str] | None = Field(
        None, description="Arguments the command is run with, e.g. {reinstall: true}."
    )


class SfpiInfo(Model):
    """The SFPI compiler tt-metal will use, against the one the installed plugin was built for."""

    state: Literal["ok", "missing", "mismatch", "unknown", "not-needed"]
    wanted: str | None = Field(None, description="From the plugin's tt-metal sfpi-version file.")
    found: str | None = Field(None, description="Version stamped in riscv-tt-elf-g++.")
    root: str | None = Field(None, description="The SFPI folder tt-metal would use.")
    message: str
    fix: FixAction | None = None


class InstallResult(Model):
    kind: Literal["install"] = "install"
    venv: str
    installer: Literal["uv", "pip"]
    packages: dict[str, str]
    cpu_only: bool
    repaired: bool = Field(description="True when an incomplete or existing venv was reused.")
    python: str | None = Field(None, description="Interpreter the venv was made from.")
    python_version: str | None = None
    jax_pinned: bool = Field(
        True, description="jax/jaxlib are the versions pjrt-plugin-tt pins (CPU-only rehearses it)."
    )
    note: str | None = Field(None, description="What was done differently from what was asked.")
    sfpi: SfpiInfo | None = None


class WheelhouseResult(Model):
    kind: Literal["wheelhouse"] = "wheelhouse"
    folder: str
    wheels: int
    bytes: int
    python_version: str
    direct_urls: list[str] = Field(
        description="Requirements the plugin names by URL (torch...), now served from the folder."
    )


class SanityTimings(Model):
    import_s: float
    compute_s: float


class SanityResult(Model):
    kind: Literal["sanity"] = "sanity"
    devices: list[DeviceInfo]
    platform: str
    result_device: str
    value: float
    expected: float
    ok: bool
    tt_device: bool = Field(description="True when a Tenstorrent device ran it, False for CPU.")
    board: str | None = Field(
        None, description="The board JAX's Tenstorrent devices make up (boards.py); null on CPU."
    )
    jax_version: str
    timings: SanityTimings


class TokenProb(Model):
    token: str
    token_id: int
    probability: float


class DemoTimings(Model):
    load_s: float
    compile_s: float
    first_token_s: float
    prefill_s: float | None = Field(
        None, description="The prompt through the model once, filling the KV cache."
    )
    tokens_per_s: float | None = Field(
        None, description="Generated tokens over prefill plus decode time."
    )
    decode_tokens_per_s: float | None = Field(
        None, description="Tokens after the first over the decode steps' time."
    )


class DemoSampling(Model):
    """How a sampled run drew its tokens (the demo's --temperature, --sample-top-k, ...)."""

    temperature: float
    top_k: int = Field(description="Sampled from the k most likely tokens; 0: from all.")
    top_p: float = Field(description="Nucleus mass kept; 1: no cut.")
    seed: int


class DemoResult(Model):
    kind: Literal["gpt2"] = "gpt2"
    model: str
    model_source: str = Field(description="Folder the weights were read from.")
    prompt: str
    prompt_tokens: int | None = Field(None, description="Prompt tokens the model saw.")
    next_token: str
    probability: float
    top_k: list[TokenProb]
    generated: str = ""
    stop_reason: Literal["length", "end-of-text"] | None = Field(
        None, description="Why generation stopped; null when nothing was generated."
    )
    sampling: DemoSampling | None = Field(
        None, description="The sampling settings; null: greedy (the most likely token each time)."
    )
    platform: str
    tt_device: bool
    cache_hit: bool = Field(description="Persistent compilation cache served the compile.")
    prepared_ahead: Literal["weights", "weights-and-programs"] | None = Field(
        None,
        description="What the interpreter started after the last run had ready for this one "
        "(loaded, compiled); null: this run did it all.",
    )
    timings: DemoTimings


class ShardPlacement(Model):
    device_id: int
    row: int
    col: int
    index: str = Field(description="Which slice of the array lives there, e.g. '[0:4, 0:8]'.")


class MeshResult(Model):
    kind: Literal["mesh"] = "mesh"
    rows: int
    cols: int
    axis_names: list[str]
    platform: str
    tt_device: bool
    devices: list[DeviceInfo]
    board: str | None = Field(
        None, description="The board the driver's chips make up (boards.py); null on CPU."
    )
    shards: list[ShardPlacement]
    max_abs_error: float
    ok: bool
    timings: dict[str, float]


class CnnResult(Model):
    kind: Literal["cnn"] = "cnn"
    dataset: str
    epochs: int
    losses: list[float]
    test_accuracy: float
    train_s: float
    platform: str
    tt_device: bool


class Finding(Model):
    id: str
    status: Literal["ok", "warn", "fail", "info"]
    title: str
    detail: str
    fix: FixAction | None = None


class DoctorResult(Model):
    kind: Literal["doctor"] = "doctor"
    findings: list[Finding]
    checked_at: str | None = Field(
        None, description="When the check ran (ISO 8601 with its UTC offset)."
    )


class StatusResult(Model):
    kind: Literal["status"] = "status"
    venv: str
    state: VenvState
    note: str | None = None
    python_version: str | None = None
    python: str | None = Field(None, description="The interpreter the lesson's runs use.")
    base_python: str | None = Field(None, description="Interpreter the venv was made from.")
    packages: dict[str, str | None]
    tt_devices: list[str] = Field(description="Chip nodes the kernel driver shows.")
    board: str | None = Field(
        None,
        description="The board those chips make up, from the driver's sysfs files, e.g. "
        "'T3K (n300-llmbox), 8 Wormhole chips'; null without chips.",
    )
    visible_devices: str | None = Field(
        None, description="TT_VISIBLE_DEVICES the lesson's runs get; null: every chip."
    )
    tt_smi: str | None
    installer: Literal["uv", "pip"] | None = None
    sfpi_installer: list[str] | None = Field(
        None,
        description="The command line that installs SFPI (the plug-in's tt-forge-install, run "
        "in a terminal: it asks for sudo); null while the plug-in is not installed.",
    )
    backend_version: str


class VersionsResult(Model):
    kind: Literal["versions"] = "versions"
    venv: str
    packages: dict[str, str] = Field(
        description="Every distribution installed in the environment (normalized name) -> version."
    )


class RunFileResult(Model):
    kind: Literal["file"] = "file"
    path: str
    python: str


RunResult = Annotated[
    InstallResult
    | WheelhouseResult
    | SanityResult
    | DemoResult
    | MeshResult
    | CnnResult
    | DoctorResult
    | CellResult
    | LessonRunResult
    | RunFileResult
    | SupportBundleResult,
    Field(discriminator="kind"),
]
