"""`tenstorrent/startKernel`: start the lesson's kernel ahead of its first run; runs no code."""

from __future__ import annotations

from ..pools import Pools
from ..protocol.cells import KernelParams, KernelStatus
from ._route import Query


def _answer(params: KernelParams, pools: Pools) -> KernelStatus:
    from ..kernel.service import start_kernel  # jupyter_client loads on first use

    return start_kernel(params, pools.kernels)


ROUTE = Query(
    method="tenstorrent/startKernel",
    params=KernelParams,
    result=KernelStatus,
    answer=_answer,
)
