"""JSON-RPC over stdio on pygls: thin handlers, each validating its params and calling a service.

A pygls LanguageServer gives vscode-languageclient initialize/shutdown/exit, `$/cancelRequest`
and tracing for free. Handlers are coroutines, so a cancel arrives as CancelledError inside the
run, which kills the child's process tree (runner.py) before pygls answers "cancelled".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from cattrs import Converter
from pydantic import ValidationError
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, default_converter

from . import __version__, services
from .pools import Pools
from .protocol import EVENT_METHOD, EventNotification, Model, RunParams
from .routes import QUERIES, ROUTES, Query, Route
from .run_sink import Listener
from .standby import StandbyPool

log = logging.getLogger(__name__)
# A union on purpose: pygls passes the server to handlers whose first parameter could take it.
JsonParams = dict[str, Any] | list[Any] | None
M = TypeVar("M", bound=Model)
P = TypeVar("P", bound=RunParams)


def _converter() -> Converter:
    """Keep our params as plain dicts (pygls would turn them into namedtuples) for pydantic."""
    converter = cast(Converter, default_converter())  # type: ignore[no-untyped-call]

    def keep_dict(obj: dict[str, Any], cls: type[Any]) -> Any:
        return cls(**obj)

    converter.register_structure_hook(JsonRPCRequestMessage, keep_dict)
    converter.register_structure_hook(JsonRPCNotification, keep_dict)
    return converter


def parse_params(method: str, model: type[M], raw: object) -> M:
    """Validate params; a bad one becomes a typed InvalidParams error naming the field."""
    try:
        return model.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in err["loc"]) or "params", "message": err["msg"]}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise JsonRpcInvalidParams(
            message=f"Invalid params for {method}: {summary}", data={"problems": problems}
        ) from None


def run_handler(
    route: Route[P], publish: Listener, pools: Pools
) -> Callable[[JsonParams], Awaitable[dict[str, Any]]]:
    """The coroutine pygls calls for a run route: params in, RunOutcome out."""

    async def handler(raw: JsonParams) -> dict[str, Any]:
        params = parse_params(route.method, route.params, raw)
        outcome = await services.execute_route(route, params, publish, pools)
        return outcome.model_dump(by_alias=True, mode="json")

    return handler


def query_handler(query: Query[M, Model], pools: Pools) -> Callable[[JsonParams], dict[str, Any]]:
    def handler(raw: JsonParams) -> dict[str, Any]:
        params = parse_params(query.method, query.params, raw)
        return query.answer(params, pools).model_dump(by_alias=True, mode="json")

    return handler


class TtLessonsServer(LanguageServer):
    """Answers unreadable messages with JSON-RPC's own errors instead of a pop-up per message,
    and owns the pools (standby interpreters, lesson kernels) for as long as it runs."""

    pools: Pools

    def report_server_error(self, error: Exception, source: Any) -> None:
        if source is JsonRpcException:  # the reader could not turn a frame into a message
            code, what = (
                (-32700, "Parse error")
                if isinstance(error, ValueError)
                else (-32600, "Invalid request")
            )
            log.warning("%s: %s", what, error)
            message = f"{what}: {error}"[:500]
            # A plain dict: JSON-RPC wants "id": null here, which the attrs converter would drop.
            self.protocol._send_data(
                {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}
            )
            return
        super().report_server_error(error, source)


def build_server() -> TtLessonsServer:
    server = TtLessonsServer("tt-lessons", __version__, converter_factory=_converter)
    server.pools = pools = Pools(StandbyPool())

    def publish(note: EventNotification) -> None:
        server.protocol.notify(EVENT_METHOD, note.model_dump(by_alias=True, mode="json"))

    for route in ROUTES:
        server.feature(route.method)(run_handler(route, publish, pools))
    for query in QUERIES:
        server.feature(query.method)(query_handler(query, pools))
    return server


def serve() -> None:
    logging.basicConfig(level=logging.WARNING)  # stderr; stdout carries the protocol
    server = build_server()
    try:
        server.start_io()
    finally:  # the loop has ended (stdin closed, or `exit`): no kernel outlives the server
        server.pools.kill_now()
