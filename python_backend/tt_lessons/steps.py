"""A lesson's steps are other routes' runs. What starts one by its command lives in services.py,
which knows the routes; a whole-lesson run reaches it through `Pools.steps`, so kernel/ never
imports routes/ (which import kernel/): no import circle."""

from __future__ import annotations

from typing import Any, Protocol

from .protocol import RunOutcome
from .run_sink import Listener


class StepRunner(Protocol):
    def runs(self, command: str) -> bool:
        """The command (a CommandId value) starts a run route, not a UI action."""

    def changes_venv(self, command: str) -> bool:
        """The run rebuilds the environment (install): a lesson run leaves it out."""

    async def run(self, command: str, values: dict[str, Any], listener: Listener) -> RunOutcome:
        """Run it with the `values` its params take (others are dropped), to its outcome."""
