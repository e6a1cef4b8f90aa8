"""Board facts (boards.py), the host's chips read from a fake sysfs tree (chips.py), and the mesh
shape the multi-chip step takes when none is set."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from tt_lessons import boards, chips
from tt_lessons.boards import BOARDS, Board, default_mesh_shape, describe, identify

from .conftest import REPO

TT_XLA = Path("/work/.mirror/tenstorrent+tt-xla/repo")


def board_named(name: str) -> Board:
    (board,) = [b for b in BOARDS if b.name == name]
    return board


def test_every_ci_board_of_tt_xla_is_known() -> None:
    """The CI names as tt-xla 1.4.0 lists them, plus galaxy-bh added after the tag."""
    ci = {b.name for b in BOARDS if b.ci}
    assert ci == {
        "n150",
        "p150",
        "n300",
        "n300-llmbox",
        "galaxy-wh-6u",
        "qb2-blackhole",
        "lb-blackhole",
        "galaxy-bh",
    }


@pytest.mark.skipif(not TT_XLA.exists(), reason="tt-xla's source is not fetched here")
def test_ci_names_match_tt_xla_constants_at_head() -> None:
    text = subprocess.run(
        ["git", "-C", str(TT_XLA), "show", "HEAD:tests/runner/test_config/constants.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    block = text.split("ALLOWED_ARCHES = {", 1)[1].split("}", 1)[0]
    assert set(re.findall(r'"([^"]+)"', block)) == {b.name for b in BOARDS if b.ci}


def test_every_preset_uses_every_chip_of_its_board() -> None:
    for board in BOARDS:
        assert board.meshes, board.name
        for shape in board.meshes:
            rows, cols = (int(p) for p in shape.split("x"))
            assert rows * cols == board.chips, (board.name, shape)
        assert board.meshes[0] == default_mesh_shape(board.chips), board.name


@pytest.mark.parametrize(
    ("chips", "shape"),
    [(0, "1x2"), (1, "1x1"), (2, "1x2"), (4, "1x4"), (8, "2x4"), (32, "8x4"), (3, "1x3")],
)
def test_default_mesh_shape_follows_the_chips_seen(chips: int, shape: str) -> None:
    assert default_mesh_shape(chips) == shape


@pytest.mark.parametrize(
    ("arch", "count", "cards", "name"),
    [
        ("wormhole", 1, {"n150"}, "n150"),
        ("wormhole", 2, {"n300"}, "n300"),
        ("wormhole", 8, {"n300"}, "n300-llmbox"),
        ("wormhole", 32, {"galaxy-wormhole"}, "galaxy-wh-6u"),
        ("wormhole", 32, {"tt-galaxy-wh"}, "galaxy-wh-6u"),
        ("blackhole", 32, set(), "galaxy-bh"),
        ("blackhole", 1, {"p150b"}, "p150"),
        ("blackhole", 1, {"p100a"}, "p100"),
        ("blackhole", 1, set(), "p150"),
        ("blackhole", 2, {"p300c"}, "p300"),
        ("blackhole", 4, set(), "qb2-blackhole"),
        ("blackhole", 8, {"p150c"}, "lb-blackhole"),
    ],
)
def test_boards_are_told_apart_by_arch_count_and_cards(
    arch: boards.Arch, count: int, cards: set[str], name: str
) -> None:
    found = identify(arch, count, frozenset(cards))
    assert found is not None and found.name == name


def test_no_board_for_unknown_shapes() -> None:
    assert identify("wormhole", 4) is None
    assert identify(None, 2) is None
    assert identify("wormhole", 1, frozenset({"p150a"})) is None
    assert describe("wormhole", 4, None) == "4 Wormhole chips"
    assert (
        describe("wormhole", 8, board_named("n300-llmbox")) == "T3K (n300-llmbox), 8 Wormhole chips"
    )
    assert describe("wormhole", 1, board_named("n150")) == "n150 card, 1 Wormhole chip"
    assert boards.arch_of("Wormhole_b0") == "wormhole" and boards.arch_of("cpu") is None


def fake_host(tmp: Path, chips_: list[tuple[int, str, str, str | None]]) -> tuple[str, str]:
    """(index, PCI address, PCI device id, card type) per chip: sysfs class dir and /dev dir."""
    sysfs, dev, pci = tmp / "class", tmp / "dev", tmp / "pci"
    for folder in (sysfs, dev, pci):
        folder.mkdir()
    for index, address, pci_id, card in chips_:
        (dev / str(index)).write_text("")
        device = pci / address
        device.mkdir()
        (device / "device").write_text(f"{pci_id}\n")
        node = sysfs / f"tenstorrent!{index}"
        node.mkdir()
        os.symlink(device, node / "device")
        if card:
            (node / "tt_card_type").write_text(f"{card}\n")
    return str(sysfs), str(dev)


def test_a_t3k_is_four_n300_nodes_and_eight_chips(tmp_path: Path) -> None:
    host = [(i, f"0000:0{i + 1}:00.0", "0x401e", "n300") for i in range(4)]
    nodes = chips.read_nodes(*fake_host(tmp_path, host))
    assert [n.index for n in nodes] == [0, 1, 2, 3]
    assert nodes[0].pci == "0000:01:00.0" and nodes[0].arch == "wormhole"
    assert chips.chip_count(nodes) == 8
    assert chips.host_board(nodes) == board_named("n300-llmbox")
    assert default_mesh_shape(chips.chip_count(nodes)) == "2x4"


def test_a_node_without_card_type_or_arch_still_counts(tmp_path: Path) -> None:
    host = [(0, "0000:01:00.0", "0xb140", "unknown"), (1, "0000:02:00.0", "0xb140", None)]
    nodes = chips.read_nodes(*fake_host(tmp_path, host))
    assert [n.card for n in nodes] == [None, None]
    assert chips.host_description(nodes) == "p300 card, 2 Blackhole chips"


def test_visible_numbers_count_by_pci_address(tmp_path: Path) -> None:
    # /dev/tenstorrent/0 sits at the higher address, as on large hosts.
    host = [(0, "0000:02:00.0", "0x401e", "n150"), (1, "0000:01:00.0", "0x401e", "n150")]
    nodes = chips.read_nodes(*fake_host(tmp_path, host))
    assert [n.index for n in chips.visible_nodes(nodes, "0")] == [1]
    assert [n.index for n in chips.visible_nodes(nodes, "0000:02:00.0")] == [0]
    assert chips.visible_nodes(nodes, None) == nodes


def test_no_driver_no_chips(tmp_path: Path) -> None:
    assert chips.read_nodes(str(tmp_path / "none"), str(tmp_path / "none")) == []
    assert chips.host_description([]) is None


def test_the_lesson_has_a_preset_link_for_every_board() -> None:
    lesson = (REPO / "lessons" / "tt-xla-jax.md").read_text(encoding="utf-8")
    for board in BOARDS:
        for shape in board.meshes:
            link = f"command:tenstorrent.runMeshExample?%7B%22shape%22%3A%22{shape}%22%7D"
            assert link in lesson, (board.name, shape)
        assert f"`{board.name}`" in lesson, board.name


def test_the_mesh_route_takes_its_shape_from_the_chips_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tt_lessons.protocol import MeshParams
    from tt_lessons.routes import mesh

    host = [(i, f"0000:0{i + 1}:00.0", "0x401e", "n300") for i in range(4)]
    sysfs, dev = fake_host(tmp_path, host)
    monkeypatch.setattr(mesh, "read_nodes", lambda: chips.read_nodes(sysfs, dev))
    shape, why = mesh.chosen_shape(MeshParams())
    assert shape == "2x4" and "T3K" in why and "2x4, 1x8" in why
    assert mesh.ROUTE.workload is not None
    assert mesh.ROUTE.workload.args(MeshParams())[:2] == ["--shape", "2x4"]
    assert "count=8" in mesh.ROUTE.workload.env(MeshParams())["XLA_FLAGS"]
    # Two of the four n300 nodes: four chips, no board name.
    assert mesh.chosen_shape(MeshParams(visible_devices="0,1"))[0] == "1x4"
    assert mesh.chosen_shape(MeshParams(shape="1x8")) == ("1x8", "Mesh 1x8, as asked.")
    monkeypatch.setattr(mesh, "read_nodes", lambda: [])
    assert mesh.chosen_shape(MeshParams())[0] == "1x2"


def test_status_names_the_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tt_lessons.venv import status

    sysfs, dev = fake_host(tmp_path, [(0, "0000:01:00.0", "0x401e", "n300")])
    monkeypatch.setattr(status, "read_nodes", lambda: chips.read_nodes(sysfs, dev))
    result = status.status(str(tmp_path / "venv"))
    assert result.board == "n300 card, 2 Wormhole chips"
    monkeypatch.setattr(status, "read_nodes", lambda: [])
    assert status.status(str(tmp_path / "venv")).board is None


def test_results_on_a_card_name_the_board() -> None:
    from tt_lessons.protocol import (
        DeviceInfo,
        EventNotification,
        MeshResult,
        ResultEvent,
        SanityResult,
    )
    from tt_lessons.run_sink import RunSink

    def chip(i: int) -> DeviceInfo:
        desc = f"TTDevice(id={i}, arch=Blackhole)"
        return DeviceInfo(id=i, platform="tt", kind="Blackhole", description=desc, arch="Blackhole")

    sanity = SanityResult(
        devices=[chip(i) for i in range(4)],
        platform="tt",
        result_device="tt:0",
        value=32.0,
        expected=32.0,
        ok=True,
        tt_device=True,
        jax_version="0.7.1",
        timings={"import_s": 1.0, "compute_s": 0.1},  # type: ignore[arg-type]
    )
    named = chips.with_board(sanity, nodes=[])
    assert isinstance(named, SanityResult)
    assert named.board == "QuietBox 2 (qb2-blackhole), 4 Blackhole chips"
    on_cpu = sanity.model_copy(update={"tt_device": False})
    assert chips.with_board(on_cpu, nodes=[]) is on_cpu
    nodes = [chips.ChipNode(i, f"0000:0{i}:00.0", "wormhole", "n300") for i in range(4)]
    mesh = MeshResult(
        rows=1, cols=2, axis_names=["data", "model"], platform="tt", tt_device=True,
        devices=[], shards=[], max_abs_error=0.0, ok=True, timings={},
    )  # fmt: skip
    named_mesh = chips.with_board(mesh, nodes=nodes)
    assert isinstance(named_mesh, MeshResult)
    assert named_mesh.board == "T3K (n300-llmbox), 8 Wormhole chips"
    # The sink applies the amendment before anyone sees the result.
    seen: list[EventNotification] = []
    sink = RunSink("tenstorrent/testTtXlaInstall", seen.append)
    sink.amend = lambda r: chips.with_board(r, nodes=[])
    sink.emit(ResultEvent(result=sanity))
    assert isinstance(sink.result, SanityResult) and sink.result.board is not None
    event = seen[0].event
    assert isinstance(event, ResultEvent) and event.result == sink.result
