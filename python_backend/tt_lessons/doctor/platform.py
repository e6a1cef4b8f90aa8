"""Doctor findings about the real plugin's surroundings: SFPI, chip selection, the container.

Pure functions of facts gathered elsewhere (venv/sfpi.py, status, venv/external.py), so each
case is tested without a card.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import plugin
from ..protocol import Finding, SfpiInfo


@dataclass(frozen=True)
class PlatformFacts:
    sfpi: SfpiInfo | None  # None: CPU-only venv or no venv
    tt_devices: list[str]
    visible_devices: str | None
    external: bool  # the lesson runs in an environment the person manages
    container_python: str | None  # the tt-xla-slim container's Python with the plugin, if here


def sfpi_finding(sfpi: SfpiInfo | None) -> Finding | None:
    if sfpi is None or sfpi.state == "not-needed":
        return None
    if sfpi.state == "ok":
        return Finding(
            id="sfpi", status="ok", title="SFPI compiler matches the plugin", detail=sfpi.message
        )
    if sfpi.state == "unknown":
        return Finding(
            id="sfpi", status="info", title="SFPI could not be checked", detail=sfpi.message
        )
    return Finding(
        id="sfpi",
        status="fail",
        title="SFPI compiler missing"
        if sfpi.state == "missing"
        else "SFPI compiler is the wrong version",
        detail=sfpi.message + f" {plugin.SFPI_INSTALLER} downloads the right package and installs "
        "it with sudo, in a terminal you can watch.",
        fix=sfpi.fix,
    )


def chips_finding(tt_devices: list[str], visible: str | None) -> Finding | None:
    if not tt_devices:
        return None
    seen = f"The kernel driver shows {len(tt_devices)} chip node(s): {', '.join(tt_devices)}."
    if not visible:
        return Finding(
            id="chips",
            status="ok",
            title=f"The lesson uses all {len(tt_devices)} chip(s)",
            detail=seen + " Set tenstorrent.ttXla.visibleDevices to pick some.",
        )
    picked = [token.strip() for token in visible.split(",") if token.strip()]
    wrong = [t for t in picked if t.isdigit() and int(t) >= len(tt_devices)]
    if wrong:
        return Finding(
            id="chips",
            status="fail",
            title="visibleDevices names chips that are not here",
            detail=seen + f" {plugin.VISIBLE_DEVICES_ENV}={visible} asks for "
            f"{', '.join(wrong)}; chips are numbered from 0 to {len(tt_devices) - 1}. Fix "
            "tenstorrent.ttXla.visibleDevices (or --visible-devices).",
        )
    return Finding(
        id="chips",
        status="ok",
        title=f"The lesson uses chip(s) {visible}",
        detail=seen + f" Workloads run with {plugin.VISIBLE_DEVICES_ENV}={visible}.",
    )


def container_finding(container_python: str | None, external: bool) -> Finding | None:
    if container_python is None or external:
        return None
    return Finding(
        id="container",
        status="info",
        title="Tenstorrent's tt-xla container is ready to use",
        detail=f"{container_python} already has pjrt-plugin-tt (and SFPI). Point "
        "tenstorrent.ttXla.externalEnvironment (or --external-env) at it to run the lesson "
        "there without a venv; pip install flax transformers there for the GPT-2 step.",
    )


def platform_findings(facts: PlatformFacts) -> list[Finding]:
    found = [
        sfpi_finding(facts.sfpi),
        chips_finding(facts.tt_devices, facts.visible_devices),
        container_finding(facts.container_python, facts.external),
    ]
    return [f for f in found if f is not None]
