"""What the figures are measured on: cores, and how idle the machine was before a benchmark."""

from __future__ import annotations

import os
import time
from pathlib import Path

PROC_STAT = Path("/proc/stat")


def core_count() -> int:
    """Return the number of cores this process may use (what `nproc` prints)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def group_cpu_seconds(group: int) -> float | None:
    """Return the CPU seconds (user + system) used so far by the live processes of a group."""
    if not PROC_STAT.exists():
        return None
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        fields = text.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_times() -> tuple[int, int]:
    """Return (idle, total) jiffies of all cores since boot."""
    fields = [int(x) for x in PROC_STAT.read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return idle, sum(fields[:8])


def idle_share(seconds: float = 1.0) -> float | None:
    """Return the share of CPU left idle over `seconds` (None where /proc/stat is missing).

    Taken before a benchmark, it says whether something else was using the cores.
    """
    if not PROC_STAT.exists():
        return None
    idle_before, total_before = _cpu_times()
    time.sleep(seconds)
    idle_after, total_after = _cpu_times()
    elapsed = total_after - total_before
    return (idle_after - idle_before) / elapsed if elapsed else None


def describe_idle(label: str, seconds: float = 1.0) -> str:
    """Return a line saying how idle the machine was just now, before benchmark `label`."""
    share = idle_share(seconds)
    if share is None:
        return f"cpu idle before {label}: unknown (no /proc/stat)"
    warning = "" if share >= 0.9 else " (something else is busy: figures will be low)"
    return f"cpu idle before {label}: {share:.0%} over {seconds:g} s{warning}"
