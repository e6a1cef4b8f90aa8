"""One exception type for every failure a person can act on, and the fixes it offers as buttons."""

from __future__ import annotations

from .protocol import CommandId, ErrorCode, ErrorInfo, FixAction
from .protocol.settings import SECTION, SETTINGS


def install_action(*, cpu_only: bool = False) -> FixAction:
    if cpu_only:
        return FixAction(
            label="Install CPU-only", command=CommandId.INSTALL_TT_XLA, args={"cpuOnly": True}
        )
    return FixAction(label="Install TT-XLA", command=CommandId.INSTALL_TT_XLA)


def choose_wheelhouse_action() -> FixAction:
    return FixAction(label="Choose a wheelhouse folder…", command=CommandId.CHOOSE_WHEELHOUSE)


def set_index_url_action() -> FixAction:
    return FixAction(label="Set the index URL…", command=CommandId.SET_INDEX_URL)


def set_python_path_action() -> FixAction:
    return FixAction(label="Set the Python path…", command=CommandId.SET_PYTHON_PATH)


def choose_model_folder_action() -> FixAction:
    return FixAction(label="Choose a Model Folder…", command=CommandId.CHOOSE_MODEL_FOLDER)


def open_settings_action(key: str, label: str = "Open the settings") -> FixAction:
    """The Settings editor on one `tenstorrent.ttXla.*` setting (`key` without the section)."""
    if key not in {s.key for s in SETTINGS}:
        raise ValueError(f"no setting {SECTION}.{key}")
    return FixAction(
        label=label,
        command=CommandId.OPEN_SETTINGS,
        args={"query": f"{SECTION}.{key}"},
    )


def workload_error_actions(code: ErrorCode) -> list[FixAction]:
    """Buttons for an error a workload reported (it prints only text fixes)."""
    if code is ErrorCode.HUB_UNREACHABLE:
        # No hub: the way on is a checkpoint folder, picked and checked, or typed in the setting.
        return [choose_model_folder_action(), open_settings_action("modelPath", "Open the Setting")]
    return []


class BackendError(Exception):
    """A failure with a code, a plain message and the ways out.

    `fixes` is the text a terminal prints; `actions` are the same ways out as buttons the
    extension shows (only those it can run: a fix that is a shell command stays text).
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        fixes: list[str] | None = None,
        actions: list[FixAction] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fixes = fixes or []
        self.actions = actions or []

    def info(self) -> ErrorInfo:
        return ErrorInfo(
            code=self.code, message=self.message, fixes=self.fixes, actions=self.actions
        )
