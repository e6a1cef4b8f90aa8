"""The one definition of the tt-lessons JSON-RPC protocol.

Every request's params, every result and every streamed event is a pydantic model here. The
TypeScript side never copies these: `tt-lessons schema` exports JSON Schema, from which
`extension/backend/protocol.ts` is generated. Field names are camelCase on the wire.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

PROTOCOL_VERSION = 1
DEFAULT_VENV = "~/tt-xla-venv"
TT_INDEX_URL = "https://pypi.eng.aws.tenstorrent.com/"
DEFAULT_PROMPT = "The capital of France is"


class Method(str, Enum):
    """JSON-RPC method names (requests unless noted)."""

    INSTALL = "tenstorrent/installTtXla"
    TEST = "tenstorrent/testTtXlaInstall"
    DEMO = "tenstorrent/runTtXlaDemo"
    MESH = "tenstorrent/runMeshExample"
    CNN = "tenstorrent/runCnnExample"
    STATUS = "tenstorrent/status"
    DOCTOR = "tenstorrent/doctor"
    EVENT = "tenstorrent/event"  # notification, server -> client


class Model(BaseModel):
    """Base: camelCase on the wire, snake_case in Python, unknown fields refused."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=False
    )


# ---------------------------------------------------------------- params


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


# ---------------------------------------------------------------- results


class VenvState(str, Enum):
    MISSING = "missing"  # no folder
    INCOMPLETE = "incomplete"  # ours, but an install did not finish: repair before use
    READY = "ready"  # ours, manifest says complete
    FOREIGN = "foreign"  # a folder we did not make; never deleted without force


class RunStatus(str, Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


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


class InstallResult(Model):
    kind: Literal["install"] = "install"
    venv: str
    installer: Literal["uv", "pip"]
    packages: dict[str, str]
    cpu_only: bool
    repaired: bool = Field(description="True when an incomplete or existing venv was reused.")


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
    tokens_per_s: float | None = None


class DemoResult(Model):
    kind: Literal["gpt2"] = "gpt2"
    model: str
    model_source: str = Field(description="Folder the weights were read from.")
    prompt: str
    next_token: str
    probability: float
    top_k: list[TokenProb]
    generated: str = ""
    platform: str
    tt_device: bool
    cache_hit: bool = Field(description="Persistent compilation cache served the compile.")
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


class FixAction(Model):
    label: str
    command: str = Field(description="A tenstorrent.* command the extension can run.")
    argv: list[str] | None = Field(None, description="Or a shell-free command line to show.")


class DoctorResult(Model):
    kind: Literal["doctor"] = "doctor"
    findings: list[Finding]


class StatusResult(Model):
    kind: Literal["status"] = "status"
    venv: str
    state: VenvState
    note: str | None = None
    python_version: str | None = None
    packages: dict[str, str | None]
    tt_devices: list[str]
    tt_smi: str | None
    installer: Literal["uv", "pip"] | None = None
    backend_version: str


RunResult = Annotated[
    InstallResult | SanityResult | DemoResult | MeshResult | CnnResult | DoctorResult,
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------- events


class ErrorCode(str, Enum):
    INDEX_UNREACHABLE = "index-unreachable"
    HUB_UNREACHABLE = "hub-unreachable"
    PYTHON_UNSUPPORTED = "python-unsupported"
    PYTHON_NOT_FOUND = "python-not-found"
    VENV_MODULE_MISSING = "venv-module-missing"
    NO_DISK_SPACE = "no-disk-space"
    PERMISSION_DENIED = "permission-denied"
    FOREIGN_VENV = "foreign-venv"
    VENV_NOT_READY = "venv-not-ready"
    VENV_BUSY = "venv-busy"
    INSTALL_FAILED = "install-failed"
    WORKLOAD_FAILED = "workload-failed"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    BAD_INPUT = "bad-input"
    INTERNAL = "internal"


class ErrorInfo(Model):
    code: ErrorCode
    message: str
    fixes: list[str] = Field(default_factory=list, description="What the person can do next.")


class LogEvent(Model):
    """Output lines in order; a fast child's lines arrive batched, one event per read."""

    kind: Literal["log"] = "log"
    stream: Literal["stdout", "stderr", "info"]
    lines: list[str] = Field(min_length=1)


class ProgressEvent(Model):
    kind: Literal["progress"] = "progress"
    step: int = Field(ge=1)
    total: int = Field(ge=1)
    label: str
    percent: float | None = Field(None, ge=0, le=100)


class TokenEvent(Model):
    """One generated token, streamed as it is produced."""

    kind: Literal["token"] = "token"
    index: int
    token: str
    token_id: int
    probability: float


class EpochEvent(Model):
    kind: Literal["epoch"] = "epoch"
    epoch: int
    loss: float
    accuracy: float | None = None


class ResultEvent(Model):
    kind: Literal["result"] = "result"
    result: RunResult


class ErrorEvent(Model):
    kind: Literal["error"] = "error"
    error: ErrorInfo


class EndEvent(Model):
    """Always the last event of a run."""

    kind: Literal["end"] = "end"
    status: RunStatus
    exit_code: int | None
    duration_s: float


Event = Annotated[
    LogEvent | ProgressEvent | TokenEvent | EpochEvent | ResultEvent | ErrorEvent | EndEvent,
    Field(discriminator="kind"),
]

# What a workload child may print as a JSON line (the backend adds log/end itself).
WorkloadEvent = Annotated[
    LogEvent | ProgressEvent | TokenEvent | EpochEvent | ResultEvent | ErrorEvent,
    Field(discriminator="kind"),
]


class EventNotification(Model):
    """Params of the `tenstorrent/event` notification."""

    run_id: str
    seq: int = Field(ge=0, description="0, 1, 2, ... per run, with no gaps.")
    method: Method
    event: Event


class RunOutcome(Model):
    """The response to every run request."""

    run_id: str
    status: RunStatus
    exit_code: int | None
    duration_s: float
    result: RunResult | None = None
    error: ErrorInfo | None = None


class ProtocolSchema(Model):
    """Root of the exported schema: names every type the TypeScript side uses."""

    version: Literal[1]
    install_params: InstallParams
    test_params: TestParams
    demo_params: DemoParams
    mesh_params: MeshParams
    cnn_params: CnnParams
    status_params: StatusParams
    doctor_params: DoctorParams
    event_notification: EventNotification
    run_outcome: RunOutcome
    status_result: StatusResult
    manifest: Manifest
    method: Method


PARAMS_FOR: dict[Method, type[Model]] = {
    Method.INSTALL: InstallParams,
    Method.TEST: TestParams,
    Method.DEMO: DemoParams,
    Method.MESH: MeshParams,
    Method.CNN: CnnParams,
    Method.STATUS: StatusParams,
    Method.DOCTOR: DoctorParams,
}

Finding.model_rebuild()
