"""The Tenstorrent chips this host shows, read from tt-kmd's sysfs files; starts nothing.

tt-kmd (tenstorrent/tt-kmd docs/sysfs-attributes.md, chardev.c, enumerate.h) makes
/sys/class/tenstorrent/tenstorrent!<N> for /dev/tenstorrent/<N>; its `device` link leads to the
PCI device, whose folder name is the chip's PCI address and whose `device` file holds the PCI
device id (0x401e Wormhole, 0xb140 Blackhole). `tt_card_type` names the card when the firmware
reports it. Only chips with a device node count: a container sees every chip in sysfs but only
the nodes passed in (extension/telemetry/sysfs.ts filters the same way).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import plugin
from .boards import CHIPS_PER_NODE, Arch, Board, arch_of, describe, identify
from .protocol import MeshResult, RunResult, SanityResult

SYSFS_CLASS = "/sys/class/tenstorrent"
DEV_DIR = "/dev/tenstorrent"
_PCI_ARCH: dict[str, Arch] = {"0x401e": "wormhole", "0xb140": "blackhole"}


@dataclass(frozen=True)
class ChipNode:
    index: int  # N of /dev/tenstorrent/N
    pci: str | None  # PCI address, e.g. 0000:01:00.0
    arch: Arch | None
    card: str | None  # tt_card_type, e.g. n300 or p150a


def _text(path: Path) -> str | None:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return value or None


def read_nodes(sysfs: str = SYSFS_CLASS, dev: str = DEV_DIR) -> list[ChipNode]:
    """Every chip node with its sysfs facts, by index; none without the driver."""
    try:
        present = {name for name in os.listdir(dev) if name.isdigit()}
    except OSError:
        return []
    nodes: list[ChipNode] = []
    for name in sorted(present, key=int):
        folder = Path(sysfs) / f"tenstorrent!{name}"
        link = folder / "device"
        try:
            pci = link.resolve().name if link.exists() else None
        except OSError:
            pci = None
        card = _text(folder / "tt_card_type")
        pci_id = (_text(link / "device") or "").lower()
        nodes.append(
            ChipNode(
                int(name),
                pci,
                _PCI_ARCH.get(pci_id),
                None if card == "unknown" else card,
            )
        )
    return nodes


def chip_count(nodes: list[ChipNode]) -> int:
    """Chips JAX will see: an n300's node stands for two."""
    return sum(CHIPS_PER_NODE.get(n.card or "", 1) for n in nodes)


def host_arch(nodes: list[ChipNode]) -> Arch | None:
    arches = {n.arch for n in nodes if n.arch}
    return arches.pop() if len(arches) == 1 else None


def host_board(nodes: list[ChipNode]) -> Board | None:
    cards = frozenset(n.card for n in nodes if n.card)
    return identify(host_arch(nodes), chip_count(nodes), cards)


def host_description(nodes: list[ChipNode]) -> str | None:
    """`n300 card (n300), 2 Wormhole chips`; None without chips."""
    if not nodes:
        return None
    return describe(host_arch(nodes), chip_count(nodes), host_board(nodes))


def visible_nodes(nodes: list[ChipNode], visible: str | None) -> list[ChipNode]:
    """The nodes TT_VISIBLE_DEVICES leaves: numbers index the chips sorted by PCI address (as
    the plugin's runtime does), PCI addresses name themselves; unknown tokens are dropped."""
    if not visible:
        return nodes
    by_pci = sorted((n for n in nodes if n.pci), key=lambda n: n.pci or "")
    picked: list[ChipNode] = []
    for token in (t.strip() for t in visible.split(",")):
        if token.isdigit():
            if int(token) < len(by_pci):
                picked.append(by_pci[int(token)])
        else:
            picked += [n for n in nodes if n.pci and n.pci.lower() == token.lower()]
    return picked


def with_board(result: RunResult, nodes: list[ChipNode] | None = None) -> RunResult:
    """A sanity or mesh result on Tenstorrent devices, with the board named: the sanity check
    from the devices JAX saw (card names from sysfs help), the mesh from the driver's chips
    (its devices are only the mesh's)."""
    if not isinstance(result, SanityResult | MeshResult) or not result.tt_device:
        return result
    found = read_nodes() if nodes is None else nodes
    if isinstance(result, MeshResult):
        return result.model_copy(update={"board": host_description(found)})
    tt = [d for d in result.devices if d.platform.lower() in plugin.JAX_PLATFORMS]
    arch = arch_of(tt[0].arch if tt else None)
    cards = frozenset(n.card for n in found if n.card)
    board = describe(arch, len(tt), identify(arch, len(tt), cards)) if tt else None
    return result.model_copy(update={"board": board})
