"""What every run in the managed venv needs: which interpreter, and the environment it starts with.

Installs, workloads, kernels and Run Python File all start children through these, so a change
to how a child is started (an index variable dropped, a chip selection passed) happens once.
"""

from __future__ import annotations

import os

from .. import plugin
from ..errors import BackendError, install_action
from ..protocol import ErrorCode, RunParams, VenvState
from . import external
from .layout import VenvLayout
from .status import venv_state

_INDEX_ENV = ("INDEX_URL", "EXTRA_INDEX_URL", "FIND_LINKS", "INDEX", "DEFAULT_INDEX", "NO_INDEX")


def child_env(offline: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PYTHONUNBUFFERED="1", UV_PYTHON_DOWNLOADS="never", UV_NO_PROGRESS="1")
    env.pop("VIRTUAL_ENV", None)  # the target venv is always named explicitly
    if offline:  # only the sources the person named: drop indexes from pip/uv config and env
        env["PIP_CONFIG_FILE"] = os.devnull
        env["UV_NO_CONFIG"] = "1"
        for name in _INDEX_ENV:
            env.pop(f"PIP_{name}", None)
            env.pop(f"UV_{name}", None)
    return env


def chip_env(params: RunParams) -> dict[str, str]:
    """The chips a run may use reach pjrt_plugin_tt as TT_VISIBLE_DEVICES."""
    return {plugin.VISIBLE_DEVICES_ENV: params.visible_devices} if params.visible_devices else {}


def python_for(venv: str, external_env: str | None = None) -> str:
    """The interpreter runs use: an external environment's as it is, else the ready venv's."""
    if external_env:
        return str(external.interpreter(external_env))
    layout = VenvLayout.at(venv)
    state, note = venv_state(layout)
    if state is not VenvState.READY:
        raise BackendError(
            ErrorCode.VENV_NOT_READY,
            f"The TT-XLA venv at {layout.root} is {state.value}" + (f": {note}" if note else "."),
            ["Run 'Install TT-XLA' (tt-lessons install) first; it repairs an incomplete venv."],
            [install_action()],
        )
    return str(layout.python)
