"""One declaration per request method, in the shape of pygls' `@server.feature(METHOD)` and
FastAPI's typed routes: the wire name, the params model and what answers it, in one place.

The server's handlers, the CLI's commands and flags, `services.execute`, the schema's `Requests`
and the extension's command table are all derived from these declarations (see __init__.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..pools import Pools
from ..protocol import CommandId, Model, RunParams, RunResult
from ..run_sink import RunSink
from ..workload_specs import WorkloadSpec

P = TypeVar("P", bound=RunParams)
Q = TypeVar("Q", bound=Model)
R = TypeVar("R", bound=Model)


@dataclass(frozen=True)
class Command:
    """The VS Code command that starts the run (palette, menus, lesson links)."""

    id: CommandId
    title: str
    icon: str  # a codicon name
    # Params fields (snake_case) a lesson link may set, e.g. `{"shape": "2x4"}`; the rest come
    # from settings. Each is checked against the field's own constraints on both sides.
    lesson_args: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Route(Generic[P]):
    """A run: answered with a RunOutcome once it ends, streaming events meanwhile.

    Exactly one of `service` (an async function of the typed params) or `workload` (a script
    run in the venv, see workload_specs.py) does the work.
    """

    method: str  # JSON-RPC wire name
    cli: str  # `tt-lessons <cli>`
    help: str
    params: type[P]
    command: Command
    # `Pools`: what outlives the run (kernels, standbys), owned by the server or the CLI.
    service: Callable[[P, RunSink, Pools], Awaitable[RunResult | None]] | None = None
    workload: WorkloadSpec[P] | None = None
    # The run rebuilds the venv, so interpreters started ahead of the next run are stale.
    changes_venv: bool = False

    def __post_init__(self) -> None:
        if (self.service is None) == (self.workload is None):
            raise TypeError(f"{self.method}: give a service or a workload, not both or neither")
        unknown = set(self.command.lesson_args) - set(self.params.model_fields)
        if unknown:
            raise TypeError(f"{self.method}: lesson args {unknown} are not params fields")


@dataclass(frozen=True, kw_only=True)
class Query(Generic[Q, R]):
    """A request answered at once, without a run (status).

    `cli=None`: server-only (the kernel requests act on the server's own kernels), no command.
    """

    method: str
    params: type[Q]
    result: type[R]
    answer: Callable[[Q, Pools], R]
    cli: str | None = None  # `tt-lessons <cli>`
    help: str = ""
