"""workloads/_warm.py: when a standby may start JAX's backend ahead, and the demo's stamp."""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture
def warm(on_workload_path: None, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.delenv("JAX_PLATFORMS", raising=False)
    monkeypatch.delitem(sys.modules, "jax_plugins", raising=False)
    return importlib.import_module("_warm")


def test_no_plugin_means_only_the_cpu(warm: ModuleType) -> None:
    # This interpreter (the backend's) has no JAX and no plugin at all.
    assert warm.only_cpu() is True


def test_an_entry_point_plugin_means_a_device(
    warm: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pjrt-plugin-tt registers itself this way (setup.py: entry_points jax_plugins).
    tt = importlib.metadata.EntryPoint(
        name="pjrt_plugin_tt",
        value="jax_plugins.pjrt_plugin_tt",
        group="jax_plugins",
    )
    found = importlib.metadata.EntryPoints([tt])
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **_: found)
    assert warm.only_cpu() is False


def test_a_namespace_plugin_means_a_device(
    warm: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plugin = tmp_path / "jax_plugins" / "xla_example"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert warm.only_cpu() is False


@pytest.mark.parametrize(("platforms", "cpu"), [("cpu", True), ("tt", False), ("tt,cpu", False)])
def test_jax_platforms_decides_when_set(
    warm: ModuleType, monkeypatch: pytest.MonkeyPatch, platforms: str, cpu: bool
) -> None:
    monkeypatch.setenv("JAX_PLATFORMS", platforms)
    assert warm.only_cpu() is cpu


def test_kept_once(warm: ModuleType) -> None:
    warm.keep("x", 1)
    assert warm.take("x") == 1 and warm.take("x") is None


def test_the_demo_sees_an_edited_checkpoint_as_another_model(
    on_workload_path: None, tmp_path: Path
) -> None:
    demo = importlib.import_module("gpt2_demo")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"1234")
    before = demo.folder_stamp(tmp_path)
    prepared = demo.Prepared(before, "float32", tokenizer=None)
    assert prepared.fits(tmp_path, "float32") and not prepared.fits(tmp_path, "bfloat16")
    time.sleep(0.01)
    (tmp_path / "model.safetensors").write_bytes(b"5678")  # same size, new mtime
    assert not prepared.fits(tmp_path, "float32")


def test_fit_prompt_keeps_the_last_tokens_and_says_so(on_workload_path: None) -> None:
    demo = importlib.import_module("gpt2_demo")
    ids, new, said = demo.fit_prompt(list(range(20)), 16, 4)
    assert ids == list(range(7, 20)) and new == 4 and "keeping the last 13" in said[0]
    ids, new, said = demo.fit_prompt([1, 2], 16, 40)
    assert ids == [1, 2] and new == 15 and "at most 15" in said[0]
