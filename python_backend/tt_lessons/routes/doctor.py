"""`tenstorrent/doctor`: the lesson's troubleshooting as checks, each with a fix."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId, DoctorParams, RunResult
from ..run_sink import RunSink
from ._route import Command, Route


async def _doctor(params: DoctorParams, sink: RunSink, _pools: Pools) -> RunResult | None:
    from .. import doctor  # imported on the first run: the doctor pulls in most of venv/

    return await doctor.run(params, sink)


ROUTE = Route(
    method="tenstorrent/doctor",
    cli="doctor",
    help="check the install and hardware, with fixes",
    params=DoctorParams,
    command=Command(CommandId.RUN_DOCTOR, "Check This Machine (Doctor)", "pulse"),
    service=_doctor,
)
