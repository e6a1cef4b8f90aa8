"""`tt-lessons`'s exit code and last line: a doctor run that finds a failing check exits 1 and
says how many problems it found, as `brew doctor` does; other runs exit 0 only on success."""

from __future__ import annotations

from pathlib import Path

import pytest
from tt_lessons.cli import main
from tt_lessons.cli_output import exit_code, outcome_line, problems
from tt_lessons.protocol import DoctorResult, Finding, RunOutcome, RunStatus


def doctor_outcome(*statuses: str, status: RunStatus = RunStatus.SUCCEEDED) -> RunOutcome:
    findings = [
        Finding.model_validate({"id": f"f{i}", "status": s, "title": "t", "detail": "d"})
        for i, s in enumerate(statuses)
    ]
    return RunOutcome(
        run_id="r",
        status=status,
        exit_code=0,
        duration_s=1.5,
        result=DoctorResult(findings=findings),
    )


def test_a_doctor_run_with_a_failing_check_exits_1_and_counts_the_problems() -> None:
    outcome = doctor_outcome("ok", "fail", "warn", "fail")
    assert problems(outcome) == 2
    assert exit_code(outcome) == 1
    assert outcome_line(outcome) == "[red]2 problems found[/] in 1.5 s"
    assert outcome_line(doctor_outcome("fail")) == "[red]1 problem found[/] in 1.5 s"


def test_warnings_alone_are_not_problems() -> None:
    outcome = doctor_outcome("ok", "warn", "info")
    assert (problems(outcome), exit_code(outcome)) == (0, 0)
    assert outcome_line(outcome) == "[green]succeeded[/] in 1.5 s"


def test_other_runs_exit_0_only_when_they_succeeded() -> None:
    ok = RunOutcome(run_id="r", status=RunStatus.SUCCEEDED, exit_code=0, duration_s=2.0)
    failed = ok.model_copy(update={"status": RunStatus.FAILED})
    assert (exit_code(ok), exit_code(failed)) == (0, 1)
    assert outcome_line(failed) == "[red]failed[/] in 2.0 s"


def test_the_doctor_on_a_missing_venv_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The real doctor: a venv that is not there is a failing check.
    assert main(["doctor", "--venv", str(tmp_path / "no-venv")]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].endswith(" s") and "found in" in out[-1], out[-1]


def test_the_command_freezes_the_collector_before_it_exits_with_mains_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    from importlib.metadata import entry_points

    from tt_lessons import cli

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "tt-lessons"]
    assert script.value == "tt_lessons.cli:run"  # the installed command goes through run()
    seen: list[str] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append("main") or 3)
    monkeypatch.setattr(gc, "freeze", lambda: seen.append("freeze"))
    with pytest.raises(SystemExit) as exited:
        cli.run()
    assert exited.value.code == 3
    assert seen == ["main", "freeze"]
