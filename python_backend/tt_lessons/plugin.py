"""What the real `pjrt-plugin-tt` wheel is, in one place.

Every fact here was read in Tenstorrent's tt-xla repository at tag 1.4.0 (commit
941a6b866a9284cadd4b33e3c4b0dc973b3e8ba5; python_package/setup.py,
python_package/requirements.txt, python_package/jax_plugin_tt/__init__.py,
python_package/ttxla_tools/install_sfpi.py) and in tt-metal's tt_metal/jit_build/build.cpp.
When Tenstorrent moves (a new Python, a new jax pin), this is the file to update; the tests'
stand-in wheel is built from these same constants.
"""

from __future__ import annotations

PLUGIN = "pjrt-plugin-tt"
TT_XLA_TAG = "1.4.0"
TT_XLA_COMMIT = "941a6b866a9284cadd4b33e3c4b0dc973b3e8ba5"
# setup.py: `python_requires=">=3.12, <3.13"` and BdistWheel.get_tag() forces cp312-cp312.
PYTHON_SPEC = ">=3.12,<3.13"
PYTHON_TAG = "cp312"
# requirements.txt pins both; a CPU-only install uses the same pair unless told otherwise.
JAX_VERSION = "0.7.1"
JAX_PINS = (f"jax=={JAX_VERSION}", f"jaxlib=={JAX_VERSION}")
# The released wheel, after auditwheel: cp312 only, and glibc 2.34 or newer (Ubuntu 22.04 has
# 2.35; Ubuntu 20.04's 2.31 gets no wheel at all).
WHEEL_TAG = "cp312-cp312-manylinux_2_34_x86_64"
MIN_GLIBC = (2, 34)
# setup.py's install_requires is requirements.txt minus its `--extra-index-url` line, so the
# wheel's Requires-Dist holds these, three of them as direct URLs. A resolver will not follow a
# URL that arrives through an index package unless it is asked for directly (venv/plugin_metadata).
REQUIRES = (
    "jax==0.7.1",
    "jaxlib==0.7.1",
    "requests",
    "torch@https://download.pytorch.org/whl/cpu/"
    "torch-2.11.0%2Bcpu-cp312-cp312-manylinux_2_28_x86_64.whl",
    "loguru",
    "torch-xla@https://pypi.eng.aws.tenstorrent.com/torch-xla/"
    "torch_xla-2.9.0%2Bgit56f8e61-cp312-cp312-linux_x86_64.whl",
    "nanobind==2.10.2",
    "networkx==3.6.1",
    "graphviz==0.21",
    "seaborn==0.13.2",
    "pyyaml==6.0.3",
    "click==8.3.1",
    "pandas==3.0.0",
    "websockets==16.0",
    "tt_lang@https://pypi.eng.aws.tenstorrent.com/2026-07/tt-lang/"
    "tt_lang-1.1.5.dev20260704%2Blight-cp312-cp312-manylinux_2_34_x86_64.whl",
)
# setup.py entry_points, group by group.
JAX_PLUGINS_ENTRY = "pjrt_plugin_tt = jax_plugin_tt"
TORCH_XLA_PLUGINS_ENTRY = "tt = torch_plugin_tt:TTPlugin"
SFPI_INSTALLER = "tt-forge-install"  # ttxla_tools.install_sfpi:main, runs apt/dnf under sudo
CONSOLE_SCRIPTS = (
    f"{SFPI_INSTALLER} = ttxla_tools.install_sfpi:main",
    "tracy = tracy.__main__:main",
    "tt-gen-weight-template = tt_torch.weight_dtype:main",
)
# install_sfpi.py reads <pjrt_plugin_tt>/tt-metal/tt_metal/sfpi-version (sfpi_version=, sfpi_repo=).
SFPI_VERSION_FILE = ("pjrt_plugin_tt", "tt-metal", "tt_metal", "sfpi-version")
# The plugin sets TT_METAL_RUNTIME_ROOT to <pjrt_plugin_tt>/tt-metal; tt-metal's JIT build then
# looks for <root>/runtime/sfpi first and /opt/tenstorrent/sfpi second (build.cpp, sfpi_roots),
# and compiles kernels with compiler/bin/riscv-tt-elf-g++ from the first one that has it.
SFPI_LOCAL_ROOT = ("pjrt_plugin_tt", "tt-metal", "runtime", "sfpi")
SFPI_SYSTEM_ROOT = "/opt/tenstorrent/sfpi"
SFPI_COMPILER = ("compiler", "bin", "riscv-tt-elf-g++")
# jax_plugin_tt/__init__.py registers platform "tt"; the backend also takes "tenstorrent" for a
# Tenstorrent device (as workloads/_emit.py's is_tt does). pjrt_plugin_tt reads TT_VISIBLE_DEVICES.
JAX_PLATFORMS = ("tt", "tenstorrent")
VISIBLE_DEVICES_ENV = "TT_VISIBLE_DEVICES"
# tt-xla#5521: the runtime applies TT_VISIBLE_DEVICES twice; after the first pass renumbers the
# chosen chips from 0, the second rejects every chip number but 0 ("Invalid chip ID in
# TT_VISIBLE_DEVICES"). PCI addresses survive both passes. tt-xla commit 822f6b615 (#5930, in
# nightlies from 2026-08-11) makes pjrt_plugin_tt rewrite numbers to PCI addresses first
# (`normalize_tt_visible_devices`): number N is the Nth chip sorted by PCI address, which is not
# always /dev/tenstorrent/N. 1.4.0 and older nightlies do not.
VISIBLE_DEVICES_ISSUE = "tt-xla#5521"
VISIBLE_DEVICES_MAPPED_SINCE = "1.5.0.dev20260811"
# Tenstorrent's ready-made image (.github/Dockerfile.release-ubuntu): Python 3.12 and glibc new
# enough for the wheel, the wheel pip-installed, `tt-forge-install` already run. The install's
# glibc error points people on an older Linux to it.
CONTAINER_IMAGE = "ghcr.io/tenstorrent/tt-xla-slim:latest"
