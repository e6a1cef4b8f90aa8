"""The extension's `tenstorrent.ttXla.*` settings: key, default, constraints, description.

Exported with the schema; package.json's `contributes.configuration` is checked against it by
tests/extension/unit/settings.test.ts, and the extension reads settings through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .base import (
    DEFAULT_MODEL,
    DEFAULT_PROMPT,
    DEFAULT_VENV,
    GPT2_MODELS,
    GPT2_WEIGHTS,
    MESH_SHAPE_PATTERN,
    PLUGIN_PACKAGE,
    TT_INDEX_URL,
    VISIBLE_DEVICES_PATTERN,
)

SECTION = "tenstorrent.ttXla"
MACHINE: Final = "machine-overridable"  # a path or URL that differs per machine (remote windows)


@dataclass(frozen=True)
class Setting:
    key: str
    default: str | bool | float
    description: str
    scope: Literal["machine-overridable"] | None = None
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    pattern_error: str | None = None
    minimum: float | None = None

    def contribution(self) -> dict[str, object]:
        """This setting as package.json's `contributes.configuration.properties` entry."""
        kind = {str: "string", bool: "boolean"}.get(type(self.default), "number")
        entry: dict[str, object] = {"type": kind, "default": self.default}
        optional = {
            "enum": list(self.enum) if self.enum else None,
            "pattern": self.pattern,
            "patternErrorMessage": self.pattern_error,
            "minimum": self.minimum,
            "description": self.description,
            "scope": self.scope,
        }
        entry.update({k: v for k, v in optional.items() if v is not None})
        return entry


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "venvPath",
        DEFAULT_VENV,
        "Folder of the virtual environment tt-lessons manages for TT-XLA (created by Install).",
        scope=MACHINE,
    ),
    Setting(
        "indexUrl", TT_INDEX_URL, f"Package index that serves {PLUGIN_PACKAGE}.", scope=MACHINE
    ),
    Setting("pre", False, f"Allow pre-release (nightly) {PLUGIN_PACKAGE} and friends."),
    Setting(
        "wheelhouse",
        "",
        "Optional folder of wheels to install from (pip --find-links).",
        scope=MACHINE,
    ),
    Setting(
        "offline", False, "Install only from the wheelhouse and the index URL, never from PyPI."
    ),
    Setting(
        "cpuOnly",
        False,
        f"Install without {PLUGIN_PACKAGE}: JAX runs on the CPU (for machines without "
        "Tenstorrent hardware).",
    ),
    Setting(
        "model",
        DEFAULT_MODEL,
        "GPT-2 size for the demo (downloaded from the Hugging Face Hub).",
        enum=GPT2_MODELS,
    ),
    Setting(
        "modelPath",
        "",
        "Local GPT-2 checkpoint folder (Hugging Face format). Overrides `model` when set.",
        scope=MACHINE,
    ),
    Setting("prompt", DEFAULT_PROMPT, "Prompt for the GPT-2 demo."),
    Setting(
        "generate",
        0,
        "GPT-2 demo: most new tokens to generate after the prompt (0: only the next-token "
        "prediction). Stops early at end-of-text.",
        minimum=0,
    ),
    Setting(
        "temperature",
        0,
        "GPT-2 demo: 0 picks the likeliest token every time (greedy, deterministic); above 0 "
        "samples, more freely the higher it is.",
        minimum=0,
    ),
    Setting("sampleTopK", 0, "GPT-2 sampling: only the k likeliest tokens (0: no cut).", minimum=0),
    Setting(
        "topP",
        1,
        "GPT-2 sampling: the fewest tokens holding this share of the probability (1: no cut).",
        minimum=0,
    ),
    Setting("seed", 0, "GPT-2 sampling: the same seed gives the same tokens.", minimum=0),
    Setting(
        "weights",
        GPT2_WEIGHTS[0],
        "GPT-2 demo: how the weights are kept. bfloat16, Tenstorrent's native format, reads half "
        "the bytes per token; its probabilities differ from float32's in the third decimal.",
        enum=GPT2_WEIGHTS,
    ),
    Setting(
        "meshShape",
        "",
        "Device mesh for the multi-chip example, rows x columns (1x2 for an n300, 2x4 for a "
        "T3K or LoudBox, 1x4 for a QuietBox 2, 8x4 for a Galaxy). Empty: every chip seen "
        "(1x2 on the CPU).",
        pattern=r"^$|" + MESH_SHAPE_PATTERN,
        pattern_error="Rows x columns, e.g. 1x2, 2x4, 8x4.",
    ),
    Setting(
        "pythonPath",
        "",
        "Python 3.10+ that runs the tt-lessons backend. The venv is made from it when "
        f"{PLUGIN_PACKAGE} accepts it (Python 3.12), else from a 3.12 found on the machine. "
        "Empty: the Python extension's interpreter, else python3 on PATH.",
        scope=MACHINE,
    ),
    Setting(
        "pythonDownload",
        True,
        f"When no Python on this machine fits {PLUGIN_PACKAGE} (3.12), let uv download a "
        "managed CPython for the venv.",
    ),
    Setting(
        "latestJax",
        False,
        f"CPU-only installs: take the newest jax instead of the version {PLUGIN_PACKAGE} pins.",
    ),
    Setting(
        "visibleDevices",
        "",
        "Chips the lesson may use, passed as TT_VISIBLE_DEVICES (e.g. 0,1). Empty: every chip.",
        pattern=r"^$|" + VISIBLE_DEVICES_PATTERN,
        pattern_error="Chip numbers or PCI addresses, comma-separated, e.g. 0,1.",
    ),
    Setting(
        "externalEnvironment",
        "",
        f"An environment you manage that already has {PLUGIN_PACKAGE} (e.g. ~/tt-forge-venv, or "
        "/usr/bin/python3 in the tt-xla-slim container). The lesson runs in it as it is; "
        "tt-lessons never installs into it. Empty: the managed venv.",
        scope=MACHINE,
    ),
    Setting("timeoutSeconds", 0, "Stop a step after this many seconds (0: no limit).", minimum=0),
)
