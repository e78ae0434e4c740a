"""The service's Prometheus series are made once per process, even when threads ask at once."""

from __future__ import annotations

import subprocess
import sys

FIRST_ASKED_BY_MANY = """
import sys, threading
sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows at once
from devcenter.operations.metrics import series

start = threading.Barrier(16)
made, failed = [], []

def ask():
    start.wait()
    try:
        made.append(series())
    except Exception as error:
        failed.append(repr(error))

threads = [threading.Thread(target=ask) for _ in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failed), len({id(s) for s in made}), failed[:1])
"""


def test_threads_asking_first_at_once_get_one_set_of_series() -> None:
    done = subprocess.run(  # noqa: S603 (our own snippet, a fresh interpreter: no series yet)
        [sys.executable, "-c", FIRST_ASKED_BY_MANY],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert done.stdout.split(" ", 2)[:2] == ["0", "1"], done.stdout
