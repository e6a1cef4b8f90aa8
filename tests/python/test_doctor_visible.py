"""The doctor's TT_VISIBLE_DEVICES rule: what the setting will really pick, per plugin version."""

from __future__ import annotations

from tt_lessons.chips import ChipNode
from tt_lessons.doctor.platform import (
    PlatformFacts,
    platform_findings,
    plugin_maps_numbers,
    visible_devices_finding,
)

# /dev/tenstorrent/0 sits at the higher PCI address, as on large hosts (tt-smi's README).
NODES = [
    ChipNode(0, "0000:02:00.0", "wormhole", "n150"),
    ChipNode(1, "0000:01:00.0", "wormhole", "n150"),
]
RELEASE = "1.4.0"
NIGHTLY = "1.5.0.dev20260815"


def test_which_versions_translate_numbers() -> None:
    assert plugin_maps_numbers("1.4.0") is False
    assert plugin_maps_numbers("1.5.0.dev20260801") is False  # before tt-xla#5930
    assert plugin_maps_numbers("1.5.0.dev20260811") is True
    assert plugin_maps_numbers("1.5.0") is True
    assert plugin_maps_numbers("not a version") is None


def test_release_warns_for_any_number_but_zero_and_spells_the_pci_addresses() -> None:
    found = visible_devices_finding("0,1", RELEASE, NODES)
    assert found is not None and found.status == "warn"
    assert "only takes chip number 0" in found.title
    assert "tt-xla#5521" in found.detail
    # Number 1 is the second chip by PCI address; the detail gives the value that works.
    assert "0000:01:00.0,0000:02:00.0" in found.detail
    assert found.fix is not None and found.fix.args == {"query": "tenstorrent.ttXla.visibleDevices"}


def test_release_is_fine_with_zero_or_pci_addresses() -> None:
    assert visible_devices_finding("0", RELEASE, NODES) is None
    assert visible_devices_finding("0000:01:00.0", RELEASE, NODES) is None
    assert visible_devices_finding(None, RELEASE, NODES) is None


def test_nightly_warns_when_a_number_is_not_that_device_node() -> None:
    found = visible_devices_finding("0", NIGHTLY, NODES)
    assert found is not None and found.status == "warn"
    assert "0 is /dev/tenstorrent/1 (0000:01:00.0)" in found.detail
    in_order = [
        ChipNode(0, "0000:01:00.0", "wormhole", None),
        ChipNode(1, "0000:02:00.0", "wormhole", None),
    ]
    assert visible_devices_finding("0,1", NIGHTLY, in_order) is None


def test_unknown_pci_address_is_named() -> None:
    found = visible_devices_finding("0000:09:00.0", NIGHTLY, NODES)
    assert found is not None and "no chip here is at 0000:09:00.0" in found.detail


def test_no_plugin_no_finding() -> None:
    assert visible_devices_finding("1", None, NODES) is None


def test_the_rule_is_among_the_platform_findings() -> None:
    facts = PlatformFacts(
        sfpi=None,
        tt_devices=["/dev/tenstorrent/0", "/dev/tenstorrent/1"],
        visible_devices="1",
        external=False,
        container_python=None,
        plugin_version=RELEASE,
        chip_nodes=NODES,
    )
    ids = [f.id for f in platform_findings(facts)]
    assert ids == ["chips", "visible-devices"]
