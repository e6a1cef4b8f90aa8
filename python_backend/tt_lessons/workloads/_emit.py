"""Tiny event writer for workloads: one JSON object per line on stdout, flushed at once."""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any


def emit(kind: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"kind": kind, **fields}) + "\n")
    sys.stdout.flush()


def progress(step: int, total: int, label: str) -> None:
    emit(
        "progress",
        step=step,
        total=total,
        label=label,
        percent=round(100.0 * (step - 1) / total, 1),
    )


def result(payload: dict[str, Any]) -> None:
    emit("result", result=payload)


def error(code: str, message: str, fixes: list[str] | None = None) -> None:
    emit("error", error={"code": code, "message": message, "fixes": fixes or []})


def device_arch(device: Any) -> str | None:
    """A TT device prints as `TTDevice(id=0, arch=Wormhole_b0)`; CPU devices name no arch."""
    match = re.search(r"\barch=([A-Za-z0-9_]+)", str(device))
    return match.group(1) if match else None


def device_info(device: Any) -> dict[str, Any]:
    return {
        "id": int(device.id),
        "platform": str(device.platform),
        "kind": str(getattr(device, "device_kind", "")),
        "description": str(device),
        "arch": device_arch(device),
    }


def is_tt(platform: str) -> bool:
    return platform.lower() in ("tt", "tenstorrent")


class Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        spent, self.start = now - self.start, now
        return round(spent, 4)
