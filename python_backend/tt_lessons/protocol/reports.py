"""Files a person hands on: a saved copy of a whole-lesson run's report, and the support bundle."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import Cli, Model
from .cells import LessonId
from .params import RunParams


class SaveReportParams(Model):
    lesson_id: LessonId
    folder: Annotated[str, Cli("DIR")] = Field(
        min_length=1, max_length=4096, description="Folder to copy the last report into."
    )


class SaveReportResult(Model):
    kind: Literal["savedReport"] = "savedReport"
    lesson_id: str
    folder: str | None = Field(
        description="Where the report now is; null: the lesson has no whole-lesson run yet."
    )
    passed: bool | None = Field(None, description="The saved run's verdict.")
    written_at: str | None = Field(None, description="When that run ended (ISO 8601, UTC).")
    files: list[str] = Field(default_factory=list, description="The files copied, by name.")


class SupportBundleParams(RunParams):
    path: Annotated[str, Cli("ZIP")] = Field(
        min_length=1, max_length=4096, description="The .zip file to write."
    )
    log: str | None = Field(
        None, max_length=4096, description="The extension's log file, added when readable."
    )


class SupportBundleResult(Model):
    kind: Literal["supportBundle"] = "supportBundle"
    path: str
    files: list[str] = Field(description="Every file in the zip, by its name there.")
