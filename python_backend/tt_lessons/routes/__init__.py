"""The registry: every module in this package declares one `ROUTE`, listed once in `ALL` below,
and everything else is derived from the list (server handlers, CLI commands and flags,
`services.execute`, the schema's `Requests`, the extension's command table and package.json).
Adding a request method is a module here and a line in `ALL` (CONTRIBUTING.md has the steps).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, cast

from pydantic import Field, create_model

from ..protocol import EVENT_METHOD, Model, RunOutcome
from . import (
    cnn,
    demo,
    doctor,
    export_notebook,
    install,
    interrupt_kernel,
    mesh,
    restart_kernel,
    run_cell,
    run_file,
    run_lesson,
    save_report,
    start_kernel,
    status,
    support_bundle,
    test,
    versions,
    wheelhouse,
)
from ._route import Command, Query, Route

# Runs in palette order (the generated command table keeps it), then the queries.
ALL: tuple[Route[Any] | Query[Any, Any], ...] = (
    doctor.ROUTE,
    install.ROUTE,
    test.ROUTE,
    demo.ROUTE,
    mesh.ROUTE,
    cnn.ROUTE,
    run_cell.ROUTE,
    run_lesson.ROUTE,
    run_file.ROUTE,
    wheelhouse.ROUTE,
    support_bundle.ROUTE,
    export_notebook.ROUTE,
    interrupt_kernel.ROUTE,
    restart_kernel.ROUTE,
    start_kernel.ROUTE,
    status.ROUTE,
    versions.ROUTE,
    save_report.ROUTE,
)
ROUTES: tuple[Route[Any], ...] = tuple(r for r in ALL if isinstance(r, Route))
QUERIES: tuple[Query[Any, Any], ...] = tuple(q for q in ALL if isinstance(q, Query))
_BY_METHOD: dict[str, Route[Any]] = {route.method: route for route in ROUTES}
_BY_CLI = {route.cli: route for route in ALL if route.cli is not None}
if len({r.method for r in ALL}) != len(ALL) or len(_BY_CLI) != sum(r.cli is not None for r in ALL):
    raise TypeError("two routes share a method or a CLI command")


def route_for(method: str) -> Route[Any]:
    """The run route of a wire name (a `Method` member is one too: it is a str)."""
    return _BY_METHOD[method]


def by_cli(name: str) -> Route[Any] | Query[Any, Any]:
    return _BY_CLI[name]


def _member(route: Route[Any] | Query[Any, Any]) -> str:
    """`Method.<NAME>`: the CLI command's name, else the wire name's (startKernel: START_KERNEL)."""
    if route.cli is not None:
        return route.cli.upper().replace("-", "_")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", route.method.split("/")[-1]).upper()


# `Method.TEST.value == "tenstorrent/testTtXlaInstall"`: a readable name for each wire name, for
# callers in Python (tests, benchmarks). The wire and the schema use the names themselves.
# Enum's functional API through Any: mypy only accepts it with members written out literally.
_make_enum = cast(Any, Enum)
Method: type[Enum] = _make_enum(
    "Method",
    [(_member(r), r.method) for r in ALL] + [("EVENT", EVENT_METHOD)],
    type=str,
)


def _request(method: str, params: type[Model], result: type[Model]) -> type[Model]:
    """`{params, result}` of one method, named after its params: InstallParams -> InstallRequest."""
    return create_model(
        params.__name__.removesuffix("Params") + "Request",
        __base__=Model,
        __doc__=f"`{method}`: its params and its result.",
        params=(params, ...),
        result=(result, ...),
    )


def _requests() -> type[Model]:
    pairs: list[tuple[str, type[Model], type[Model]]] = [
        *((r.method, r.params, RunOutcome) for r in ROUTES),
        *((q.method, q.params, q.result) for q in QUERIES),
    ]
    fields: dict[str, Any] = {
        method.split("/")[-1]: (_request(method, params, result), Field(alias=method))
        for method, params, result in pairs
    }
    return create_model(
        "Requests",
        __base__=Model,
        __doc__="Every request method (wire name) -> its params and its result.",
        **fields,
    )


Requests: type[Model] = _requests()

__all__ = [
    "ALL",
    "QUERIES",
    "ROUTES",
    "Command",
    "Method",
    "Query",
    "Requests",
    "Route",
    "by_cli",
    "route_for",
]
