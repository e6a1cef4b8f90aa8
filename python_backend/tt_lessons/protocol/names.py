"""Names and limits both languages use, defined once at the bottom of the protocol.

It imports nothing of ours but the wheel's facts (plugin.py), so every layer (errors, the doctor's
rules, venv/, routes/) can name a command without importing the route registry. schema.py exports
each of these into `x-tt-lessons`, and scripts/gen-protocol.mjs writes them into
routes.generated.ts; hand-written TypeScript never spells one out (tests/extension/unit/
names.test.ts fails when it does).
"""

from __future__ import annotations

from enum import Enum

from ..plugin import PLUGIN


class _StrEnum(str, Enum):
    """enum.StrEnum (3.11+) for the 3.10 the backend supports: a member prints as its value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class CommandId(_StrEnum):
    """Every VS Code command the extension contributes (package.json `contributes.commands`)."""

    OPEN_LESSON = "tenstorrent.openLesson"
    # Run commands: one per run route (its `Command.id`).
    RUN_DOCTOR = "tenstorrent.runDoctor"
    INSTALL_TT_XLA = "tenstorrent.installTtXla"
    TEST_TT_XLA_INSTALL = "tenstorrent.testTtXlaInstall"
    RUN_TT_XLA_DEMO = "tenstorrent.runTtXlaDemo"
    RUN_MESH_EXAMPLE = "tenstorrent.runMeshExample"
    RUN_CNN_EXAMPLE = "tenstorrent.runCnnExample"
    RUN_CELL = "tenstorrent.runCell"
    RUN_LESSON = "tenstorrent.runLesson"
    RUN_PYTHON_FILE = "tenstorrent.runPythonFile"
    BUILD_WHEELHOUSE = "tenstorrent.buildWheelhouse"
    SAVE_SUPPORT_BUNDLE = "tenstorrent.saveSupportBundle"
    # UI commands (extension/commands.ts gives their titles and icons).
    CANCEL_RUN = "tenstorrent.cancelRun"
    REFRESH_STATUS = "tenstorrent.refreshStatus"
    SHOW_OUTPUT = "tenstorrent.showOutput"
    RESTART_BACKEND = "tenstorrent.restartBackend"
    RESET_CHIPS = "tenstorrent.resetChips"
    INSTALL_SFPI = "tenstorrent.installSfpi"
    CHOOSE_WHEELHOUSE = "tenstorrent.chooseWheelhouse"
    SET_INDEX_URL = "tenstorrent.setIndexUrl"
    SET_PYTHON_PATH = "tenstorrent.setPythonPath"
    CHOOSE_MODEL_FOLDER = "tenstorrent.chooseModelFolder"
    OPEN_SETTINGS = "tenstorrent.openSettings"
    USE_PYTHON_ENVIRONMENT = "tenstorrent.usePythonEnvironment"
    SAVE_REPORT = "tenstorrent.saveReport"


EVENT_METHOD = "tenstorrent/event"  # the one notification, server -> client

# Longest cell or file text a run accepts, in characters (the host checks the page's with it too).
MAX_CODE_CHARS = 1 << 20

# The packages whose versions status reports, the doctor's probe reads and the sidebar lists.
REPORTED_PACKAGES = (PLUGIN, "jax", "jaxlib", "flax", "transformers")
