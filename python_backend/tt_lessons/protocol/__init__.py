"""The one definition of the tt-lessons JSON-RPC protocol's types.

Every request's params, every result and every streamed event is a pydantic model in this
package (split by role: params, results, events), next to the constants and settings the
extension shares. Which method takes which params is declared once per method in `routes/`.
The TypeScript side never copies these: `tt-lessons schema` exports JSON Schema, from which
`extension/backend/protocol.ts` is generated. Field names are camelCase on the wire.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    DEFAULT_MESH_SHAPE,
    DEFAULT_MODEL,
    DEFAULT_PROMPT,
    DEFAULT_VENV,
    EVENT_METHOD,
    GPT2_MODELS,
    MESH_SHAPE_PATTERN,
    PLUGIN_PACKAGE,
    PROTOCOL_VERSION,
    TT_INDEX_URL,
    Cli,
    FromSetting,
    Model,
)
from .events import (
    EndEvent,
    EpochEvent,
    ErrorCode,
    ErrorEvent,
    ErrorInfo,
    Event,
    EventNotification,
    LogEvent,
    ProgressEvent,
    ResultEvent,
    RunOutcome,
    RunStatus,
    TokenEvent,
    WorkloadEvent,
)
from .params import (
    CnnParams,
    DemoParams,
    DoctorParams,
    InstallParams,
    MeshParams,
    RunParams,
    StatusParams,
    TestParams,
    WheelhouseParams,
)
from .results import (
    CnnResult,
    DemoResult,
    DemoTimings,
    DeviceInfo,
    DoctorResult,
    Finding,
    FixAction,
    InstallResult,
    Manifest,
    MeshResult,
    PluginSource,
    RunResult,
    SanityResult,
    SanityTimings,
    SfpiInfo,
    ShardPlacement,
    StatusResult,
    TokenProb,
    VenvState,
    WheelhouseResult,
)

if TYPE_CHECKING:
    from enum import Enum

    Method: type[Enum]


def __getattr__(name: str) -> object:
    """`Method` (wire names by command, e.g. `Method.TEST`) is built from routes/ on first use:
    the routes import this package, so it cannot be imported at the top."""
    if name == "Method":
        from ..routes import Method

        return Method
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MESH_SHAPE",
    "DEFAULT_MODEL",
    "DEFAULT_PROMPT",
    "DEFAULT_VENV",
    "EVENT_METHOD",
    "GPT2_MODELS",
    "MESH_SHAPE_PATTERN",
    "PLUGIN_PACKAGE",
    "PROTOCOL_VERSION",
    "TT_INDEX_URL",
    "Cli",
    "CnnParams",
    "CnnResult",
    "DemoParams",
    "DemoResult",
    "DemoTimings",
    "DeviceInfo",
    "DoctorParams",
    "DoctorResult",
    "EndEvent",
    "EpochEvent",
    "ErrorCode",
    "ErrorEvent",
    "ErrorInfo",
    "Event",
    "EventNotification",
    "Finding",
    "FixAction",
    "FromSetting",
    "InstallParams",
    "InstallResult",
    "LogEvent",
    "Manifest",
    "MeshParams",
    "MeshResult",
    "Model",
    "PluginSource",
    "ProgressEvent",
    "ResultEvent",
    "RunOutcome",
    "RunParams",
    "RunResult",
    "RunStatus",
    "SanityResult",
    "SanityTimings",
    "SfpiInfo",
    "ShardPlacement",
    "StatusParams",
    "StatusResult",
    "TestParams",
    "TokenEvent",
    "TokenProb",
    "VenvState",
    "WheelhouseParams",
    "WheelhouseResult",
    "WorkloadEvent",
]
