"""Doctor findings about the real plugin's surroundings: SFPI, chip selection, the container.

Pure functions of facts gathered elsewhere (venv/sfpi.py, status, venv/external.py), so each
case is tested without a card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import plugin
from ..chips import ChipNode
from ..errors import open_settings_action
from ..protocol import Finding, SfpiInfo
from ..venv.plugin_metadata import version_key


@dataclass(frozen=True)
class PlatformFacts:
    sfpi: SfpiInfo | None  # None: CPU-only venv or no venv
    tt_devices: list[str]
    visible_devices: str | None
    external: bool  # the lesson runs in an environment the person manages
    container_python: str | None  # the tt-xla-slim container's Python with the plugin, if here
    plugin_version: str | None = None  # pjrt-plugin-tt in the lesson's environment
    chip_nodes: list[ChipNode] = field(default_factory=list)  # with PCI addresses (chips.py)


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


def plugin_maps_numbers(version: str) -> bool | None:
    """Does this pjrt-plugin-tt turn chip numbers into PCI addresses itself? None: unreadable."""
    try:
        return version_key(version) >= version_key(plugin.VISIBLE_DEVICES_MAPPED_SINCE)
    except ValueError:
        return None


def visible_devices_finding(
    visible: str | None, plugin_version: str | None, nodes: list[ChipNode]
) -> Finding | None:
    """Warn when TT_VISIBLE_DEVICES will not pick the chips the person means, for the plugin
    version installed: 1.4.0 rejects every number but 0; later nightlies count by PCI address."""
    if not visible or plugin_version is None:
        return None
    tokens = [t.strip() for t in visible.split(",") if t.strip()]
    numbers = [t for t in tokens if t.isdigit()]
    by_pci = sorted((n for n in nodes if n.pci), key=lambda n: n.pci or "")
    known = {n.pci.lower() for n in by_pci if n.pci}
    env = f"{plugin.VISIBLE_DEVICES_ENV}={visible}"
    fix = open_settings_action("visibleDevices")
    strangers = [t for t in tokens if not t.isdigit() and known and t.lower() not in known]
    if strangers:
        return Finding(
            id="visible-devices",
            status="warn",
            title="visibleDevices names a PCI address no chip has",
            detail=f"{env}: no chip here is at {', '.join(strangers)}. The chips are at "
            f"{', '.join(sorted(known))}.",
            fix=fix,
        )
    maps = plugin_maps_numbers(plugin_version)
    if maps is False and any(t != "0" for t in numbers):
        in_range = all(int(t) < len(by_pci) for t in numbers)
        spelled = ",".join(by_pci[int(t)].pci or t if t.isdigit() else t for t in tokens)
        instead = f" ({spelled} here)" if numbers and in_range else ""
        return Finding(
            id="visible-devices",
            status="warn",
            title=f"{plugin.PLUGIN} {plugin_version} only takes chip number 0",
            detail=f'{env} will stop the compiler with "Invalid chip ID in '
            f'{plugin.VISIBLE_DEVICES_ENV}": this plugin version accepts no chip number but 0 '
            f"({plugin.VISIBLE_DEVICES_ISSUE}). Give the chips by PCI address instead{instead}, "
            "or move to a nightly that translates numbers itself (turn on "
            "tenstorrent.ttXla.pre and install again).",
            fix=fix,
        )
    if maps and numbers:
        moved = [
            f"{t} is /dev/tenstorrent/{by_pci[int(t)].index} ({by_pci[int(t)].pci})"
            for t in numbers
            if int(t) < len(by_pci) and by_pci[int(t)].index != int(t)
        ]
        if moved:
            return Finding(
                id="visible-devices",
                status="warn",
                title="Chip numbers count by PCI address, not by /dev/tenstorrent",
                detail=f"{plugin.PLUGIN} {plugin_version} reads each number in {env} as the "
                f"Nth chip sorted by PCI address: {'; '.join(moved)}. Give PCI addresses to "
                "pick chips by their device node.",
                fix=fix,
            )
    return None


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
        visible_devices_finding(facts.visible_devices, facts.plugin_version, facts.chip_nodes),
        container_finding(facts.container_python, facts.external),
    ]
    return [f for f in found if f is not None]
