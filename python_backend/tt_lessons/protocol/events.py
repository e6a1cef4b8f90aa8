"""Events streamed while a run goes on, and the outcome that answers the request."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field

from .base import Model
from .cells import CellOutputEvent
from .results import FixAction, RunResult


class RunStatus(str, Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


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
    KERNEL_DIED = "kernel-died"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    BAD_INPUT = "bad-input"
    INTERNAL = "internal"


class ErrorInfo(Model):
    code: ErrorCode
    message: str
    fixes: list[str] = Field(default_factory=list, description="What the person can do next.")
    actions: list[FixAction] = Field(
        default_factory=list,
        description="The fixes the extension can run, as buttons (fixes: the terminal's text).",
    )


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


class DownloadEvent(Model):
    """Bytes of the install's download: what this run transferred, files reused not counted."""

    kind: Literal["download"] = "download"
    done_bytes: int = Field(ge=0)
    total_bytes: int = Field(ge=0, description="Bytes this run has to transfer.")
    rate_bps: float = Field(ge=0, description="Bytes per second over the last few seconds.")
    eta_s: float | None = Field(None, ge=0, description="Seconds left at that rate; None: unknown.")
    files_done: int = Field(ge=0)
    files_total: int = Field(ge=0)
    reused_bytes: int = Field(0, ge=0, description="Complete files kept from an earlier install.")
    current: str | None = Field(None, description="The file being downloaded.")


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
    LogEvent
    | ProgressEvent
    | DownloadEvent
    | TokenEvent
    | EpochEvent
    | CellOutputEvent
    | ResultEvent
    | ErrorEvent
    | EndEvent,
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
    method: str = Field(description="The request that started the run (its wire name).")
    event: Event


class RunOutcome(Model):
    """The response to every run request."""

    run_id: str
    status: RunStatus
    exit_code: int | None
    duration_s: float
    result: RunResult | None = None
    error: ErrorInfo | None = None
