"""`tenstorrent/supportBundle`: the doctor, status, versions, last reports and log in one zip."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId
from ..protocol.reports import SupportBundleParams, SupportBundleResult
from ..run_sink import RunSink
from ._route import Command, Route


async def _service(
    params: SupportBundleParams, sink: RunSink, _pools: Pools
) -> SupportBundleResult:
    from ..support import write_bundle  # the doctor pulls in most of venv/

    return await write_bundle(params, sink)


ROUTE = Route(
    method="tenstorrent/supportBundle",
    cli="support-bundle",
    help="write a zip for a bug report: doctor, status, versions, last reports, log (~ for home)",
    params=SupportBundleParams,
    command=Command(CommandId.SAVE_SUPPORT_BUNDLE, "Save a Support Bundle…", "package"),
    service=_service,
)
