"""JSON-RPC over stdio on pygls: thin handlers, each validating its params and calling a service.

A pygls LanguageServer gives vscode-languageclient initialize/shutdown/exit, `$/cancelRequest`
and tracing for free. Handlers are coroutines, so a cancel arrives as CancelledError inside the
run, which kills the child's process tree (runner.py) before pygls answers "cancelled".
"""

from __future__ import annotations

import logging
from typing import Any, cast

from cattrs import Converter
from pydantic import ValidationError
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, default_converter

from . import __version__, services
from .protocol import PARAMS_FOR, EventNotification, Method, Model, RunParams, StatusParams
from .standby import StandbyPool
from .venv.status import status

log = logging.getLogger(__name__)
# A union on purpose: pygls passes the server to handlers whose first parameter could take it.
JsonParams = dict[str, Any] | list[Any] | None


def _converter() -> Converter:
    """Keep our params as plain dicts (pygls would turn them into namedtuples) for pydantic."""
    converter = cast(Converter, default_converter())  # type: ignore[no-untyped-call]

    def keep_dict(obj: dict[str, Any], cls: type[Any]) -> Any:
        return cls(**obj)

    converter.register_structure_hook(JsonRPCRequestMessage, keep_dict)
    converter.register_structure_hook(JsonRPCNotification, keep_dict)
    return converter


def parse_params(method: Method, raw: object) -> Model:
    """Validate params; a bad one becomes a typed InvalidParams error naming the field."""
    model = PARAMS_FOR[method]
    try:
        return model.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in err["loc"]) or "params", "message": err["msg"]}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise JsonRpcInvalidParams(
            message=f"Invalid params for {method.value}: {summary}", data={"problems": problems}
        ) from None


class TtLessonsServer(LanguageServer):
    """Answers unreadable messages with JSON-RPC's own errors instead of a pop-up per message."""

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


def build_server() -> LanguageServer:
    server = TtLessonsServer("tt-lessons", __version__, converter_factory=_converter)
    standby = StandbyPool()

    def publish(note: EventNotification) -> None:
        server.protocol.notify(Method.EVENT.value, note.model_dump(by_alias=True, mode="json"))

    def register_run(method: Method) -> None:
        async def handler(raw: JsonParams) -> dict[str, Any]:
            params = parse_params(method, raw)
            assert isinstance(params, RunParams)
            outcome = await services.execute(method, params, publish, standby)
            return outcome.model_dump(by_alias=True, mode="json")

        server.feature(method.value)(handler)

    for method in PARAMS_FOR:
        if method is not Method.STATUS:
            register_run(method)

    @server.feature(Method.STATUS.value)
    def on_status(raw: JsonParams) -> dict[str, Any]:
        params = parse_params(Method.STATUS, raw)
        assert isinstance(params, StatusParams)
        return status(params.venv).model_dump(by_alias=True, mode="json")

    return server


def serve() -> None:
    logging.basicConfig(level=logging.WARNING)  # stderr; stdout carries the protocol
    build_server().start_io()
