"""`tenstorrent/status`: venv state, versions, TT devices, tt-smi; fast, starts no interpreter."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import StatusParams, StatusResult
from ..venv.status import status
from ._route import Query


def _answer(params: StatusParams, _pools: Pools) -> StatusResult:
    return status(params.venv, params.external_env, params.visible_devices)


ROUTE = Query(
    method="tenstorrent/status",
    cli="status",
    help="venv and hardware status (fast)",
    params=StatusParams,
    result=StatusResult,
    answer=_answer,
)
