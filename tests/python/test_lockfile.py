"""Which file of a PEP 751 lock the install downloads for this machine (venv/lockfile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tt_lessons.venv import lockfile
from tt_lessons.venv.lockfile import Target, locked_files, read_locked_files, wheel_rank

HOST = Target(python=(3, 12), glibc=(2, 35), machine="x86_64")
FOCAL = Target(python=(3, 12), glibc=(2, 31), machine="x86_64")


@pytest.mark.parametrize(
    ("filename", "fits"),
    [
        ("pjrt_plugin_tt-1.4.0-cp312-cp312-manylinux_2_34_x86_64.whl", True),
        ("numpy-2.3.0-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl", True),
        ("torch_xla-2.9.0+git56f8e61-cp312-cp312-linux_x86_64.whl", True),
        ("click-8.3.1-py3-none-any.whl", True),
        ("cryptography-46.0.0-cp311-abi3-manylinux_2_28_x86_64.whl", True),
        ("numpy-2.3.0-cp311-cp311-manylinux_2_17_x86_64.whl", False),
        ("numpy-2.3.0-cp312-cp312-manylinux_2_17_aarch64.whl", False),
        ("numpy-2.3.0-cp312-cp312-musllinux_1_2_x86_64.whl", False),
        ("numpy-2.3.0-cp312-cp312-win_amd64.whl", False),
    ],
)
def test_wheel_fits_this_machine(filename: str, fits: bool) -> None:
    assert (wheel_rank(filename, HOST) is not None) == fits


def test_glibc_floor_is_respected() -> None:
    """The real plugin needs glibc 2.34: Ubuntu 20.04 (2.31) cannot take it."""
    name = "pjrt_plugin_tt-1.4.0-cp312-cp312-manylinux_2_34_x86_64.whl"
    assert wheel_rank(name, HOST) is not None and wheel_rank(name, FOCAL) is None


def test_one_file_per_package_the_best_wheel_or_the_archive() -> None:
    base = "https://files.example/"
    lock = {
        "packages": [
            {
                "name": "NumPy",
                "version": "2.3.0",
                "wheels": [
                    {"url": base + "numpy-2.3.0-cp312-cp312-win_amd64.whl", "size": 1},
                    {
                        "url": base + "numpy-2.3.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                        "size": 16_000_000,
                        "hashes": {"sha256": "ab" * 32},
                    },
                    {"url": base + "numpy-2.3.0-cp312-cp312-manylinux_2_5_x86_64.whl"},
                ],
            },
            {
                "name": "torch",
                "version": "2.11.0+cpu",
                "archive": {
                    "url": base + "torch-2.11.0%2Bcpu-cp312-cp312-manylinux_2_28_x86_64.whl",
                    "hashes": {"sha256": "cd" * 32},
                },
            },
            {"name": "oldpkg", "version": "1.0", "sdist": {"url": base + "oldpkg-1.0.tar.gz"}},
        ]
    }
    numpy, torch, old = locked_files(lock, HOST)
    assert numpy.filename == "numpy-2.3.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    assert numpy.name == "numpy" and numpy.size == 16_000_000 and numpy.sha256 == "ab" * 32
    assert (
        torch.direct and torch.filename == "torch-2.11.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl"
    )
    assert old.filename == "oldpkg-1.0.tar.gz" and old.sha256 is None


def test_a_package_with_nothing_for_this_machine_is_named() -> None:
    lock = {
        "packages": [
            {
                "name": "winonly",
                "version": "1",
                "wheels": [{"url": "https://x/winonly-1-cp312-cp312-win_amd64.whl"}],
            }
        ]
    }
    with pytest.raises(ValueError, match="winonly 1 has no file for this machine"):
        locked_files(lock, HOST)


LOCK_TOML = f"""lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "numpy"
version = "2.3.0"

[[packages.wheels]]
url = "https://files/numpy-2.3.0-cp312-cp312-manylinux_2_17_x86_64.whl"
size = 16000000
hashes = {{ sha256 = "{"ab" * 32}" }}

[[packages.wheels]]
url = "https://files/numpy-2.3.0-cp312-cp312-win_amd64.whl"
size = 1
"""


def test_a_lock_read_again_unchanged_comes_from_the_kept_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = tmp_path / "pylock.tt-lessons.toml"
    lock.write_text(LOCK_TOML, encoding="utf-8")
    first = read_locked_files(lock, HOST)
    assert [f.filename for f in first] == ["numpy-2.3.0-cp312-cp312-manylinux_2_17_x86_64.whl"]
    assert (tmp_path / lockfile.CACHE_NAME).is_file()

    def no_parse(path: Path) -> dict[str, object]:
        raise AssertionError("the TOML was parsed again")

    monkeypatch.setattr(lockfile, "_read_toml", no_parse)
    assert read_locked_files(lock, HOST) == first
    # Another machine's answer is not this one's: parsed again.
    other = Target((3, 12), (2, 35), "aarch64")
    with pytest.raises(AssertionError, match="parsed again"):
        read_locked_files(lock, other)


def test_a_changed_or_damaged_lock_is_parsed_again(tmp_path: Path) -> None:
    lock = tmp_path / "pylock.tt-lessons.toml"
    lock.write_text(LOCK_TOML, encoding="utf-8")
    read_locked_files(lock, HOST)
    # A new resolution: another version, another size.
    lock.write_text(LOCK_TOML.replace("2.3.0", "2.3.10"), encoding="utf-8")
    assert [f.version for f in read_locked_files(lock, HOST)] == ["2.3.10"]
    (tmp_path / lockfile.CACHE_NAME).write_text("{ half", encoding="utf-8")
    assert [f.version for f in read_locked_files(lock, HOST)] == ["2.3.10"]
