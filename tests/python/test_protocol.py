"""Protocol: models round-trip, bad params are typed errors, the exported schema is current."""

from __future__ import annotations

import importlib
import inspect
import itertools
import json
import pkgutil
import re
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from pygls.exceptions import JsonRpcInvalidParams
from tt_lessons import protocol
from tt_lessons.doctor import rules as doctor_rules
from tt_lessons.protocol import InstallParams, MeshParams
from tt_lessons.protocol.settings import SETTINGS
from tt_lessons.routes import ALL, QUERIES, ROUTES, Method
from tt_lessons.schema import MODULE_KEY, extension_data, schema_json
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


@pytest.mark.parametrize("route", ALL, ids=lambda r: r.method)
@settings(max_examples=150, deadline=None)
@given(raw=ANY_JSON)
def test_arbitrary_json_params_never_crash_the_parser(route: Any, raw: object) -> None:
    """Fuzz: any JSON value as params is either accepted or a typed InvalidParams error."""
    try:
        parsed = parse_params(route.method, route.params, raw)
    except JsonRpcInvalidParams as error:
        assert error.code == -32602 and error.data["problems"]
    else:
        assert isinstance(parsed, route.params)


def test_requests_pair_every_method_with_its_params_and_result() -> None:
    """The exported `Requests` (what the TypeScript side types each call with) names every
    method the server answers, each with its route's params model and its result."""
    defs = json.loads(schema_json())["$defs"]
    exported = defs["Requests"]["properties"]
    features = build_server().protocol.fm.features
    served = {name for name in features if name.startswith("tenstorrent/")}
    assert set(exported) == served == {route.method for route in ALL}
    assert {m.value for m in Method} == served | {protocol.EVENT_METHOD}
    for route in ALL:
        pair = defs[exported[route.method]["$ref"].removeprefix("#/$defs/")]["properties"]
        result = route.result.__name__ if route in QUERIES else "RunOutcome"
        assert pair["params"] == {"$ref": f"#/$defs/{route.params.__name__}"}
        assert pair["result"] == {"$ref": f"#/$defs/{result}"}


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
    model = next(route.params for route in ALL if route.method == method)
    with pytest.raises(JsonRpcInvalidParams) as raised:
        parse_params(method.value, model, params)
    assert raised.value.code == -32602
    assert field in raised.value.message
    assert any(
        p["field"] in (field, "params") or field in p["field"]
        for p in raised.value.data["problems"]
    )


def test_the_readme_names_the_protocol_where_it_is() -> None:
    """Paths the README and the generated file's banner give for the protocol must exist."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    index = REPO / "extension" / "backend" / "protocol" / "index.ts"
    banner = index.read_text(encoding="utf-8")[:400]
    path = r"\b((?:python_backend|extension|protocol|scripts)/[\w./-]*\w/?)"
    named = re.findall(path, readme + banner)
    assert "python_backend/tt_lessons/protocol/" in named
    missing = [path for path in named if not (REPO / path).exists()]
    assert not missing, missing


def test_exported_schema_is_current() -> None:
    committed = (REPO / "protocol" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run: npm run gen"


def test_every_definition_names_the_module_that_declares_it() -> None:
    """scripts/gen-protocol.mjs writes one TypeScript file per module, from `x-tt-module`."""
    schema = json.loads(schema_json())
    declared = {
        cls.__name__: cls.__module__
        for info in pkgutil.iter_modules(protocol.__path__)
        for _, cls in inspect.getmembers(
            importlib.import_module(f"{protocol.__name__}.{info.name}"), inspect.isclass
        )
        if cls.__module__.startswith(protocol.__name__ + ".")
    }
    for name, definition in schema["$defs"].items():
        # Each method's {params, result} pair is made in routes/, not declared in protocol/.
        assert definition[MODULE_KEY] == declared.get(name, "tt_lessons.routes"), name
    assert schema["$defs"]["CellResult"][MODULE_KEY] == "tt_lessons.protocol.cells"
    assert schema[MODULE_KEY] == "tt_lessons.schema"
    # The page's cell states are a titled field type of the root, no definition: tagged by hand.
    assert schema["properties"]["cellStatus"][MODULE_KEY] == "tt_lessons.protocol.cells"


def test_every_route_module_declares_a_route_with_a_command_or_an_answer() -> None:
    """routes/ is the registry: every public module is a route, none is forgotten."""
    folder = REPO / "python_backend" / "tt_lessons" / "routes"
    modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    assert len(ALL) == len(modules)
    assert [route.command.id for route in ROUTES] == [
        "tenstorrent.runDoctor",
        "tenstorrent.installTtXla",
        "tenstorrent.testTtXlaInstall",
        "tenstorrent.runTtXlaDemo",
        "tenstorrent.runMeshExample",
        "tenstorrent.runCnnExample",
        "tenstorrent.runCell",
        "tenstorrent.runLesson",
        "tenstorrent.runPythonFile",
        "tenstorrent.buildWheelhouse",
        "tenstorrent.saveSupportBundle",
    ]


def exported_commands() -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], extension_data()["commands"])


def test_lesson_args_carry_the_params_constraints() -> None:
    """What the extension checks a lesson link's arguments with is the params model's own
    constraints: one mesh-shape pattern, the demo's bounds, reinstall as a boolean."""
    commands = {c["id"]: c for c in exported_commands()}
    mesh = commands["tenstorrent.runMeshExample"]["args"]
    # "" is allowed: no shape, the backend picks one from the chips it sees.
    assert mesh == {"shape": {"type": "string", "pattern": "^$|" + protocol.MESH_SHAPE_PATTERN}}
    assert MeshParams.model_json_schema()["properties"]["shape"]["pattern"] == (
        "^$|" + protocol.MESH_SHAPE_PATTERN
    )
    demo = commands["tenstorrent.runTtXlaDemo"]["args"]
    assert demo["topK"] == {"type": "integer", "minimum": 1, "maximum": 50}
    assert demo["prompt"] == {"type": "string", "minLength": 1, "maxLength": 4000}
    assert commands["tenstorrent.installTtXla"]["args"] == {
        "reinstall": {"type": "boolean"},
        "cpuOnly": {"type": "boolean"},
        "latestJax": {"type": "boolean"},
    }
    assert commands["tenstorrent.testTtXlaInstall"]["args"] == {}


def test_settings_fill_params_with_the_same_defaults() -> None:
    """Each setting that fills a params field has that field's default (or "" / 0 for unset)."""
    by_key = {s.key: s for s in SETTINGS}
    sources = cast(dict[str, dict[str, list[str]]], extension_data()["paramsFromSettings"])
    assert set(sources) == {route.method for route in ALL}
    for route in ALL:
        fields = {info.alias: info for info in route.params.model_fields.values()}
        for alias, keys in sources[route.method].items():
            default = fields[alias].default
            first = by_key[keys[0]].default
            assert first == default or first in ("", 0), (alias, keys)
    install = sources["tenstorrent/installTtXla"]
    assert install["venv"] == ["venvPath"] and install["timeoutS"] == ["timeoutSeconds"]
    assert sources["tenstorrent/runTtXlaDemo"]["model"] == ["modelPath", "model"]
    assert sources["tenstorrent/status"] == {
        "venv": ["venvPath"],
        "externalEnv": ["externalEnvironment"],
        "visibleDevices": ["visibleDevices"],
    }
    assert by_key["model"].enum == protocol.GPT2_MODELS


def test_doctor_fixes_name_real_commands_with_arguments_they_accept() -> None:
    by_id = {route.command.id: route for route in ROUTES}
    reinstall = doctor_rules.reinstall_fix(
        doctor_rules.HostFacts(venv="/v", venv_state=protocol.VenvState.READY, venv_python="/p")
    )
    fixes = [
        reinstall,
        doctor_rules.INSTALL_FIX,
        doctor_rules.TEST_FIX,
        doctor_rules.DRIVER_FIX,
        doctor_rules.TT_SMI_FIX,
    ]
    for fix in fixes:
        route = by_id[fix.command]
        allowed = {route.params.model_fields[name].alias for name in route.command.lesson_args}
        assert set(fix.args or {}) <= allowed, fix
    assert reinstall.args == {"reinstall": True}
    assert InstallParams.model_validate(reinstall.args).reinstall is True


def test_the_workloads_copies_of_shared_names_match() -> None:
    """workloads/ may not import the backend, so its copies are checked against the protocol:
    the GPT-2 sizes the demo knows, and the plugin package the probe asks about."""
    sys.path.insert(0, str(REPO / "python_backend" / "tt_lessons" / "workloads"))
    try:
        import gpt2_source
        import probe
    finally:
        sys.path.pop(0)
    assert tuple(gpt2_source.VARIANTS) == protocol.GPT2_MODELS
    assert probe.PLUGIN_DIST == protocol.PLUGIN_PACKAGE in protocol.REPORTED_PACKAGES


def test_every_route_module_is_listed_once_in_all() -> None:
    """routes/__init__.py lists the routes in one ordered tuple: a module left out of it, or a
    module without a ROUTE, fails here rather than silently missing from the server."""
    import importlib
    import pkgutil

    from tt_lessons import routes

    declared = []
    for info in pkgutil.iter_modules(routes.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"tt_lessons.routes.{info.name}")
        assert isinstance(getattr(module, "ROUTE", None), (routes.Route, routes.Query)), info.name
        declared.append(module.ROUTE)
    assert sorted(r.method for r in declared) == sorted(r.method for r in ALL)
    assert len(ALL) == len({r.method for r in ALL})


def test_server_only_queries_have_no_cli_command() -> None:
    from tt_lessons.cli import build_parser

    kernel = [q for q in QUERIES if q.method.endswith("Kernel")]
    assert kernel and all(q.cli is None for q in kernel)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["start-kernel"])
    assert Method.START_KERNEL.value == "tenstorrent/startKernel"


def test_versions_lists_every_package_of_the_venv(tmp_path: Path) -> None:
    """`tenstorrent/versions`: the venv's dist-info folders, by normalized name."""
    from tt_lessons.pools import Pools
    from tt_lessons.protocol import VersionsParams
    from tt_lessons.routes import versions

    site = tmp_path / "v" / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    (site / "Flax-0.12.0.dist-info").mkdir()
    (site / "pjrt_plugin_tt-0.9.0.dist-info").mkdir()
    result = versions.ROUTE.answer(VersionsParams(venv=str(tmp_path / "v")), Pools())
    assert result.packages == {"flax": "0.12.0", "pjrt-plugin-tt": "0.9.0"}
    assert Method.VERSIONS.value == "tenstorrent/versions"


def test_demo_sampling_settings_reach_the_workload_flags() -> None:
    """Each sampling field becomes the gpt2_demo.py flag of the same meaning."""
    from tt_lessons.protocol import DemoParams
    from tt_lessons.routes import demo

    argv = demo._args(
        DemoParams(temperature=0.7, sample_top_k=40, top_p=0.9, seed=7, stop_at_eos=False)
    )
    pairs = dict(itertools.pairwise(argv))
    assert pairs["--temperature"] == "0.7" and pairs["--sample-top-k"] == "40"
    assert pairs["--top-p"] == "0.9" and pairs["--seed"] == "7"
    assert "--no-stop-at-eos" in argv
    assert "--no-stop-at-eos" not in demo._args(DemoParams())
    assert "--stop-at-eos" in demo._args(DemoParams())
    with pytest.raises(ValueError):
        DemoParams(top_p=0)


def test_the_server_owns_its_pools() -> None:
    """No process-wide pool: the server builds both pools and closes them when it stops."""
    from tt_lessons.pools import Pools

    server = build_server()
    assert isinstance(server.pools, Pools) and server.pools.standby is not None
    assert build_server().pools is not server.pools


async def test_a_run_without_pools_gets_its_own_closed_when_it_ends() -> None:
    import dataclasses

    from tt_lessons import services
    from tt_lessons.pools import Pools
    from tt_lessons.protocol import RunResult, TestParams
    from tt_lessons.routes import route_for
    from tt_lessons.run_sink import RunSink

    seen: list[Pools] = []

    async def service(params: TestParams, sink: RunSink, pools: Pools) -> RunResult | None:
        seen.append(pools)
        assert pools.kernels is pools.kernels  # made once, on first use
        return None

    route = dataclasses.replace(route_for(Method.TEST), service=service, workload=None)
    outcome = await services.execute_route(route, TestParams(venv="/v"), lambda _note: None)
    assert outcome.status.value == "succeeded"
    assert seen and seen[0]._kernels is None  # shut down by execute_route


def test_demo_weights_format_reaches_the_workload_flag() -> None:
    """float32 by default, bfloat16 on request (setting, CLI, lesson link); nothing else."""
    from tt_lessons.protocol import DemoParams
    from tt_lessons.routes import demo

    assert dict(itertools.pairwise(demo._args(DemoParams())))["--weights"] == "float32"
    bf16 = demo._args(DemoParams(weights="bfloat16"))
    assert dict(itertools.pairwise(bf16))["--weights"] == "bfloat16"
    with pytest.raises(ValueError, match="weights"):
        DemoParams(weights="float16")
    by_key = {s.key: s for s in SETTINGS}
    assert by_key["weights"].enum == ("float32", "bfloat16")
