"""Shared pieces of the protocol: constants, field annotations and the wire conventions.

Every constant the extension also needs (defaults, the GPT-2 sizes, the mesh-shape pattern, the
plugin's package name) is defined here once and reaches TypeScript through the exported schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from .. import plugin

PROTOCOL_VERSION = 1
DEFAULT_VENV = "~/tt-xla-venv"
DEFAULT_WHEELHOUSE = "~/tt-xla-wheelhouse"
TT_INDEX_URL = "https://pypi.eng.aws.tenstorrent.com/"
DEFAULT_PROMPT = "The capital of France is"
PLUGIN_PACKAGE = plugin.PLUGIN  # the real wheel's facts live in plugin.py
# Short names the demo accepts besides a folder; workloads/gpt2_source.py maps them to the hub.
GPT2_MODELS = ("gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl")
DEFAULT_MODEL = GPT2_MODELS[0]
# How the demo keeps GPT-2's weights; bfloat16 (Tenstorrent's format) reads half the bytes.
GPT2_WEIGHTS = ("float32", "bfloat16")
GPT2_WEIGHTS_PATTERN = "^(" + "|".join(GPT2_WEIGHTS) + ")$"
MESH_SHAPE_PATTERN = r"^[1-9][0-9]*x[1-9][0-9]*$"
# CPU devices the lesson's kernel splits the host into (XLA's host device count), so the mesh
# cells (1x2, 2x4) have devices to place shards on; a workload's own run sees JAX's single CPU.
KERNEL_CPU_DEVICES = 8
# TT_VISIBLE_DEVICES: chip numbers or PCI addresses (pjrt_plugin_tt accepts both), comma-separated.
VISIBLE_DEVICES_PATTERN = r"^[0-9A-Fa-f:.]+(,[0-9A-Fa-f:.]+)*$"


@dataclass(frozen=True)
class Cli:
    """How a params field is spelled on the command line when `--field-name` will not do.

    `flag=None` keeps the field off the command line; a flag without a leading dash
    (`Cli("DIR")`) makes it an optional positional argument. A bool field whose default is True gets
    `--no-field-name` unless a flag is given (`Cli("--pip")` on `use_uv`).
    """

    flag: str | None


@dataclass(frozen=True)
class FromSetting:
    """The `tenstorrent.ttXla.*` settings that fill this field in the extension.

    The first one set (not "" and not 0) wins, so a local model folder can override the hub name.
    """

    keys: tuple[str, ...]

    def __init__(self, *keys: str) -> None:
        object.__setattr__(self, "keys", keys)


class Model(BaseModel):
    """Base: camelCase on the wire, snake_case in Python, unknown fields refused."""

    # defer_build: a model's validator is built on its first use, not at import: a CLI command
    # builds the few it touches, not all ~90 (0.1 s of every `tt-lessons` start).
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=False,
        defer_build=True,
    )
