"""The one definition of the tt-lessons JSON-RPC protocol.

Every request's params, every result and every streamed event is a pydantic model in this
package (split by role: params, results, events). The TypeScript side never copies these:
`tt-lessons schema` exports JSON Schema, from which `extension/backend/protocol.ts` is generated.
Field names are camelCase on the wire.
"""

from __future__ import annotations

from typing import Literal

from .base import (
    DEFAULT_PROMPT,
    DEFAULT_VENV,
    PROTOCOL_VERSION,
    TT_INDEX_URL,
    Method,
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
    PARAMS_FOR,
    CnnParams,
    DemoParams,
    DoctorParams,
    InstallParams,
    MeshParams,
    RunParams,
    StatusParams,
    TestParams,
)
from .requests import Requests, result_for
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
    ShardPlacement,
    StatusResult,
    TokenProb,
    VenvState,
)


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
    requests: Requests  # built from PARAMS_FOR


__all__ = [
    "DEFAULT_PROMPT",
    "DEFAULT_VENV",
    "PARAMS_FOR",
    "PROTOCOL_VERSION",
    "TT_INDEX_URL",
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
    "InstallParams",
    "InstallResult",
    "LogEvent",
    "Manifest",
    "MeshParams",
    "MeshResult",
    "Method",
    "Model",
    "PluginSource",
    "ProgressEvent",
    "ProtocolSchema",
    "Requests",
    "ResultEvent",
    "RunOutcome",
    "RunParams",
    "RunResult",
    "RunStatus",
    "SanityResult",
    "SanityTimings",
    "ShardPlacement",
    "StatusParams",
    "StatusResult",
    "TestParams",
    "TokenEvent",
    "TokenProb",
    "VenvState",
    "WorkloadEvent",
    "result_for",
]
