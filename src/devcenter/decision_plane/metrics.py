"""The decision plane's counts, kept in plain Python and added to the Prometheus series in bulk.

A prometheus-client value in multiprocess mode is a write to a memory-mapped file under a lock:
too dear for every call of a closed loop of single decisions. Calls add to a `Counter` and a list
of latency buckets here instead, per call (never per question but for one `Counter.update` of
the question types), and `flush` hands the totals over about once a second (`METRICS_SECONDS`)
and before every scrape.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from devcenter.decision_plane.schema import (
    AccountQuestion,
    ActionQuestion,
    RegistrationQuestion,
    ServiceQuestion,
    TransitionQuestion,
)
from devcenter.operations.metrics import LATENCY_BUCKETS, series

if TYPE_CHECKING:
    from devcenter.decision_plane.database import PlaneDatabase
    from devcenter.decision_plane.decision_log import DecisionLog
    from devcenter.decision_plane.snapshot import Snapshot

METRICS_SECONDS = 1.0
ANSWERED = "answered"
KIND_OF: dict[type, str] = {
    ServiceQuestion: "service",
    AccountQuestion: "account",
    TransitionQuestion: "transition",
    ActionQuestion: "action",
    RegistrationQuestion: "registration",
}


class PlaneMetrics:
    """Counts of one worker since the last `flush`."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.kinds: Counter[type] = Counter()
        self.latency = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one: above every bucket
        self.latency_sum = 0.0
        self._database_errors = 0  # `PlaneDatabase.errors` at the last flush
        self._log_dropped: dict[str, int] = {}  # `DecisionLog.dropped_by` at the last flush

    def answered(self, questions: Iterable[object], seconds: float) -> None:
        """Count a call answered with 200, its questions by kind, and its latency."""
        self.calls[ANSWERED] += 1
        self.kinds.update(map(type, questions))
        self.latency[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self.latency_sum += seconds

    def refused(self, code: str, seconds: float) -> None:
        """Count a call answered with an error code."""
        self.calls[code] += 1
        self.latency[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self.latency_sum += seconds

    def flush(self, snapshot: Snapshot, database: PlaneDatabase, *, ready: bool) -> None:
        """Add the counts to the Prometheus series and set the gauges; start counting afresh."""
        out = series()
        calls, self.calls = self.calls, Counter()
        kinds, self.kinds = self.kinds, Counter()
        latency, self.latency = self.latency, [0] * len(self.latency)
        latency_sum, self.latency_sum = self.latency_sum, 0.0
        for outcome, count in calls.items():
            out.decision_calls.labels(outcome).inc(count)
        for kind, count in kinds.items():
            out.decisions.labels(KIND_OF.get(kind, "other")).inc(count)
        if any(latency):
            # prometheus-client has no bulk observe: add to its (non-cumulative) bucket values.
            histogram = out.decision_seconds
            for index, count in enumerate(latency):
                if count:
                    histogram._buckets[index].inc(count)  # noqa: SLF001
            histogram._sum.inc(latency_sum)  # noqa: SLF001
        errors = database.errors - self._database_errors
        self._database_errors = database.errors
        if errors:
            out.database_errors.labels("decision_plane").inc(errors)
        out.snapshot_sequence.set(snapshot.sequence)
        out.snapshot_age.set(snapshot.age() if snapshot.loaded else float("inf"))
        out.ready.set(1 if ready else 0)

    def flush_log(self, log: DecisionLog) -> None:
        """Add the decisions the log dropped since the last flush to their series."""
        out = series()
        for reason, count in list(log.dropped_by.items()):
            last = self._log_dropped.get(reason, 0)
            grown = count - last if count >= last else count  # a new log (tests swap it)
            self._log_dropped[reason] = count
            if grown:
                out.decision_log_dropped.labels(reason).inc(grown)
