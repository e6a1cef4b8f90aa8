"""Where the GPT-2 demo finds its checkpoint. `gpt2_source` imports huggingface_hub only when a
hub id is asked for, so the folder rules run here without the venv."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from tt_lessons.workload_specs import WORKLOADS_DIR


@pytest.fixture
def source() -> Iterator[ModuleType]:
    sys.path.insert(0, str(WORKLOADS_DIR))
    try:
        import gpt2_source

        yield gpt2_source
    finally:
        sys.path.remove(str(WORKLOADS_DIR))


def test_a_complete_folder_is_used_as_is(source: ModuleType, tmp_path: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (tmp_path / name).write_text("{}")
    assert source.resolve(str(tmp_path)) == tmp_path


def test_a_folder_without_weights_says_which_file_is_missing(
    source: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(source.SourceError) as caught:
        source.resolve(str(tmp_path))
    assert caught.value.code == "bad-input"
    assert "model.safetensors" in caught.value.message
    assert any("tenstorrent.ttXla.modelPath" in fix for fix in caught.value.fixes)


def test_missing_folder_and_unknown_names_are_bad_input(source: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(source.SourceError, match="does not exist"):
        source.resolve(str(tmp_path / "nowhere"))
    with pytest.raises(source.SourceError, match="neither a GPT-2 variant") as caught:
        source.resolve("gpt3")
    assert caught.value.code == "bad-input"


def test_every_variant_maps_to_its_hub_repository(source: ModuleType) -> None:
    assert set(source.VARIANTS) == {"gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"}
    assert all(repo == f"openai-community/{name}" for name, repo in source.VARIANTS.items())
    # Only the files the demo reads are fetched.
    assert "model.safetensors" in source.ALLOW_PATTERNS
    assert not any(p.endswith((".bin", ".h5", ".msgpack")) for p in source.ALLOW_PATTERNS)
