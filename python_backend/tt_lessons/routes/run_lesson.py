"""`tenstorrent/runLesson`: every step and cell of a lesson, checked, with a report."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId
from ..protocol.cells import LessonRunResult, RunLessonParams
from ..run_sink import RunSink
from ._route import Command, Route


async def _service(params: RunLessonParams, sink: RunSink, pools: Pools) -> LessonRunResult:
    from ..errors import BackendError
    from ..kernel.report import last_report_dir, write_report  # jupyter_client loads on first run
    from ..kernel.run_lesson import run_lesson
    from ..protocol import ErrorCode

    run = await run_lesson(params, sink, pools)
    if params.report is not None:
        run.result.report = str(write_report(params.report, params, run))
        sink.log(f"Report written to {run.result.report}")
    try:  # the last run's report, for Save a Report… and the support bundle
        write_report(str(last_report_dir(params.lesson_id)), params, run)
    except OSError as exc:
        sink.log(f"The report could not be kept for Save a Report…: {exc}", "stderr")
    if not run.result.passed:
        from ..protocol import ResultEvent

        sink.emit(ResultEvent(result=run.result))  # the outcome keeps it next to the error
        failed = [i for i in run.result.items if i.status == "failed"]
        raise BackendError(
            ErrorCode.WORKLOAD_FAILED,
            f"{len(failed)} of {len(run.result.items)} steps and cells of {params.lesson_id} "
            f"failed, the first at line {failed[0].line} ({failed[0].title}).",
            [f"{i.title}: {i.error or '; '.join(i.check.failures)}" for i in failed[:5]],
        )
    return run.result


ROUTE = Route(
    method="tenstorrent/runLesson",
    cli="run-lesson",
    help="run every step and cell of a lesson in order, checked, and write a report",
    params=RunLessonParams,
    # A lesson's own link names it: [Run the whole lesson](command:tenstorrent.runLesson?{...}).
    command=Command(
        CommandId.RUN_LESSON, "Run the Whole Lesson", "run-all", lesson_args=("lesson_id",)
    ),
    service=_service,
)
