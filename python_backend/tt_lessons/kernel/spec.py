"""The venv as a Jupyter kernelspec, "TT-XLA (<venv>)", in the user's Jupyter data folder.

Jupyter (and VS Code's Jupyter extension) find kernels as `<data dir>/kernels/<name>/kernel.json`
(jupyter_client.kernelspec); writing that file is all `ipykernel install --user` does, so no
`jupyter` command is needed. Our own kernels start from the same spec, so a notebook exported
from the lesson opens in the same environment.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir

from ..protocol import KERNEL_CPU_DEVICES

# Enough CPU devices for the lesson's mesh snippet (1x2) and the bigger layouts (2x4) as written.
HOST_DEVICES = KERNEL_CPU_DEVICES
XLA_HOST_FLAG = f"--xla_force_host_platform_device_count={HOST_DEVICES}"


@dataclass(frozen=True)
class KernelSpecInfo:
    name: str
    display_name: str
    folder: Path


def kernel_name(venv: str) -> str:
    """Stable per venv folder, so re-registering replaces rather than piles up."""
    root = os.path.abspath(os.path.expanduser(venv))
    return "tt-xla-" + hashlib.sha256(root.encode()).hexdigest()[:10]


def display_name(venv: str) -> str:
    return f"TT-XLA ({os.path.abspath(os.path.expanduser(venv))})"


def spec_json(python: str, venv: str) -> dict[str, object]:
    root = os.path.abspath(os.path.expanduser(venv))
    return {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": display_name(venv),
        "language": "python",
        "interrupt_mode": "signal",
        "env": {"XLA_FLAGS": XLA_HOST_FLAG},
        "metadata": {"tt-lessons": {"venv": root}, "debugger": False},
    }


def register(python: str, venv: str, data_dir: str | None = None) -> KernelSpecInfo:
    """Write (or refresh) the venv's kernel.json; written to a temp file and renamed."""
    name = kernel_name(venv)
    folder = Path(data_dir or jupyter_data_dir()) / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    spec = spec_json(python, venv)
    target = folder / "kernel.json"
    text = json.dumps(spec, indent=1) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        temp = folder / f".kernel.json.{os.getpid()}"
        temp.write_text(text, encoding="utf-8")
        temp.replace(target)
    return KernelSpecInfo(name, str(spec["display_name"]), folder)
