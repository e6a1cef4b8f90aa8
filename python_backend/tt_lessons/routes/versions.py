"""`tenstorrent/versions`: every package in the lesson's environment, read from its files."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import VersionsParams, VersionsResult
from ..venv.status import package_versions
from ._route import Query


def _answer(params: VersionsParams, _pools: Pools) -> VersionsResult:
    return package_versions(params.venv, params.external_env)


ROUTE = Query(
    method="tenstorrent/versions",
    cli="versions",
    help="every package installed in the venv, with its version (fast)",
    params=VersionsParams,
    result=VersionsResult,
    answer=_answer,
)
