"""Shared pieces of the protocol: constants, method names and the wire conventions."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

PROTOCOL_VERSION = 1
DEFAULT_VENV = "~/tt-xla-venv"
TT_INDEX_URL = "https://pypi.eng.aws.tenstorrent.com/"
DEFAULT_PROMPT = "The capital of France is"


class Method(str, Enum):
    """JSON-RPC method names (requests unless noted)."""

    INSTALL = "tenstorrent/installTtXla"
    TEST = "tenstorrent/testTtXlaInstall"
    DEMO = "tenstorrent/runTtXlaDemo"
    MESH = "tenstorrent/runMeshExample"
    CNN = "tenstorrent/runCnnExample"
    STATUS = "tenstorrent/status"
    DOCTOR = "tenstorrent/doctor"
    EVENT = "tenstorrent/event"  # notification, server -> client


class Model(BaseModel):
    """Base: camelCase on the wire, snake_case in Python, unknown fields refused."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=False
    )
