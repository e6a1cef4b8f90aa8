"""`tenstorrent/doctor`: the lesson's troubleshooting as checks, each with a fix."""

from __future__ import annotations

from ..protocol import CommandId, DoctorParams, RunResult
from ..run_sink import RunSink
from ._route import Command, Route


async def _doctor(params: DoctorParams, sink: RunSink) -> RunResult | None:
    # Imported here: doctor_rules names this route's command in its fixes.
    from .. import doctor

    return await doctor.run(params, sink)


ROUTE = Route(
    method="tenstorrent/doctor",
    cli="doctor",
    help="check the install and hardware, with fixes",
    params=DoctorParams,
    command=Command(CommandId.RUN_DOCTOR, "Check This Machine (Doctor)", "pulse"),
    service=_doctor,
)
