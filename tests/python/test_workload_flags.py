"""Workload flags are required, so a run's defaults live in its params model alone (issue 23.5).

The routes and the flags are read from the code: every route in `routes.ALL` that runs a
workload, and the `argparse` parser its script builds (`build_parser()`). A flag "owned" by the
params model is one whose `dest` is a field of the route's params model.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest
from tt_lessons.routes import ROUTES, Route
from tt_lessons.workload_specs import WORKLOADS_DIR

WORKLOAD_ROUTES = [route for route in ROUTES if route.workload is not None]


def script_module(route: Route[Any]) -> ModuleType:
    assert route.workload is not None
    path = WORKLOADS_DIR / route.workload.script
    spec = importlib.util.spec_from_file_location(f"_workload_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first, as an import would: dataclasses (gpt2_demo.Prepared) look their module up.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def flags(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]


def defaulted_flags(parser: argparse.ArgumentParser, owned: set[str]) -> list[str]:
    """The flags of `owned` fields that argparse would fill in itself when the route left one
    out (a second default beside the model's), or that it does not require."""
    return [
        "/".join(action.option_strings)
        for action in flags(parser)
        if action.dest in owned and (not action.required or action.default is not None)
    ]


@pytest.mark.usefixtures("on_workload_path")
@pytest.mark.parametrize("route", WORKLOAD_ROUTES, ids=lambda route: route.cli)
def test_a_workload_has_no_default_for_a_flag_its_params_model_owns(route: Route[Any]) -> None:
    assert route.workload is not None
    params = route.params()
    argv = route.workload.args(params)
    module = script_module(route)
    if not hasattr(module, "build_parser"):
        # A script without flags (sanity.py) must not be handed any.
        assert argv == [], f"{route.workload.script} takes no flags but is given {argv}"
        return
    parser = module.build_parser()
    owned = set(route.params.model_fields)
    assert defaulted_flags(parser, owned) == []
    # Every flag is required, also those the route computes (mesh.py's --why, the cache dir).
    assert [a.dest for a in flags(parser) if not a.required] == []
    # The argv the route builds from the model's defaults is complete for its script.
    parsed = vars(parser.parse_args(argv))
    assert None not in parsed.values()


def test_every_script_with_flags_is_run_by_a_route() -> None:
    """So the check above sees every parser in workloads/: none is built outside a route."""
    with_flags = {p.name for p in WORKLOADS_DIR.glob("*.py") if "ArgumentParser(" in p.read_text()}
    run = {route.workload.script for route in WORKLOAD_ROUTES if route.workload is not None}
    assert with_flags and with_flags <= run


def test_the_check_finds_a_default_beside_the_model() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--stop-at-eos", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--why", default="")
    assert defaulted_flags(parser, {"epochs", "seed", "stop_at_eos"}) == [
        "--epochs",
        "--stop-at-eos/--no-stop-at-eos",
    ]
