"""`tenstorrent/interruptKernel`: interrupt the running cell; a second press while it still
runs kills the kernel."""

from __future__ import annotations

from ..protocol.cells import KernelParams, KernelStatus
from ._route import Query


def _answer(params: KernelParams) -> KernelStatus:
    from ..kernel.service import interrupt_kernel  # jupyter_client loads on first use

    return interrupt_kernel(params)


ROUTE = Query(
    method="tenstorrent/interruptKernel",
    params=KernelParams,
    result=KernelStatus,
    answer=_answer,
)
