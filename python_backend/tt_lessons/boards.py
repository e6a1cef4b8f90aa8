"""Tenstorrent's boards, in one place: what each one is, how to recognise it, which meshes fit.

The CI boards are tt-xla's `ALLOWED_ARCHES` in tests/runner/test_config/constants.py (tag 1.4.0,
commit 941a6b866a9284cadd4b33e3c4b0dc973b3e8ba5; `galaxy-bh` was added after it, at commit
95c1c1ce7063d0b81ce567bbb840481be44a3157). Chip counts and usual mesh shapes come from tt-xla's
.claude/skills/sharding-model-analysis/references/mesh_shapes.md at that later commit (32: 8x4
Galaxy, 8: 2x4 / 1x8 LoudBox and T3K, 4: 1x4 QuietBox 2, 2: 1x2 n300 / p300, 1: 1x1). The card
names are what tt-kmd's `tt_card_type` sysfs file prints (telemetry.c `tt_sysfs_show_card_type`,
tenstorrent/tt-kmd commit 4af71921ac021e24859ae15d8438997a44dbbf58) and what tt-smi's board-type
column prints (tt_smi/utils.py `get_board_type`, tenstorrent/tt-smi commit
07208d7e783b8bb585440460db53f515b5828f16); the two spell the Galaxy differently.

Pure data and pure functions: chips.py reads the host, this file only judges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Arch = Literal["wormhole", "blackhole"]
ARCH_TITLES: dict[Arch, str] = {"wormhole": "Wormhole", "blackhole": "Blackhole"}


@dataclass(frozen=True)
class Board:
    name: str  # tt-xla's CI name, or the card name for the two cards CI does not list
    title: str  # what people call it
    arch: Arch
    chips: int  # devices JAX sees on it
    cards: tuple[str, ...]  # tt_card_type / tt-smi names of its cards; () when they vary
    meshes: tuple[str, ...]  # mesh shapes that use every chip, the usual one first
    ci: bool = True  # one of tt-xla's CI boards


BOARDS: tuple[Board, ...] = (
    Board("n150", "n150 card", "wormhole", 1, ("n150",), ("1x1",)),
    Board("n300", "n300 card", "wormhole", 2, ("n300",), ("1x2", "2x1")),
    Board("p150", "p150 card", "blackhole", 1, ("p150a", "p150b", "p150c"), ("1x1",)),
    # Four n300 cards: four PCIe chips, each with a second chip behind it.
    Board("n300-llmbox", "T3K", "wormhole", 8, ("n300",), ("2x4", "1x8")),
    Board(
        "galaxy-wh-6u",
        "Wormhole Galaxy",
        "wormhole",
        32,
        ("galaxy-wormhole", "tt-galaxy-wh"),
        ("8x4", "4x8"),
    ),
    Board(
        "galaxy-bh",
        "Blackhole Galaxy",
        "blackhole",
        32,
        ("galaxy-blackhole", "tt-galaxy-bh"),
        ("8x4", "4x8"),
    ),
    Board("qb2-blackhole", "QuietBox 2", "blackhole", 4, (), ("1x4", "2x2")),
    Board("lb-blackhole", "LoudBox", "blackhole", 8, (), ("2x4", "1x8")),
    # Cards tt-smi and tt-kmd name that tt-xla's CI does not list as boards of their own.
    Board("p300", "p300 card", "blackhole", 2, ("p300a", "p300b", "p300c"), ("1x2",), ci=False),
    Board("p100", "p100 card", "blackhole", 1, ("p100", "p100a"), ("1x1",), ci=False),
)

# The usual mesh for a chip count (mesh_shapes.md); any other count gets one row.
_USUAL_MESH = {1: "1x1", 2: "1x2", 4: "1x4", 8: "2x4", 32: "8x4"}
# Without a Tenstorrent chip the mesh runs on the CPU split into this many devices.
CPU_MESH = "1x2"
# An n300 shows one PCIe device node; its second chip is reached through the first.
CHIPS_PER_NODE = {"n300": 2}


def arch_of(text: str | None) -> Arch | None:
    """`Wormhole_b0` (JAX's device kind), `wormhole`, `Blackhole` -> the arch; else None."""
    low = (text or "").lower()
    if low.startswith("wormhole"):
        return "wormhole"
    if low.startswith("blackhole"):
        return "blackhole"
    return None


def default_mesh_shape(chips: int) -> str:
    """The mesh the multi-chip step takes when none is set: every chip seen, in the usual shape.

    No chip at all means the CPU, split into the devices of `CPU_MESH`.
    """
    if chips <= 0:
        return CPU_MESH
    return _USUAL_MESH.get(chips, f"1x{chips}")


def identify(arch: Arch | None, chips: int, cards: frozenset[str] = frozenset()) -> Board | None:
    """The board with this arch and chip count; card names (when known) pick among several.

    A board whose cards are known is ruled out only by card names that are not its own.
    """
    if arch is None or chips <= 0:
        return None
    fits = [b for b in BOARDS if b.arch == arch and b.chips == chips]
    if cards:
        fits = [b for b in fits if not b.cards or cards <= set(b.cards)]
        # Named cards make a board more certain than one whose cards vary.
        fits.sort(key=lambda b: not b.cards)
    return fits[0] if fits else None


def describe(arch: Arch | None, chips: int, board: Board | None) -> str:
    """`T3K (n300-llmbox), 8 Wormhole chips`, or `4 Wormhole chips` when no board fits."""
    kind = ARCH_TITLES[arch] if arch else "Tenstorrent"
    count = f"{chips} {kind} chip{'s' if chips != 1 else ''}"
    if board is None:
        return count
    named = board.title if board.name in board.title else f"{board.title} ({board.name})"
    return f"{named}, {count}"
