"""Protocol: models round-trip, bad params are typed errors, the exported schema is current."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from pygls.exceptions import JsonRpcInvalidParams
from tt_lessons import protocol
from tt_lessons.protocol import Method
from tt_lessons.schema import schema_json
from tt_lessons.server import build_server, parse_params

from .conftest import REPO
from .model_strategies import ANY_JSON, wire_dicts


def all_models() -> list[type[BaseModel]]:
    return [
        obj
        for _, obj in inspect.getmembers(protocol, inspect.isclass)
        if issubclass(obj, BaseModel) and obj.__module__.startswith(protocol.__name__ + ".")
    ]


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_model_round_trips(model: type[BaseModel], data: st.DataObject) -> None:
    """Any instance the schema allows survives wire -> model -> wire unchanged."""
    wire = data.draw(wire_dicts(model))
    try:
        instance = model.model_validate(wire)
    except ValidationError:
        assume(False)  # drew a value outside a constraint (pattern, range): not a valid instance
    text = instance.model_dump_json(by_alias=True)
    again = model.model_validate_json(text)
    assert again == instance
    assert json.loads(again.model_dump_json(by_alias=True)) == json.loads(text)


@pytest.mark.parametrize("method", list(protocol.PARAMS_FOR), ids=lambda m: m.value)
@settings(max_examples=150, deadline=None)
@given(raw=ANY_JSON)
def test_arbitrary_json_params_never_crash_the_parser(method: Method, raw: object) -> None:
    """Fuzz: any JSON value as params is either accepted or a typed InvalidParams error."""
    try:
        parsed = parse_params(method, raw)
    except JsonRpcInvalidParams as error:
        assert error.code == -32602 and error.data["problems"]
    else:
        assert isinstance(parsed, protocol.PARAMS_FOR[method])


def test_requests_pair_every_method_with_its_params_and_result() -> None:
    """The exported `Requests` (what the TypeScript side types each call with) names every
    method the server answers, each with its PARAMS_FOR model and its result."""
    defs = json.loads(schema_json())["$defs"]
    exported = defs["Requests"]["properties"]
    features = build_server().protocol.fm.features
    served = {name for name in features if name.startswith("tenstorrent/")}
    requests = [method for method in Method if method is not Method.EVENT]
    assert set(exported) == served == {method.value for method in requests}
    assert set(protocol.PARAMS_FOR) == set(requests)
    for method in requests:
        pair = defs[exported[method.value]["$ref"].removeprefix("#/$defs/")]["properties"]
        result = "StatusResult" if method is Method.STATUS else "RunOutcome"
        assert pair["params"] == {"$ref": f"#/$defs/{protocol.PARAMS_FOR[method].__name__}"}
        assert pair["result"] == {"$ref": f"#/$defs/{result}"}
        assert protocol.result_for(method).__name__ == result


def test_wire_names_are_camel_case() -> None:
    dumped = protocol.InstallParams(cpu_only=True).model_dump(by_alias=True)
    assert "cpuOnly" in dumped and "indexUrl" in dumped and "cpu_only" not in dumped


def test_events_and_results_are_discriminated_by_kind() -> None:
    event = TypeAdapter(protocol.Event).validate_python(
        {"kind": "log", "stream": "stdout", "lines": ["x"]}
    )
    assert isinstance(event, protocol.LogEvent)
    with pytest.raises(ValueError):
        TypeAdapter(protocol.Event).validate_python({"kind": "nope"})


@pytest.mark.parametrize(
    ("method", "params", "field"),
    [
        (Method.INSTALL, {"cpuOnly": "definitely"}, "cpuOnly"),
        (Method.INSTALL, {"venv": ""}, "venv"),
        (Method.DEMO, {"topK": 0}, "topK"),
        (Method.MESH, {"shape": "2 by 2"}, "shape"),
        (Method.TEST, {"surprise": 1}, "surprise"),
        (Method.STATUS, [1, 2], "params"),
    ],
)
def test_bad_params_are_typed_errors_naming_the_field(
    method: Method, params: object, field: str
) -> None:
    with pytest.raises(JsonRpcInvalidParams) as raised:
        parse_params(method, params)
    assert raised.value.code == -32602
    assert field in raised.value.message
    assert any(
        p["field"] in (field, "params") or field in p["field"]
        for p in raised.value.data["problems"]
    )


def test_the_readme_names_the_protocol_where_it_is() -> None:
    """Paths the README and the generated file's banner give for the protocol must exist."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    banner = (REPO / "extension" / "backend" / "protocol.ts").read_text(encoding="utf-8")[:400]
    path = r"\b((?:python_backend|extension|protocol|scripts)/[\w./-]*\w/?)"
    named = re.findall(path, readme + banner)
    assert "python_backend/tt_lessons/protocol/" in named
    missing = [path for path in named if not (REPO / path).exists()]
    assert not missing, missing


def test_exported_schema_is_current() -> None:
    committed = (REPO / "protocol" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run: tt-lessons schema --out protocol/schema.json"
