"""`tenstorrent/exportNotebook`: the lesson as an .ipynb with the learner's cells and outputs."""

from __future__ import annotations

from ..pools import Pools
from ..protocol.cells import ExportNotebookParams, ExportNotebookResult
from ._route import Query


def _answer(params: ExportNotebookParams, _pools: Pools) -> ExportNotebookResult:
    from ..kernel.notebook import export_notebook  # nbformat loads on first use

    return export_notebook(params)


ROUTE = Query(
    method="tenstorrent/exportNotebook",
    cli="export-notebook",
    help="write the lesson as a Jupyter notebook (.ipynb) naming the venv's kernel",
    params=ExportNotebookParams,
    result=ExportNotebookResult,
    answer=_answer,
)
