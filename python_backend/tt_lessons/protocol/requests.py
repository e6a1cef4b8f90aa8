"""Which params and which result each request method has: one model the schema exports.

Built from `PARAMS_FOR`, so the TypeScript side gets the method -> params -> result pairing
generated (`Requests` in protocol.ts, keyed by wire method name) instead of copying it.
"""

from __future__ import annotations

from pydantic import Field, create_model

from .base import Method, Model
from .events import RunOutcome
from .params import PARAMS_FOR
from .results import StatusResult


def result_for(method: Method) -> type[Model]:
    """Runs answer a RunOutcome once they end; status answers at once."""
    return StatusResult if method is Method.STATUS else RunOutcome


def _request(method: Method, params: type[Model]) -> type[Model]:
    """`{params, result}` of one method, named after its params: InstallParams -> InstallRequest."""
    name = params.__name__.removesuffix("Params") + "Request"
    return create_model(
        name,
        __base__=Model,
        __doc__=f"`{method.value}`: its params and its result.",
        params=(params, ...),
        result=(result_for(method), ...),
    )


Requests: type[Model] = create_model(
    "Requests",
    __base__=Model,
    __doc__="Every request method (wire name) -> its params and its result.",
    **{  # type: ignore[call-overload]
        method.name.lower(): (_request(method, params), Field(alias=method.value))
        for method, params in PARAMS_FOR.items()
    },
)
