"""What a workload route declares: the script it runs, its argv, environment and preloads.

Settings travel as separate argv items, never through a shell, so spaces, quotes, `;` or `$()`
in a prompt or a path reach the workload literally. Each route in routes/ builds its own spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from .protocol import RunParams
from .venv.layout import state_home

WORKLOADS_DIR = Path(__file__).parent / "workloads"
P = TypeVar("P", bound=RunParams)


def compile_cache_dir() -> Path:
    return state_home() / "jax-compile-cache"


def no_env(_params: RunParams) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class WorkloadSpec(Generic[P]):
    script: str  # a file in workloads/
    args: Callable[[P], list[str]]
    env: Callable[[P], dict[str, str]] = field(default=no_env)
    # Modules a standby interpreter imports ahead of the next run (see standby.py): the slow
    # imports only; none of them may start a JAX backend (that would hold the device).
    preload: tuple[str, ...] = ()
    # The script defines warm(argv): a standby calls it with the last run's arguments, so a
    # repeated click finds its weights loaded and programs compiled (workloads/_warm.py).
    warm: bool = False


JAX_PRELOAD = ("jax", "jax.numpy", "numpy")
