"""What the real `pjrt-plugin-tt` wheel is, in one place.

Every fact here was read in Tenstorrent's tt-xla repository (python_package/setup.py,
python_package/requirements.txt, python_package/jax_plugin_tt/__init__.py,
python_package/ttxla_tools/install_sfpi.py) and in tt-metal's tt_metal/jit_build/build.cpp.
When Tenstorrent moves (a new Python, a new jax pin), this is the file to update; the tests'
stand-in wheel is built from these same constants.
"""

from __future__ import annotations

PLUGIN = "pjrt-plugin-tt"
# setup.py: `python_requires=">=3.12, <3.13"` and BdistWheel.get_tag() forces cp312-cp312.
PYTHON_SPEC = ">=3.12,<3.13"
PYTHON_TAG = "cp312"
# requirements.txt pins both; a CPU-only install uses the same pair unless told otherwise.
JAX_VERSION = "0.7.1"
JAX_PINS = (f"jax=={JAX_VERSION}", f"jaxlib=={JAX_VERSION}")
# setup.py entry_points: the JAX plugin hook and the SFPI installer script.
JAX_PLUGINS_ENTRY = "pjrt_plugin_tt = jax_plugin_tt"
SFPI_INSTALLER = "tt-forge-install"  # ttxla_tools.install_sfpi:main, runs apt/dnf under sudo
# install_sfpi.py reads <pjrt_plugin_tt>/tt-metal/tt_metal/sfpi-version (sfpi_version=, sfpi_repo=).
SFPI_VERSION_FILE = ("pjrt_plugin_tt", "tt-metal", "tt_metal", "sfpi-version")
# The plugin sets TT_METAL_RUNTIME_ROOT to <pjrt_plugin_tt>/tt-metal; tt-metal's JIT build then
# looks for <root>/runtime/sfpi first and /opt/tenstorrent/sfpi second (build.cpp, sfpi_roots),
# and compiles kernels with compiler/bin/riscv-tt-elf-g++ from the first one that has it.
SFPI_LOCAL_ROOT = ("pjrt_plugin_tt", "tt-metal", "runtime", "sfpi")
SFPI_SYSTEM_ROOT = "/opt/tenstorrent/sfpi"
SFPI_COMPILER = ("compiler", "bin", "riscv-tt-elf-g++")
# jax_plugin_tt/__init__.py registers platform "tt"; pjrt_plugin_tt reads TT_VISIBLE_DEVICES.
JAX_PLATFORM = "tt"
VISIBLE_DEVICES_ENV = "TT_VISIBLE_DEVICES"
