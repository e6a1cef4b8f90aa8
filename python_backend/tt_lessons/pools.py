"""What outlives one request: the interpreters started ahead (StandbyPool) and the lessons'
Jupyter kernels (KernelPool). Its owner builds it and closes it: the server for its whole life,
the CLI or `services.execute_route` for one run. There is no process-wide pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .standby import StandbyPool

if TYPE_CHECKING:
    from .kernel.pool import KernelPool
    from .steps import StepRunner


class Pools:
    def __init__(self, standby: StandbyPool | None = None, kernel_data_dir: str | None = None):
        self.standby = standby
        self._kernel_data_dir = kernel_data_dir  # Jupyter data folder for kernelspecs; None: user's
        self._kernels: KernelPool | None = None
        # Set by services.execute_route: runs a lesson's steps (other routes) by their command.
        self.steps: StepRunner | None = None

    @property
    def kernels(self) -> KernelPool:
        """Made on the first kernel request, so jupyter_client loads then, not at start."""
        if self._kernels is None:
            from .kernel.pool import KernelPool

            self._kernels = KernelPool(self._kernel_data_dir)
        return self._kernels

    async def aclose(self) -> None:
        """Shut the kernels down and drop the standby interpreters (inside the owner's loop)."""
        if self._kernels is not None:
            await self._kernels.shutdown()
            self._kernels = None
        if self.standby is not None:
            await self.standby.aclose()

    def kill_now(self) -> None:
        """Kill the kernels without a loop (the server's exit, after its loop has ended). A
        standby interpreter needs nothing: it dies with the backend (runner's PDEATHSIG)."""
        if self._kernels is not None:
            self._kernels.kill_now()
            self._kernels = None
