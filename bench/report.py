"""Turn bench/results/*.json into bench/results/REPORT.md and a targets-only summary.json.

.venv/bin/python bench/report.py [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from benchlib import RESULTS, fmt

ORDER = (
    "install",
    "repair",
    "download",
    "demo",
    "latency",
    "stream",
    "mesh",
    "gpt2",
    "cell",
    "idle",
)


def load() -> list[dict[str, Any]]:
    found = {p.stem: json.loads(p.read_text()) for p in RESULTS.glob("*.json") if p.stem in ORDER}
    return [found[name] for name in ORDER if name in found]


def cell(metric: dict[str, Any], key: str) -> str:
    return fmt(metric["summary"][key], metric["unit"])


def spread(metric: dict[str, Any]) -> str:
    s = metric["summary"]
    if s["n"] == 1:
        return "n=1"
    return f"{cell(metric, 'min')} to {cell(metric, 'max')} (n={s['n']})"


_TARGET = re.compile(r"^\s*(>=|<=|>|<)\s*([\d,.]+)")


def shortfall(metric: dict[str, Any]) -> str:
    """How far the median is from the target, e.g. "29% short" or "2.1x over"."""
    match = _TARGET.match(metric["target"] or "")
    if match is None:
        return ""
    goal = float(match.group(2).replace(",", ""))
    median = float(metric["summary"]["median"])
    if match.group(1).startswith(">"):
        return f"{100 * (1 - median / goal):.0f}% short" if goal else ""
    return f"{median / goal:.1f}x over" if goal else ""


def verdict(metric: dict[str, Any]) -> str:
    if metric["met"] is None:
        return ""
    if metric["met"]:
        return "met"
    gap = shortfall(metric)
    return f"**missed**, {gap}" if gap else "**missed**"


def render(benches: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    lines = ["# tt-lessons benchmarks", ""]
    if not benches:
        return "\n".join([*lines, "No results: run `bash bench/run.sh` first.", ""]), []
    quick = any(b["quick"] for b in benches)
    machine = benches[0]["machine"]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(min(b["started"] for b in benches)))
    total = sum(b["duration_s"] for b in benches)
    for bench in benches:
        for reason in bench.get("unreliable", []):
            lines += [
                f"**UNRELIABLE** ({bench['bench']}): {reason}. Do not commit these figures.",
                "",
            ]
    lines += [
        f"Run {when}, {'--quick' if quick else 'full'} mode, {total:.0f} s of benchmarks. "
        f"Machine: {machine['cpus']} CPUs, Python {machine['python']}, {machine['platform']}; "
        f"load average at the start {machine['loadavg']} (shared with other work, so noisy: "
        "medians with their spread).",
        "",
        "## Targets",
        "",
        "| Benchmark | Metric | Measured (median) | Spread | Target | Verdict |",
        "|---|---|---|---|---|---|",
    ]
    targets: list[dict[str, Any]] = []
    for bench in benches:
        for metric in bench["metrics"]:
            if metric["target"]:
                lines.append(
                    f"| {bench['bench']} | {metric['name']} | {cell(metric, 'median')} "
                    f"| {spread(metric)} "
                    f"| {metric['target']} | {verdict(metric)} |"
                )
                targets.append({"bench": bench["bench"], **metric})
    for bench in benches:
        lines += ["", f"## {bench['title']}", ""]
        if bench.get("unreliable"):
            lines += ["**UNRELIABLE**: " + "; ".join(bench["unreliable"]) + ".", ""]
        if bench.get("facts"):
            lines += [f"- {key}: {value}" for key, value in bench["facts"].items()] + [""]
        lines += ["| Metric | Median | p90 | Min | Max | n | Target |", "|---" * 7 + "|"]
        for m in bench["metrics"]:
            target = f"{m['target']} ({verdict(m)})" if m["target"] else ""
            lines.append(
                f"| {m['name']} | {cell(m, 'median')} | {cell(m, 'p90')} | {cell(m, 'min')} "
                f"| {cell(m, 'max')} | {m['summary']['n']} | {target} |"
            )
        if bench["notes"]:
            lines.append("")
            lines += [f"- {note}" for note in bench["notes"]]
        if bench["profile"]:
            lines += ["", "Profile:", "", "```", bench["profile"], "```"]
    return "\n".join(lines) + "\n", targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=RESULTS / "REPORT.md")
    args = parser.parse_args()
    text, targets = render(load())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    summary = [
        {
            "bench": t["bench"],
            "name": t["name"],
            "median": t["summary"]["median"],
            "unit": t["unit"],
            "target": t["target"],
            "met": t["met"],
        }
        for t in targets
    ]
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(text)
    print(f"wrote {args.out} and {RESULTS / 'summary.json'}")


if __name__ == "__main__":
    main()
