"""JSON Schema export of the protocol: the TypeScript types are generated from this text.

Next to the types, `x-tt-lessons` carries the data the extension derives its tables from: each
run route's command (id, title, icon, the lesson args it accepts with their constraints), the
settings that fill each request's params, the settings themselves and the shared constants.
scripts/gen-protocol.mjs turns it into extension/backend/routes.generated.ts and
settings.generated.ts.

Every definition (and the root) carries `x-tt-module`, the Python module that declares it, so the
generator writes one TypeScript file per module under extension/backend/protocol/.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .protocol import (
    EVENT_METHOD,
    GPT2_MODELS,
    KERNEL_CPU_DEVICES,
    MAX_CODE_CHARS,
    MESH_SHAPE_PATTERN,
    PLUGIN_PACKAGE,
    REPORTED_PACKAGES,
    CommandId,
    EventNotification,
    FromSetting,
    Manifest,
    Model,
    RunOutcome,
    StatusResult,
    cells,
)
from .protocol.cells import (
    MAX_CELL_OUTPUT_CHARS,
    MAX_CELL_OUTPUT_LINES,
    MAX_CELL_OUTPUTS,
    CellStatus,
)
from .protocol.settings import SECTION, SETTINGS
from .routes import ALL, ROUTES, Requests, Route

# The keywords a lesson argument's check needs; the extension implements exactly these.
ARG_KEYWORDS = ("type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum")


MODULE_KEY = "x-tt-module"


class ModuleTaggedSchema(GenerateJsonSchema):
    """Tags each model's and enum's schema with the module that declares it (MODULE_KEY)."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        return {**super().model_schema(schema), MODULE_KEY: schema["cls"].__module__}

    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        return {**super().enum_schema(schema), MODULE_KEY: schema["cls"].__module__}


def protocol_schema() -> type[Model]:
    """Root of the exported schema: names every type the TypeScript side uses."""
    params = {r.params.__name__: (r.params, ...) for r in ALL}
    fields: dict[str, Any] = {
        "version": (Literal[1], ...),
        **params,
        "event_notification": (EventNotification, ...),
        "run_outcome": (RunOutcome, ...),
        "status_result": (StatusResult, ...),
        "manifest": (Manifest, ...),
        # The page's cell states, named in no message: tagged by hand, being no model of its own.
        "cell_status": (CellStatus, Field(json_schema_extra={MODULE_KEY: cells.__name__})),
        "requests": (Requests, ...),
    }
    return create_model("ProtocolSchema", __base__=Model, **fields)


def lesson_arg_checks(route: Route[Any]) -> dict[str, dict[str, object]]:
    """Wire name -> JSON Schema constraints of each field a lesson link may set."""
    properties = route.params.model_json_schema(by_alias=True)["properties"]
    checks: dict[str, dict[str, object]] = {}
    for name in route.command.lesson_args:
        alias = route.params.model_fields[name].alias or name
        schema = properties[alias]
        if "type" not in schema:  # e.g. `str | None`: a link must give a value or nothing
            raise TypeError(f"{route.method}: lesson arg {name} needs one plain type")
        checks[alias] = {k: schema[k] for k in ARG_KEYWORDS if k in schema}
    return checks


def setting_sources(params: type[Model]) -> dict[str, list[str]]:
    """Wire name -> the settings that fill it, first one set wins."""
    known = {setting.key for setting in SETTINGS}
    sources: dict[str, list[str]] = {}
    for name, info in params.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, FromSetting):
                missing = set(meta.keys) - known
                if missing:
                    raise TypeError(f"{params.__name__}.{name}: no setting {missing}")
                sources[info.alias or name] = list(meta.keys)
    return sources


def method_names() -> dict[str, str]:
    """Short name (the wire name's last part) -> wire name, for every method and the event."""
    names = {r.method.split("/")[-1]: r.method for r in ALL}
    names[EVENT_METHOD.split("/")[-1]] = EVENT_METHOD
    return names


def extension_data() -> dict[str, object]:
    return {
        "commandIds": {c.name: c.value for c in CommandId},
        "methods": method_names(),
        "maxCodeChars": MAX_CODE_CHARS,
        "cellOutputCaps": {
            "chars": MAX_CELL_OUTPUT_CHARS,
            "lines": MAX_CELL_OUTPUT_LINES,
            "items": MAX_CELL_OUTPUTS,
        },
        "reportedPackages": list(REPORTED_PACKAGES),
        "commands": [
            {
                "id": route.command.id,
                "method": route.method,
                "title": route.command.title,
                "icon": route.command.icon,
                "args": lesson_arg_checks(route),
            }
            for route in ROUTES
        ],
        "paramsFromSettings": {route.method: setting_sources(route.params) for route in ALL},
        "section": SECTION,
        "settings": {setting.key: setting.contribution() for setting in SETTINGS},
        "gpt2Models": list(GPT2_MODELS),
        "meshShapePattern": MESH_SHAPE_PATTERN,
        "kernelCpuDevices": KERNEL_CPU_DEVICES,
        "pluginPackage": PLUGIN_PACKAGE,
    }


def schema_json() -> str:
    schema = protocol_schema().model_json_schema(
        by_alias=True, mode="serialization", schema_generator=ModuleTaggedSchema
    )
    schema["title"] = "TtLessonsProtocol"
    schema["x-tt-lessons"] = extension_data()
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
