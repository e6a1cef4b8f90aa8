"""The machine a GPT-2 run was measured on, and whether the run can be trusted.

A decode benchmark on a shared 2-core machine measures the neighbours as much as the code. Two
symptoms give a disturbed run away, and `reliability` names each one it sees:

* PyTorch barely gains from its second thread (2-thread vs 1-thread tokens/s closer than
  MIN_THREAD_GAIN): the second core was busy with other work;
* the memory bandwidth measured at the start and at the end differ by more than
  MAX_BANDWIDTH_DRIFT: something else was reading memory during the run;
* the hypervisor gave more than MAX_STEAL of the CPU time this machine wanted to other machines
  (/proc/stat's steal): a virtual machine's neighbours, which nothing inside it can see.

A report with any reason is UNRELIABLE, and is never committed as the project's figures.
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path
from typing import Any

MIN_THREAD_GAIN = 1.2
MAX_BANDWIDTH_DRIFT = 0.15
MAX_STEAL = 0.10


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def governor(path: Path = Path("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return "not readable"


def cpu_counters(stat: Path = Path("/proc/stat")) -> tuple[int, int]:
    """(steal, busy) jiffies over all CPUs since boot; busy counts steal too (0, 0: unreadable)."""
    try:
        fields = [int(v) for v in stat.read_text(encoding="ascii").splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0
    return steal, sum(fields[:8]) - idle  # guest time is already inside user time


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Share of the busy CPU time between two cpu_counters() that went to other machines."""
    busy = after[1] - before[1]
    return (after[0] - before[0]) / busy if busy > 0 else 0.0


def facts() -> dict[str, Any]:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "governor": governor(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def reliability(
    torch_two: list[float],
    torch_one: list[float],
    bandwidth_start: float,
    bandwidth_end: float,
    steal: float = 0.0,
) -> list[str]:
    """Why this run's figures cannot be trusted (empty: no sign of disturbance).

    torch_two/torch_one: PyTorch's tokens/s per repetition on 2 threads and on 1; bandwidth in
    bytes/s, the best read measured before and after the repetitions; steal: steal_share over
    the run."""
    reasons = []
    if steal > MAX_STEAL:
        reasons.append(
            f"other machines on this host took {100 * steal:.0f}% of the CPU time the run wanted"
            f" (steal; at most {100 * MAX_STEAL:.0f}%)"
        )
    gain = statistics.median(torch_two) / statistics.median(torch_one)
    if gain < MIN_THREAD_GAIN:
        reasons.append(
            f"PyTorch's 2-thread run is only {gain:.2f}x its 1-thread run (needs "
            f">= {MIN_THREAD_GAIN}x): the second core was busy with other work"
        )
    drift = abs(bandwidth_end - bandwidth_start) / bandwidth_start
    if drift > MAX_BANDWIDTH_DRIFT:
        reasons.append(
            f"memory bandwidth moved {100 * drift:.0f}% during the run ({bandwidth_start / 1e9:.1f}"
            f" -> {bandwidth_end / 1e9:.1f} GB/s; at most {100 * MAX_BANDWIDTH_DRIFT:.0f}%)"
        )
    return reasons
