"""One exception type for every failure a person can act on, and the fixes it offers as buttons."""

from __future__ import annotations

from .protocol import ErrorCode, ErrorInfo, FixAction
from .protocol.settings import SECTION, SETTINGS

# Extension commands a fix button runs (declared in extension/commands.ts; a test checks that
# package.json has each). The install command's id is the install route's; also checked by a test.
INSTALL_COMMAND = "tenstorrent.installTtXla"
CHOOSE_WHEELHOUSE_COMMAND = "tenstorrent.chooseWheelhouse"
SET_INDEX_URL_COMMAND = "tenstorrent.setIndexUrl"
SET_PYTHON_PATH_COMMAND = "tenstorrent.setPythonPath"
OPEN_SETTINGS_COMMAND = "tenstorrent.openSettings"


def install_action(*, cpu_only: bool = False) -> FixAction:
    if cpu_only:
        return FixAction(label="Install CPU-only", command=INSTALL_COMMAND, args={"cpuOnly": True})
    return FixAction(label="Install TT-XLA", command=INSTALL_COMMAND)


def choose_wheelhouse_action() -> FixAction:
    return FixAction(label="Choose a wheelhouse folder…", command=CHOOSE_WHEELHOUSE_COMMAND)


def set_index_url_action() -> FixAction:
    return FixAction(label="Set the index URL…", command=SET_INDEX_URL_COMMAND)


def set_python_path_action() -> FixAction:
    return FixAction(label="Set the Python path…", command=SET_PYTHON_PATH_COMMAND)


def open_settings_action(key: str) -> FixAction:
    """The Settings editor on one `tenstorrent.ttXla.*` setting (`key` without the section)."""
    if key not in {s.key for s in SETTINGS}:
        raise ValueError(f"no setting {SECTION}.{key}")
    return FixAction(
        label="Open the settings", command=OPEN_SETTINGS_COMMAND, args={"query": f"{SECTION}.{key}"}
    )


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
