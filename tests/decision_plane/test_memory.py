"""keep_large_buffers: a freed 4 MB buffer is reused without page faults (in a child process)."""

import platform
import subprocess
import sys

import pytest

CHILD = """
import resource, sys
from devcenter.decision_plane.memory import keep_large_buffers

def faults_per_round(rounds=20):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(rounds):
        buffer = bytearray(4 * 1024 * 1024)  # zeroed: touches every page
        del buffer
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / rounds

default = faults_per_round()
applied = keep_large_buffers()
faults_per_round(1)  # the first buffer after tuning comes from new heap pages
print(applied, default, faults_per_round())
"""


def child_figures() -> tuple[bool, float, float]:
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, timeout=60
    )
    applied, default, tuned = done.stdout.split()
    return applied == "True", float(default), float(tuned)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_large_buffer_is_reused_without_page_faults():
    applied, default, tuned = child_figures()

    assert applied
    assert default >= 50  # mapped afresh each time by default (1,024 pages, faulted in chunks)
    assert tuned <= default / 10


def test_elsewhere_it_is_a_no_op(monkeypatch):
    from devcenter.decision_plane import memory

    monkeypatch.setattr(memory.platform, "libc_ver", lambda: ("musl", "1.2"))

    assert memory.keep_large_buffers() is False
