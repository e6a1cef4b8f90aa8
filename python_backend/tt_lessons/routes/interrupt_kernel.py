"""`tenstorrent/interruptKernel`: interrupt the running cell; a second press while it still
runs kills the kernel."""

from __future__ import annotations

from ..pools import Pools
from ..protocol.cells import KernelParams, KernelStatus
from ._route import Query


def _answer(params: KernelParams, pools: Pools) -> KernelStatus:
    from ..kernel.service import interrupt_kernel  # jupyter_client loads on first use

    return interrupt_kernel(params, pools.kernels)


ROUTE = Query(
    method="tenstorrent/interruptKernel",
    params=KernelParams,
    result=KernelStatus,
    answer=_answer,
)
