"""Doctor findings about TT-Metal settings in the environment the runs inherit.

pjrt_plugin_tt (tt-xla 1.4.0, python_package/pjrt_plugin_tt/__init__.py) sets
TT_METAL_RUNTIME_ROOT to the wheel's own tt-metal/ unless it is already set; a set value is kept
and, when that folder is missing, the plugin fails to load ("TT-Metal installation not found")
and JAX carries on with the CPU. TT_PJRT_PLUGIN_DIR is treated the same way. TT_METAL_HOME is not
read by the plugin. Pure: the environment and a path test are handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePath

from ..protocol import CommandId, Finding, FixAction

RUNTIME_ROOT = "TT_METAL_RUNTIME_ROOT"
PLUGIN_DIR = "TT_PJRT_PLUGIN_DIR"
METAL_HOME = "TT_METAL_HOME"
_RESTART = (
    "Remove the line that sets it (~/.bashrc, an environment script), then restart VS Code from "
    "a shell without it so the backend and its runs no longer inherit it."
)


def _unset(name: str) -> FixAction:
    return FixAction(label=f"Unset {name}", command=CommandId.RUN_DOCTOR, argv=["unset", name])


def _own_runtime(path: str) -> bool:
    """The wheel's own folder: .../pjrt_plugin_tt/tt-metal (set by an earlier import)."""
    parts = PurePath(path).parts
    return len(parts) >= 2 and parts[-2:] == ("pjrt_plugin_tt", "tt-metal")


def tt_metal_findings(env: Mapping[str, str], exists: Callable[[str], bool]) -> list[Finding]:
    found: list[Finding] = []
    root = env.get(RUNTIME_ROOT)
    if root and not exists(root):
        found.append(
            Finding(
                id="tt-metal-runtime-root",
                status="fail",
                title=f"{RUNTIME_ROOT} points at a missing folder",
                detail=f"{RUNTIME_ROOT}={root} does not exist. The TT plugin keeps a value that "
                "is set and then fails to load (JAX logs 'TT-Metal installation not found' and "
                f"uses the CPU only). {_RESTART}",
                fix=_unset(RUNTIME_ROOT),
            )
        )
    elif root and not _own_runtime(root):
        found.append(
            Finding(
                id="tt-metal-runtime-root",
                status="warn",
                title=f"{RUNTIME_ROOT} overrides the plugin's own TT-Metal",
                detail=f"{RUNTIME_ROOT}={root}: the TT plugin uses the runtime files there instead "
                "of the ones in its wheel. If that TT-Metal is another version, kernels fail to "
                f"compile or hang, which looks like a version mismatch. {_RESTART}",
                fix=_unset(RUNTIME_ROOT),
            )
        )
    plugin_dir = env.get(PLUGIN_DIR)
    if plugin_dir and not exists(plugin_dir):
        found.append(
            Finding(
                id="tt-pjrt-plugin-dir",
                status="fail",
                title=f"{PLUGIN_DIR} points at a missing folder",
                detail=f"{PLUGIN_DIR}={plugin_dir} does not exist, so the TT plugin cannot find "
                f"pjrt_plugin_tt.so and fails to load. {_RESTART}",
                fix=_unset(PLUGIN_DIR),
            )
        )
    if env.get(METAL_HOME):
        found.append(
            Finding(
                id="tt-metal-home",
                status="info",
                title=f"{METAL_HOME} is set (TT-XLA does not read it)",
                detail=f"{METAL_HOME}={env[METAL_HOME]} is for your own TT-Metal builds; the TT "
                f"plugin ignores it and only {RUNTIME_ROOT} changes which runtime it uses.",
            )
        )
    return found
