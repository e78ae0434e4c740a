"""Prometheus series of the service (prometheus-client), shared by every worker process.

`devcenter serve` points `PROMETHEUS_MULTIPROC_DIR` at a fresh directory under the var dir
before any worker starts, so each worker writes its values to its own files there and `render`
(any worker) adds them up. Without it (tests, one process) the default registry is used.

The decision plane does not touch these on its hot path: it counts in plain Python and
`devcenter.decision_plane.metrics` adds its counts here about once a second.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, NamedTuple

# prometheus-client chooses multiprocess mode when it is first imported: only import it when a
# series is first needed (in a worker, after `devcenter serve` set the directory).
if TYPE_CHECKING:
    from prometheus_client import Counter, Gauge, Histogram

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"  # what generate_latest writes


class Series(NamedTuple):
    decision_calls: Counter
    decisions: Counter
    decision_seconds: Histogram
    snapshot_sequence: Gauge
    snapshot_age: Gauge
    database_errors: Counter
    ready: Gauge
    decision_log_dropped: Counter


_made: list[Series] = []  # the process's series, once made
_making = threading.Lock()


def series() -> Series:
    """Return the series, created once per process (after the multiprocess directory is set).

    Threads may ask first at the same moment (the plane's metrics flush, its database thread,
    Django's request threads when the database is away): the lock keeps a second thread from
    registering them again, which prometheus-client refuses (`DuplicateTimeseries`)."""
    if _made:
        return _made[0]
    with _making:
        if not _made:
            _made.append(_new_series())
    return _made[0]


def _new_series() -> Series:
    from prometheus_client import Counter, Gauge, Histogram

    return Series(
        decision_calls=Counter(
            "devcenter_decision_calls",
            "POST /api/v1/decisions calls by outcome (answered, or the error code)",
            ["outcome"],
        ),
        decisions=Counter(
            "devcenter_decisions",
            "Questions answered by POST /api/v1/decisions, by kind",
            ["kind"],
        ),
        decision_seconds=Histogram(
            "devcenter_decision_seconds",
            "Time to answer a POST /api/v1/decisions call (body read to answer sent)",
            buckets=LATENCY_BUCKETS,
        ),
        snapshot_sequence=Gauge(
            "devcenter_snapshot_sequence",
            "Audit sequence the registry snapshot reflects (per worker)",
            multiprocess_mode="livemin",
        ),
        snapshot_age=Gauge(
            "devcenter_snapshot_age_seconds",
            "Seconds since the snapshot was last known to be current (lag; per worker, max)",
            multiprocess_mode="livemax",
        ),
        database_errors=Counter(
            "devcenter_database_errors",
            "Database reads or requests that failed because the database did not answer",
            ["part"],
        ),
        ready=Gauge(
            "devcenter_ready",
            "1 when the database answers and the snapshot is loaded (per worker, min)",
            multiprocess_mode="livemin",
        ),
        decision_log_dropped=Counter(
            "devcenter_decision_log_dropped",
            "Sampled decisions the decision log did not write (buffer_full, sink_error)",
            ["reason"],
        ),
    )


def render() -> bytes:
    """Return every series in the Prometheus text format (all workers added up)."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

    series()  # this process's series exist even before anything was counted
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
