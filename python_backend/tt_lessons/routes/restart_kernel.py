"""`tenstorrent/restartKernel`: a fresh kernel for the lesson: every name defined so far is gone."""

from __future__ import annotations

from ..pools import Pools
from ..protocol.cells import KernelParams, KernelStatus
from ._route import Query


def _answer(params: KernelParams, pools: Pools) -> KernelStatus:
    from ..kernel.service import restart_kernel  # jupyter_client loads on first use

    return restart_kernel(params, pools.kernels)


ROUTE = Query(
    method="tenstorrent/restartKernel",
    params=KernelParams,
    result=KernelStatus,
    answer=_answer,
)
