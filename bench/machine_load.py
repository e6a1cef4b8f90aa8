"""Is anyone else using the machine? Sampled while the benchmark itself is idle, between runs.

The load average counts our own installs too, so it cannot say whether a run was disturbed.
Instead, before each measurement the benchmark sleeps a moment and reads /proc/stat: whatever
CPU time passed in that window was someone else's. A run whose windows show others using more
than QUIET_BUSY of the CPUs is flagged as disturbed in its result (a metric that misses its
target, and a note), so its figures are not mistaken for the machine's.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

QUIET_BUSY = 0.10  # share of all CPUs others may use while we wait, and the run still counts


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies over all CPUs since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def others_busy(window_s: float = 1.0) -> float:
    """Share of all CPUs busy during `window_s` of our own sleep (0.0 to 1.0)."""
    busy0, total0 = _cpu_times()
    time.sleep(window_s)
    busy1, total1 = _cpu_times()
    return (busy1 - busy0) / max(1, total1 - total0)


@dataclass
class LoadWatch:
    """Samples taken before each measurement, with the 1-minute load average beside them."""

    samples: list[float] = field(default_factory=list)
    loadavg: list[float] = field(default_factory=list)

    def sample(self, window_s: float = 1.0) -> float:
        busy = others_busy(window_s)
        self.samples.append(busy)
        self.loadavg.append(os.getloadavg()[0])
        return busy

    @property
    def disturbed(self) -> bool:
        return bool(self.samples) and max(self.samples) > QUIET_BUSY

    def summary(self) -> str:
        if not self.samples:
            return "machine load: not sampled"
        verdict = (
            f"DISTURBED: others used up to {max(self.samples):.0%} of the CPUs while the "
            "benchmark waited; do not quote these figures, rerun on a quiet machine"
            if self.disturbed
            else f"quiet: others used at most {max(self.samples):.0%} of the CPUs between runs"
        )
        loads = f"1-min load average {min(self.loadavg):.2f} to {max(self.loadavg):.2f}"
        return f"machine load ({os.cpu_count()} CPUs, {loads}): {verdict}"
