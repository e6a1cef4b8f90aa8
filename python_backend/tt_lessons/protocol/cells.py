"""Lesson cells run in a Jupyter kernel: their params, outputs, results and the kernel requests.

A cell is the N-th ```python fence of a lesson (0-based, counted over every fence whose info
string's first word is `python`); a fence whose info string is `python norun` is shown but has
no Run button. Outputs are nbformat's v4 outputs, field for field and snake_case on the wire too
(`NbModel`): the kernel's messages, the cell-output events, the extension's model (the generated
TypeScript types) and the exported .ipynb hold the same objects, never converted by hand.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import DEFAULT_MODEL, DEFAULT_VENV, Cli, FromSetting, Model
from .names import MAX_CODE_CHARS
from .params import ExternalEnv, RunParams, Venv, VisibleDevices

LESSON_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
# A cell's output caps, in characters of text (Python's len, JavaScript's length) and newlines, and
# in output items (the extension merges a stream's chunks into one item). The backend passes on
# at most these, the extension keeps at most these (routes.generated.ts CELL_OUTPUT_CAPS); the rest
# is counted and the cell's note says how much.
MAX_CELL_OUTPUT_CHARS = 200_000
MAX_CELL_OUTPUT_LINES = 5_000
MAX_CELL_OUTPUTS = 200

LessonId = Annotated[
    str,
    Cli("--lesson"),
    Field(pattern=LESSON_ID_PATTERN, description="The lesson's id (its front matter `id`)."),
]
# Mime type -> text (image/png: base64), as nbformat keeps it.
MimeBundle = Annotated[dict[str, str], Field(title="MimeBundle")]
# Mime type -> what nbformat's `metadata` says of it (an image's width, ...).
OutputMetadata = Annotated[dict[str, Any], Field(title="OutputMetadata")]


class NbModel(BaseModel):
    """nbformat's own objects: its snake_case names on the wire as well (no camelCase alias).

    In the exported schema a field with a default is required (the backend always sends it), so
    the TypeScript types need no checks for a missing `output_type` or `metadata`.
    """

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class StreamOutput(NbModel):
    output_type: Literal["stream"] = "stream"
    name: Literal["stdout", "stderr"]
    text: str


class ExecuteResultOutput(NbModel):
    output_type: Literal["execute_result"] = "execute_result"
    execution_count: int | None
    data: MimeBundle
    metadata: OutputMetadata = Field(default_factory=dict)


class DisplayDataOutput(NbModel):
    output_type: Literal["display_data"] = "display_data"
    data: MimeBundle
    metadata: OutputMetadata = Field(default_factory=dict)


class ErrorOutput(NbModel):
    output_type: Literal["error"] = "error"
    ename: str
    evalue: str
    traceback: list[str] = Field(description="Lines with ANSI colour codes, as IPython wrote them.")


class ClearOutput(NbModel):
    """`IPython.display.clear_output`: drop the cell's outputs (at the next one when `wait`)."""

    output_type: Literal["clear_output"] = "clear_output"
    wait: bool = False


# What a kernel sends (TypeScript: `OutputOrClear`).
CellOutput = Annotated[
    StreamOutput | ExecuteResultOutput | DisplayDataOutput | ErrorOutput | ClearOutput,
    Field(discriminator="output_type", title="OutputOrClear"),
]
# What a cell and a notebook keep: clear_output is applied, not stored (TypeScript: `CellOutput`).
StoredOutput = Annotated[
    StreamOutput | ExecuteResultOutput | DisplayDataOutput | ErrorOutput,
    Field(discriminator="output_type", title="CellOutput"),
]


class CellOutputEvent(Model):
    """One output of a running cell, streamed as the kernel sends it."""

    kind: Literal["cell-output"] = "cell-output"
    cell: int
    output: CellOutput


class RunCellParams(RunParams):
    lesson_id: LessonId
    cell: Annotated[int, Cli("--cell")] = Field(
        ge=0, description="0-based index among the lesson's ```python fences."
    )
    code: str | None = Field(
        None,
        max_length=MAX_CODE_CHARS,
        description=(
            "The learner's edited text; absent: the lesson's own. A lesson that is not bundled "
            "only runs with `code`, which the extension sends only in a trusted workspace."
        ),
    )


class KernelParams(Model):
    """Which lesson's kernel (interrupt, restart, start ahead)."""

    venv: Venv = DEFAULT_VENV
    external_env: ExternalEnv = None
    visible_devices: VisibleDevices = None
    lesson_id: LessonId


class ExportCell(NbModel):
    """A code cell as nbformat has it."""

    source: str = Field(max_length=MAX_CODE_CHARS)
    outputs: list[StoredOutput] = Field(default_factory=list)
    execution_count: int | None = None


class ExportNotebookParams(Model):
    venv: Venv = DEFAULT_VENV
    external_env: ExternalEnv = None
    lesson_id: LessonId
    path: str = Field(min_length=1, max_length=4096, description="The .ipynb file to write.")
    cells: Annotated[list[ExportCell] | None, Cli(None)] = Field(
        None, description="The cells as the learner has them; absent: the lesson's, no outputs."
    )


# One vocabulary for a cell's state on both sides: how its last run ended (the backend's
# CellResult), and also, on the page, idle / queued / running. "failed": the code raised, or the
# lesson's check of it failed. Titled, so TypeScript gets named types.
CellRunStatus = Annotated[
    Literal["succeeded", "failed", "interrupted", "died", "timeout"],
    Field(title="CellRunStatus"),
]
CellStatus = Annotated[
    Literal["idle", "queued", "running", "succeeded", "failed", "interrupted", "died", "timeout"],
    Field(title="CellStatus"),
]
# One vocabulary for a lesson's kernel on both sides (the page shows it): "none" while no kernel
# runs (none started yet, or no venv to start one in); "restarting" is the page's own while a
# restart is under way. Titled, so TypeScript gets it as the named type `KernelState`.
KernelStateName = Annotated[
    Literal["none", "starting", "idle", "busy", "restarting", "dead"],
    Field(title="KernelState"),
]


# The backend always sends every field of what it answers: in the schema, defaults are required.
SENT = ConfigDict(json_schema_serialization_defaults_required=True)


class CheckResult(Model):
    """A cell's or step's check (the lesson's ```check fence): the tick means `passed`."""

    model_config = SENT

    status: Literal["passed", "failed", "not-checked"]
    failures: list[str] = Field(default_factory=list, description="What did not hold.")
    hint: str | None = Field(None, description="The lesson's hint, shown when it failed.")


class CellResult(Model):
    model_config = SENT

    kind: Literal["cell"] = "cell"
    lesson_id: str
    cell: int
    status: CellRunStatus = Field(
        description="succeeded; failed (the code raised); interrupted; died (the kernel process "
        "ended: the next run starts a fresh one); timeout (interrupted at the run's time limit)."
    )
    execution_count: int | None
    duration_s: float
    outputs: int = Field(description="Outputs sent (cell-output events).")
    truncated: bool = Field(description="Output past the per-cell cap was dropped.")
    dropped_chars: int = Field(0, description="Characters not passed on (past the cap).")
    dropped_lines: int = Field(0, description="Of those, the newlines.")
    kernel_started: bool = Field(description="A new kernel was started for this run (cold).")
    check: CheckResult = Field(
        default_factory=lambda: CheckResult(status="not-checked"),
        description="The lesson's check of this cell, run in the same kernel after it.",
    )


class RunLessonParams(RunParams):
    lesson_id: LessonId = "tt-xla-jax"  # the palette's Run the Whole Lesson: the main lesson
    report: Annotated[str | None, Cli("--report")] = Field(
        None,
        max_length=4096,
        description="Folder for report.json, report.html and <lesson>.ipynb; absent: none.",
    )
    cpu_only: Annotated[bool, FromSetting("cpuOnly")] = Field(
        False, description="Cells run with JAX_PLATFORMS=cpu; TT-only checks fail with why."
    )
    model: Annotated[str, FromSetting("modelPath", "model")] = Field(
        DEFAULT_MODEL,
        min_length=1,
        max_length=4096,
        description="The GPT-2 steps' model: a hub id or a local model folder.",
    )


ItemStatus = Literal["passed", "failed", "skipped"]


class LessonItemReport(Model):
    """One cell or step of a whole-lesson run, in document order."""

    kind: Literal["cell", "step"]
    title: str
    line: int
    cell: int | None = None
    command: str | None = None
    status: ItemStatus
    check: CheckResult
    duration_s: float
    summary: str = Field(description="The outputs' text, shortened, or the step's result.")
    error: str | None = None
    fixes: list[str] = Field(default_factory=list)


class LessonRunResult(Model):
    kind: Literal["lesson"] = "lesson"
    lesson_id: str
    passed: bool = Field(description="Every cell and step passed (skipped optional ones aside).")
    items: list[LessonItemReport]
    report: str | None = Field(None, description="The report folder, when one was written.")


class KernelStatus(Model):
    """Answer of interruptKernel, restartKernel and startKernel."""

    lesson_id: str
    state: KernelStateName
    action: Literal["none", "interrupted", "killed", "restarting", "starting"] = Field(
        description="What the request did: a second interrupt while the cell still runs kills "
        "the kernel."
    )


class ExportNotebookResult(Model):
    path: str
    cells: int
    kernel_name: str = Field(description="The kernelspec the notebook names (TT-XLA (venv)).")
    kernelspec_folder: str | None = Field(
        default=None,
        description="Where that kernelspec was registered for Jupyter (outside the workspace, "
        "so the person is told); None when the venv is not installed yet.",
    )
