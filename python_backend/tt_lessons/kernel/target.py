"""Where a lesson's kernel (or a file run) runs: which interpreter, which environment the
kernelspec names, which chips it may use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import plugin
from ..protocol import RunParams
from ..protocol.cells import KernelParams
from ..venv.environment import child_env, python_for
from .spec import XLA_HOST_FLAG

# The extension puts its bundled libraries (built for the backend's Python) and the backend's
# source on the server's PYTHONPATH; the venv's Python must import its own zmq, pydantic, ...
_BACKEND_SRC = Path(__file__).resolve().parents[2]  # python_backend/
_BUNDLED = _BACKEND_SRC.parent / "bundled"


def without_backend_paths(pythonpath: str) -> str:
    """PYTHONPATH without the backend's own entries; a person's own entries stay, in order."""
    kept = []
    for entry in pythonpath.split(os.pathsep):
        if not entry:
            continue
        path = Path(entry).resolve()
        if path == _BACKEND_SRC or path == _BUNDLED or _BUNDLED in path.parents:
            continue
        kept.append(entry)
    return os.pathsep.join(kept)


@dataclass(frozen=True)
class KernelTarget:
    python: str
    env_path: str  # the managed venv, or the external environment used as it is
    visible_devices: str | None
    cpu_only: bool = False  # JAX_PLATFORMS=cpu: a whole-lesson run asked for the CPU

    @classmethod
    def of(cls, params: RunParams | KernelParams, cpu_only: bool = False) -> KernelTarget:
        """Raises VENV_NOT_READY (with its fix) when the managed venv is not installed."""
        python = python_for(params.venv, params.external_env)
        return cls(python, params.external_env or params.venv, params.visible_devices, cpu_only)

    def env(self) -> dict[str, str]:
        """The backend's environment, enough CPU devices for the lesson's mesh (one flag added
        to a person's own XLA_FLAGS), and the chips as TT_VISIBLE_DEVICES, as workloads get."""
        env = child_env()
        own_path = without_backend_paths(env.get("PYTHONPATH", ""))
        if own_path:
            env["PYTHONPATH"] = own_path
        else:
            env.pop("PYTHONPATH", None)
        flags = env.get("XLA_FLAGS", "")
        if "xla_force_host_platform_device_count" not in flags:
            env["XLA_FLAGS"] = f"{flags} {XLA_HOST_FLAG}".strip()
        if self.visible_devices:
            env[plugin.VISIBLE_DEVICES_ENV] = self.visible_devices
        if self.cpu_only:
            env["JAX_PLATFORMS"] = "cpu"
        return env
