"""JSON Schema export of the protocol: the TypeScript types are generated from this text."""

from __future__ import annotations

import json

from .protocol import ProtocolSchema


def schema_json() -> str:
    schema = ProtocolSchema.model_json_schema(by_alias=True, mode="serialization")
    schema["title"] = "TtLessonsProtocol"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
