"""`tenstorrent/saveReport`: a copy of the lesson's last whole-lesson report in a chosen folder."""

from __future__ import annotations

from ..pools import Pools
from ..protocol.reports import SaveReportParams, SaveReportResult
from ._route import Query


def _answer(params: SaveReportParams, _pools: Pools) -> SaveReportResult:
    from ..kernel.report import save_last_report

    return save_last_report(params)


ROUTE = Query(
    method="tenstorrent/saveReport",
    cli="save-report",
    help="copy the lesson's last whole-lesson report (report.json, report.html, .ipynb) into DIR",
    params=SaveReportParams,
    result=SaveReportResult,
    answer=_answer,
)
