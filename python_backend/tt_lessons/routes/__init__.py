"""The registry: every module in this package declares one `ROUTE`, and everything else is
derived from the list (server handlers, CLI commands and flags, `services.execute`, the schema's
`Requests`, the extension's command table). Adding a request method is adding a module here.
"""

from __future__ import annotations

import importlib
import pkgutil
from enum import Enum
from typing import Any, cast

from pydantic import Field, create_model

from ..protocol import EVENT_METHOD, Model, RunOutcome
from ._route import Command, Query, Route


def _discover() -> tuple[list[Route[Any]], list[Query[Any, Any]]]:
    runs: list[Route[Any]] = []
    queries: list[Query[Any, Any]] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        route = getattr(importlib.import_module(f"{__name__}.{info.name}"), "ROUTE", None)
        if isinstance(route, Route):
            runs.append(route)
        elif isinstance(route, Query):
            queries.append(route)
        else:
            raise TypeError(f"routes/{info.name}.py declares no ROUTE")
    runs.sort(key=lambda route: route.order)
    queries.sort(key=lambda query: query.method)
    return runs, queries


_runs, _queries = _discover()
ROUTES: tuple[Route[Any], ...] = tuple(_runs)
QUERIES: tuple[Query[Any, Any], ...] = tuple(_queries)
_BY_METHOD: dict[str, Route[Any]] = {route.method: route for route in ROUTES}
ALL: tuple[Route[Any] | Query[Any, Any], ...] = (*ROUTES, *QUERIES)
_BY_CLI = {route.cli: route for route in ALL}
if len(_BY_METHOD) != len(ROUTES) or len(_BY_CLI) != len(ROUTES) + len(QUERIES):
    raise TypeError("two routes share a method or a CLI command")


def route_for(method: str) -> Route[Any]:
    """The run route of a wire name (a `Method` member is one too: it is a str)."""
    return _BY_METHOD[method]


def by_cli(name: str) -> Route[Any] | Query[Any, Any]:
    return _BY_CLI[name]


def _member(cli: str) -> str:
    return cli.upper().replace("-", "_")


# `Method.TEST.value == "tenstorrent/testTtXlaInstall"`: a readable name for each wire name, for
# callers in Python (tests, benchmarks). The wire and the schema use the names themselves.
# Enum's functional API through Any: mypy only accepts it with members written out literally.
_make_enum = cast(Any, Enum)
Method: type[Enum] = _make_enum(
    "Method",
    [(_member(r.cli), r.method) for r in ALL] + [("EVENT", EVENT_METHOD)],
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
