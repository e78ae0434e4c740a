"""The decision log (issue 12, §5): a sample of the plane's decisions, written off the hot path.

A call answered with 200 has each of its decisions sampled at `rate` (the setting
`DEVCENTER_DECISION_LOG_RATE`, default 0: off). A sampled decision gets a `decision_id` in its
answer (`dec_<process><call>-<index>`), and only a sampled one: an answer without `decision_id`
was not logged, and the answers of a plane with the log off are byte for byte what they were.

The hot path only picks the indexes (geometric gaps, not one random number per decision),
splices the ids into the answer and appends one entry per call to an in-memory buffer of at most
`capacity` decisions; when the entry does not fit, its decisions are dropped and counted
(`dropped`, the `devcenter_decision_log_dropped_total` series) and get no id. Nothing on the hot
path ever waits for the writer.

A background thread (`DecisionLog.start`, one per worker) turns the entries into JSON lines

    {"decision_id": …, "time": "2026-11-30T20:00:00.123456Z", "request": {…},
     "allowed": …, "code": …, "policy_version": …, "snapshot": N}

(`snapshot` only for answers from the registry snapshot) and hands them to a sink: a file with
size rotation by default (`RotatingFile`, `DEVCENTER_DECISION_LOG_PATH`), or an HTTP endpoint
taking newline-delimited JSON (`HttpSink`, `DEVCENTER_DECISION_LOG_URL`). The request keeps its
kind, its policy codes and its ids (partner, account, registration, client id); a string in an
id field that does not look like an id (letters, digits and `_ . : -`, at most 64 characters)
is free text (a name, an e-mail address) and is dropped (null).
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import os
import random
import re
import secrets
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Protocol

import msgspec

from devcenter.decision_plane.answer import joined
from devcenter.decision_plane.schema import (
    MAX_REQUESTS,
    AccountQuestion,
    ActionQuestion,
    Question,
    RegistrationQuestion,
    ServiceQuestion,
    TransitionQuestion,
)

logger = logging.getLogger(__name__)

DEFAULT_CAPACITY = 100_000  # decisions waiting in memory, at most
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_BACKUPS = 5
FLUSH_SECONDS = 0.2  # the writer wakes at least this often
HTTP_TIMEOUT_SECONDS = 5.0
BUFFER_FULL = "buffer_full"
SINK_ERROR = "sink_error"
_ID_SHAPE = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
_CACHE_LIMIT = 100_000  # rendered requests and decision summaries kept for reuse
_NUMBERS = [b"%d" % n for n in range(MAX_REQUESTS)]  # a decision's index in its call
# The end of a spliced decision_id: followed by the next decision, or the last one.
_CLOSERS = [b'%d"},' % n for n in range(MAX_REQUESTS)]
_LAST_CLOSERS = [b'%d"}' % n for n in range(MAX_REQUESTS)]
_encode_lines = msgspec.json.Encoder().encode_lines


class Sink(Protocol):
    def write(self, lines: bytes) -> None: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class _Entry:
    """The sampled decisions of one call."""

    time: float
    call_id: bytes
    indexes: Sequence[int]
    questions: Sequence[Question]
    answers: list[bytes]  # the sampled decisions' JSON, before the id was spliced in


class DecisionLog:
    """Sample decisions, buffer them, and write them in a background thread."""

    def __init__(
        self,
        *,
        rate: float = 0.0,
        sink: Sink | None = None,
        capacity: int = DEFAULT_CAPACITY,
        rng: random.Random | None = None,
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"decision log rate {rate!r} is not between 0 and 1")
        self.rate = rate
        self.sink = sink
        self.capacity = capacity
        self.dropped = 0  # sampled decisions not logged (buffer full, sink failed), ever
        self.dropped_by: dict[str, int] = {BUFFER_FULL: 0, SINK_ERROR: 0}
        self.written = 0
        self._random = rng or random.Random()  # noqa: S311 (sampling, not a secret)
        self._log_q = math.log1p(-rate) if 0.0 < rate < 1.0 else 0.0
        self._next_gap = self._gap()
        self._buffer: deque[_Entry] = deque()
        self._pending = 0  # decisions in `_buffer`
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._prefix = b"dec_" + secrets.token_hex(4).encode()
        self._calls = itertools.count(1)
        self._requests: dict[Any, bytes] = {}
        self._summaries: dict[bytes, bytes] = {}

    @property
    def enabled(self) -> bool:
        return self.rate > 0.0

    # -- the hot path (event loop) ---------------------------------------------------------

    def sample(self, questions: Sequence[Question], parts: list[bytes]) -> bytes:
        """Pick the decisions of one answered call to log; return the answer body, the sampled
        decisions with their `decision_id`. `parts` are the decisions' JSON, in order."""
        indexes = self._pick(len(parts))
        taken = len(indexes)
        if not taken:
            return joined(parts)
        with self._lock:
            if self._pending + taken > self.capacity:
                self._drop(BUFFER_FULL, taken)
                return joined(parts)
            self._pending += taken
        call_id = b"%s%x" % (self._prefix, next(self._calls))
        id_head = b',"decision_id":"' + call_id + b"-"
        if type(indexes) is range:  # every decision: one join, no bytes object per decision
            answers = parts
            closers = _CLOSERS[:taken]
            closers[-1] = _LAST_CLOSERS[taken - 1]
            pieces = chain.from_iterable(zip(_opened(answers), repeat(id_head), closers))
            body = b'{"decisions":[' + b"".join(pieces) + b"]}"
        else:
            answers = [parts[i] for i in indexes]
            parts = parts[:]
            for i, head in zip(indexes, _opened(answers), strict=True):
                parts[i] = head + id_head + _LAST_CLOSERS[i]
            body = joined(parts)
        self._buffer.append(_Entry(time.time(), call_id, indexes, questions, answers))
        if self._thread is None:
            self.start()
        return body

    def _pick(self, count: int) -> Sequence[int]:
        """Return the indexes sampled among `count` decisions (gaps carry over between calls)."""
        if self.rate >= 1.0:
            return range(count)
        if self.rate <= 0.0:
            return ()
        picked = []
        at = self._next_gap
        while at < count:
            picked.append(at)
            at += 1 + self._gap()
        self._next_gap = at - count
        return picked

    def _gap(self) -> int:
        """Return how many decisions to skip before the next sampled one (geometric)."""
        if self._log_q == 0.0:
            return 0
        return int(math.log(1.0 - self._random.random()) / self._log_q)

    def _drop(self, reason: str, count: int) -> None:
        """Count `count` sampled decisions not logged (hold `_lock`)."""
        self.dropped += count
        self.dropped_by[reason] += count

    # -- the writer thread -----------------------------------------------------------------

    def start(self) -> None:
        """Start the writer thread (idempotent)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="decision-log", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Write what is buffered, stop the writer and close the sink."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            self._wake.set()
            thread.join(timeout)
        self.flush()
        if self.sink is not None:
            self.sink.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # never let the writer die; the entries were counted as dropped
                logger.exception("decision log: writing failed")

    def flush(self) -> int:
        """Write every buffered entry now (the writer thread, or a test); return the lines."""
        lines: list[bytes] = []
        taken = 0
        while self._buffer:
            entry = self._buffer.popleft()
            lines.append(self._lines(entry))
            taken += len(entry.indexes)
        if not taken:
            return 0
        try:
            if self.sink is not None:
                self.sink.write(b"".join(lines))
        except Exception:
            with self._lock:
                self._drop(SINK_ERROR, taken)
            raise
        finally:
            with self._lock:  # in memory until written: they count against `capacity`
                self._pending -= taken
        self.written += taken
        return taken

    def _lines(self, entry: _Entry) -> bytes:
        """Return the entry's JSON lines (C-level loops: at 100% a call's every decision)."""
        head = b'{"decision_id":"' + entry.call_id + b"-"
        middle = b'","time":"' + _timestamp(entry.time) + b'","request":'
        indexes, questions = entry.indexes, entry.questions
        if type(indexes) is range:
            asked, numbers = questions, _NUMBERS[: len(indexes)]
        else:
            asked, numbers = [questions[i] for i in indexes], [_NUMBERS[i] for i in indexes]
        keys = _encode_lines(asked).split(b"\n")  # the questions' JSON, one C call
        keys.pop()  # after the last newline
        requests: list[Any] = list(map(self._requests.get, keys))
        summaries: list[Any] = list(map(self._summaries.get, entry.answers))
        if None in requests:
            for at in [at for at, found in enumerate(requests) if found is None]:
                requests[at] = self._request(keys[at], asked[at])
        if None in summaries:
            for at in [at for at, found in enumerate(summaries) if found is None]:
                summaries[at] = self._summary(entry.answers[at])
        pieces = zip(repeat(head), numbers, repeat(middle), requests, summaries)
        return b"".join(chain.from_iterable(pieces))

    def _request(self, key: Any, question: Question) -> bytes:
        """Render the question as logged (ids and codes kept, free text dropped) and keep it."""
        if len(self._requests) >= _CACHE_LIMIT:
            self._requests.clear()
        rendered = self._requests[key] = msgspec.json.encode(logged_request(question))
        return rendered

    def _summary(self, answer: bytes) -> bytes:
        """Return `,"allowed":…,"code":…,"policy_version":…[,"snapshot":N]}\n` of a decision
        (the end of its line) and keep it."""
        decision = json.loads(answer)
        fields = {k: decision[k] for k in ("allowed", "code", "policy_version")}
        if "snapshot" in decision:
            fields["snapshot"] = decision["snapshot"]
        if len(self._summaries) >= _CACHE_LIMIT:
            self._summaries.clear()
        summary = self._summaries[answer] = b"," + msgspec.json.encode(fields)[1:] + b"\n"
        return summary


_opened_cache: dict[bytes, bytes] = {}


def _opened(answers: list[bytes]) -> list[bytes]:
    """Return each decision's JSON without its closing brace (kept: most answers repeat)."""
    cache = _opened_cache
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    opened: list[Any] = list(map(cache.get, answers))
    for at in [at for at, found in enumerate(opened) if found is None]:
        opened[at] = cache[answers[at]] = answers[at][:-1]
    return opened


def _timestamp(seconds: float) -> bytes:
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ").encode()


def _id(value: str | None) -> str | None:
    """Return an id as logged: kept when it looks like an id, else dropped (None)."""
    if value is None or _ID_SHAPE.fullmatch(value) is None:
        return None
    return value


def logged_request(question: Question) -> dict[str, Any]:
    """Return what the log keeps of a question: its kind, codes and ids, no free text."""
    if type(question) is ServiceQuestion or type(question) is AccountQuestion:
        code_field = "service" if type(question) is ServiceQuestion else "account"
        kept: dict[str, Any] = {"kind": code_field, code_field: getattr(question, code_field)}
        if question.partner_type is not msgspec.UNSET:
            kept["partner_type"] = question.partner_type
        if question.partner is not None:
            kept["partner"] = _id(question.partner)
        return kept
    if type(question) is RegistrationQuestion:
        if question.client_id is not None:
            return {"kind": "registration", "client_id": _id(question.client_id)}
        return {"kind": "registration", "registration": _id(question.registration)}
    if type(question) is TransitionQuestion:
        return {
            "kind": "transition",
            "from": question.from_,
            "to": question.to,
            "facts": question.facts,
        }
    if type(question) is ActionQuestion:
        actor, target = question.actor, question.target
        return {
            "kind": "action",
            "action": question.action,
            "actor": _ids(id=actor.id, account=actor.account, partner=actor.partner),
            "target": _ids(
                type=target.type,
                id=target.id,
                account=target.account,
                partner=target.partner,
                support_app_partner=target.support_app_partner,
            ),
            # Values the policy checked (an unknown one is refused before anything is logged).
            "attributes": dict(question.attributes),
        }
    return {"kind": None}  # pragma: no cover - every kind is listed above


def _ids(**given: str | None) -> dict[str, str | None]:
    return {name: _id(value) for name, value in given.items() if value is not None}


# -- sinks ---------------------------------------------------------------------------------


class RotatingFile:
    """Append JSON lines to `path`; past `max_bytes`, move it to `path.1` (`.1` to `.2`, …,
    keeping `backups` old files) and start a new one.

    Every worker of a server appends to the same file: each flush is one `write` to a file
    opened with O_APPEND (whole lines, never interleaved), and a worker that finds the file
    moved away (another worker rotated it) opens the new one before writing.
    """

    def __init__(
        self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, backups: int = DEFAULT_BACKUPS
    ) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.backups = backups
        self._fd: int | None = None
        self._inode: int | None = None

    def write(self, lines: bytes) -> None:
        if self._fd is not None and _inode(self.path) != self._inode:
            self.close()  # rotated by another worker
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            self._inode = os.fstat(self._fd).st_ino
        os.write(self._fd, lines)
        if os.fstat(self._fd).st_size >= self.max_bytes:
            self._rotate()

    def _rotate(self) -> None:
        self.close()
        for number in range(self.backups - 1, 0, -1):
            older = rotated_path(self.path, number)
            if older.exists():
                older.replace(rotated_path(self.path, number + 1))
        if self.backups:
            self.path.replace(rotated_path(self.path, 1))
        else:
            self.path.unlink()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._inode = None


def rotated_path(path: Path, number: int) -> Path:
    """Return the name of the `number`-th older file of `path` (`decisions.jsonl.1`, …)."""
    return path.with_name(f"{path.name}.{number}")


class HttpSink:
    """POST the lines to `url` as `application/x-ndjson` (a log collector's intake)."""

    def __init__(self, url: str, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"decision log URL {url!r} is not http(s)")
        self.url = url
        self.timeout = timeout

    def write(self, lines: bytes) -> None:
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            self.url, data=lines, method="POST", headers={"content-type": "application/x-ndjson"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            response.read()

    def close(self) -> None:
        pass


def log_from_settings() -> DecisionLog:
    """Return the decision log the settings describe (rate 0: off, nothing is started)."""
    from django.conf import settings

    rate = float(getattr(settings, "DEVCENTER_DECISION_LOG_RATE", 0.0))
    url = str(getattr(settings, "DEVCENTER_DECISION_LOG_URL", "") or "")
    sink: Sink
    if url:
        sink = HttpSink(url)
    else:
        sink = RotatingFile(
            Path(settings.DEVCENTER_DECISION_LOG_PATH),
            max_bytes=int(settings.DEVCENTER_DECISION_LOG_MAX_BYTES),
            backups=int(settings.DEVCENTER_DECISION_LOG_BACKUPS),
        )
    capacity = int(getattr(settings, "DEVCENTER_DECISION_LOG_BUFFER", DEFAULT_CAPACITY))
    return DecisionLog(rate=rate, sink=sink, capacity=capacity)


# -- reading the file back (`devcenter decisions tail`) --------------------------------------


def tail(path: Path, count: int) -> list[str]:
    """Return the last `count` lines of the log (the current file, then its older ones)."""
    lines: deque[str] = deque(maxlen=count)
    files = [rotated_path(path, n) for n in range(DEFAULT_BACKUPS * 4, 0, -1)] + [path]
    for name in files:
        if name.exists() and count:
            with name.open(encoding="utf-8") as opened:
                lines.extend(line.rstrip("\n") for line in opened)
    return list(lines)


def follow(
    path: Path,
    *,
    poll_seconds: float = 0.2,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[str]:
    """Yield each line appended to the log from now on, across rotations, until `stop()`."""
    opened, inode = _open_at_end(path)
    pending = ""
    try:
        while not stop():
            chunk = opened.read() if opened is not None else ""
            if chunk:
                pending += chunk
                *complete, pending = pending.split("\n")
                yield from complete
                continue
            if _inode(path) != inode:  # moved away: read what is left, then the new file
                if opened is not None:
                    pending += opened.read()
                    opened.close()
                    *complete, pending = pending.split("\n")
                    yield from complete
                opened, inode = _open_at_start(path)
                continue
            time.sleep(poll_seconds)
    finally:
        if opened is not None:
            opened.close()


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _open_at_start(path: Path) -> tuple[Any, int | None]:
    try:
        opened = path.open(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    return opened, os.fstat(opened.fileno()).st_ino


def _open_at_end(path: Path) -> tuple[Any, int | None]:
    if not path.exists():
        return None, None
    opened = path.open(encoding="utf-8")
    opened.seek(0, os.SEEK_END)
    return opened, _inode(path)
