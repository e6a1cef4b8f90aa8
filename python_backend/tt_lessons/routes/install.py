"""`tenstorrent/installTtXla`: create or repair the venv and install TT-XLA in it."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId, InstallParams, RunResult
from ..run_sink import RunSink
from ..venv.install import install
from ._route import Command, Route


async def _install(params: InstallParams, sink: RunSink, _pools: Pools) -> RunResult | None:
    return await install(params, sink)


ROUTE = Route(
    method="tenstorrent/installTtXla",
    cli="install",
    help="create or repair the venv and install TT-XLA",
    params=InstallParams,
    # The doctor's "Reinstall" fix passes reinstall: a plain install keeps a same-version .so.
    # An error's "Install CPU-only" button passes cpu_only, over the setting, for that run;
    # "Install with the folder's jax" (a wheelhouse without the pin) passes latest_jax as well.
    command=Command(
        CommandId.INSTALL_TT_XLA,
        "Install TT-XLA (JAX + PJRT Plugin)",
        "cloud-download",
        lesson_args=("reinstall", "cpu_only", "latest_jax"),
    ),
    service=_install,
    changes_venv=True,
)
