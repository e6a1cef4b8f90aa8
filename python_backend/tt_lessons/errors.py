"""One exception type for every failure a person can act on."""

from __future__ import annotations

from .protocol import ErrorCode, ErrorInfo


class BackendError(Exception):
    """A failure with a code, a plain message and the ways out."""

    def __init__(self, code: ErrorCode, message: str, fixes: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fixes = fixes or []

    def info(self) -> ErrorInfo:
        return ErrorInfo(code=self.code, message=self.message, fixes=self.fixes)
