"""What a standby interpreter prepared for the next run, held until that run takes it.

A standby (_standby.py) started after a run may call the workload's `warm(argv)` with that run's
arguments before it says it is ready: a second click usually repeats the first, so the slow parts
that depend only on those arguments (reading weights, compiling) can be done while the person
reads the answer. The workload keeps what it made here under its own name; its `main()`, run later
in the same interpreter, takes it back and uses it only if it still fits the new arguments.

Nothing in this module imports JAX.
"""

from __future__ import annotations

import importlib.metadata
import os
import pkgutil
from typing import Any

_held: dict[str, Any] = {}


def keep(name: str, prepared: Any) -> None:
    _held[name] = prepared


def take(name: str) -> Any | None:
    """What was kept under `name` (once: a second take finds nothing)."""
    return _held.pop(name, None)


def only_cpu() -> bool:
    """True when JAX in this interpreter can only pick its CPU backend.

    Then a standby may start that backend ahead: the CPU is no device another program waits
    for. With any PJRT plugin installed (pjrt-plugin-tt, a CUDA plugin) starting a backend
    would open that device and hold it while the standby waits, so only host work is allowed.
    """
    platforms = os.environ.get("JAX_PLATFORMS", "").strip().lower()
    if platforms:
        return platforms == "cpu"
    if importlib.metadata.entry_points(group="jax_plugins"):
        return False
    try:
        import jax_plugins  # type: ignore[import-not-found]  # the namespace plugins may use
    except ImportError:
        return True
    return not any(pkgutil.iter_modules(jax_plugins.__path__))
