"""The decision log (issue 12, §5): a sample of the plane's decisions, written off the hot path.

A call answered with 200 has each of its decisions sampled at `rate` (the setting
`DEVCENTER_DECISION_LOG_RATE`, default 0: off). A sampled decision gets a `decision_id` in its
answer (`dec_<process><call>-<index>`), and only a sampled one: an answer without `decision_id`
was not logged, and the answers of a plane with the log off are byte for byte what they were.

The hot path only picks the indexes (geometric gaps, not one random number per decision),
splices the ids into the answer (one `join`) and appends one tuple of objects the call made
anyway (its time, its id, the indexes, the request body or the sampled questions, the
decisions' JSON) to an
in-memory buffer of at most `capacity` decisions; when the call's sampled decisions do not fit,
they are dropped and counted (`dropped`, the `devcenter_decision_log_dropped_total` series) and
get no id. Nothing on the hot path formats a line, encodes JSON or waits for the writer.

A background thread (`DecisionLog.start`, one per worker) turns the entries into JSON lines

    {"time": "2026-11-30T20:00:00.123456Z", "decision_id": …, "request": {…},
     "allowed": …, "code": …, "policy_version": …, "snapshot": N}

(`snapshot` only for answers from the registry snapshot), `CHUNK_LINES` at a time, and hands
them to a sink: a file with size rotation by default (`RotatingFile`,
`DEVCENTER_DECISION_LOG_PATH`), or an HTTP endpoint taking newline-delimited JSON (`HttpSink`,
`DEVCENTER_DECISION_LOG_URL`). A line is four pieces joined in C: the call's head (time and id
prefix), the decision's index, its request and its outcome, each request and outcome rendered
once and kept (keyed by the question's JSON: at 100% cut out of the request body as received,
one msgspec pass; when sampled, the sampled questions encoded again). The request keeps its
kind, its policy codes and its ids (partner, account, registration, client id); a string in an
id field that does not look like an id (letters, digits and `_ . : -`, at most 64 characters)
is free text (a name, an e-mail address) and is dropped (null). A sink that fails loses the
lines it was given (counted as `sink_error`, logged at most once a minute); the
writer goes on with the next ones. docs/decisions.md, "Decision log", says why a thread.
"""

from __future__ import annotations

import fcntl
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
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

import msgspec

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
# Lines rendered at a time: about 300 KB, which stays in the CPU's cache on its way to the sink
# and keeps each stretch the writer holds the GIL under a millisecond.
CHUNK_LINES = 1024
FILE_BATCH_BYTES = 256 * 1024  # a file sink gets small entries gathered up to this size
HTTP_BATCH_BYTES = 4 * 1024 * 1024  # an HTTP sink: fewer, larger POSTs
HTTP_TIMEOUT_SECONDS = 5.0
RAW_BYTES_PER_DECISION = 1024  # request body kept per logged decision, at most
ERROR_LOG_SECONDS = 60.0  # a failing sink is logged at most this often
BUFFER_FULL = "buffer_full"
SINK_ERROR = "sink_error"
_ID_SHAPE = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
_CACHE_LIMIT = 100_000  # rendered line ends and decisions without their brace kept for reuse
# The end of a spliced decision_id: followed by the next decision, or the last one.
_CLOSERS = [b'%d"},' % n for n in range(MAX_REQUESTS)]
_LAST_CLOSERS = [b'%d"}]}' % n for n in range(MAX_REQUESTS)]
_LAST_ONE = [b'%d"}' % n for n in range(MAX_REQUESTS)]
_NUMBERED = [b'%d","request":' % n for n in range(MAX_REQUESTS)]  # a line's index
_BODY_HEAD = b'{"decisions":['
_encode_lines = msgspec.json.Encoder().encode_lines
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: 8 base-36 digits last until 2115


class Sink(Protocol):
    batch_bytes: int  # how much the writer gathers before one `write` (at least one chunk)

    def write(self, lines: bytes) -> None: ...

    def close(self) -> None: ...


# One call's sampled decisions: (time, call id, indexes, questions, their decisions' JSON).
# When every decision was sampled, `indexes` is a range, the questions are the call's request
# body as received and the JSON is the call's own list; else the questions are the sampled ones,
# decoded, and the JSON theirs.
Entry = tuple[float, bytes, Sequence[int], bytes | list[Question], Sequence[bytes]]


def process_prefix() -> bytes:
    """Return `dec_` and this process's part of its decision ids: its start (milliseconds,
    8 base-36 digits), its pid (5 digits) and 3 random digits, fixed width.

    Two processes alive at once on one host differ by pid; a later process with a reused pid
    started in a later millisecond; the random digits keep hosts apart in a shared collector.
    """
    millis = max(0, time.time_ns() // 1_000_000 - _EPOCH_MS)
    noise = secrets.randbelow(36**3)
    return b"dec_" + (_base36(millis, 8) + _base36(os.getpid(), 5) + _base36(noise, 3)).encode()


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


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
        self._buffer: deque[Entry] = deque()
        self._pending = 0  # sampled decisions in memory, not yet written or dropped
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._new_process()
        os.register_at_fork(after_in_child=self._new_process)
        self._requests: dict[bytes, bytes] = {}
        self._summaries: dict[bytes, bytes] = {}
        self._error_logged_at = -math.inf

    def _new_process(self) -> None:
        """Give this process its own decision ids (also in a child forked after `__init__`)."""
        self._prefix = process_prefix()
        self._calls = itertools.count(1)

    @property
    def enabled(self) -> bool:
        return self.rate > 0.0

    # -- the hot path (event loop) ---------------------------------------------------------

    def sample(self, body: bytes, questions: Sequence[Question], parts: list[bytes]) -> bytes:
        """Pick the decisions of one answered call to log; return the answer body, the sampled
        decisions with their `decision_id`. `body` is the call's request body, `questions` its
        decoded questions, `parts` the decisions' JSON, in order."""
        indexes = self._pick(len(parts))
        taken = len(indexes)
        if not taken:
            return _BODY_HEAD + b",".join(parts) + b"]}"
        with self._lock:
            if self._pending + taken > self.capacity:
                self._drop(BUFFER_FULL, taken)
                return _BODY_HEAD + b",".join(parts) + b"]}"
            self._pending += taken
        call_id = b"%s%x" % (self._prefix, next(self._calls))
        id_head = b',"decision_id":"' + call_id + b"-"
        answers: Sequence[bytes]
        source: bytes | list[Question]
        if type(indexes) is range:  # every decision: one join, no bytes object per decision
            answers = parts
            # The writer cuts each question's JSON out of the body; a body padded far beyond
            # its questions is not kept (memory is bounded by `capacity` decisions).
            source = body if len(body) <= RAW_BYTES_PER_DECISION * taken else list(questions)
            pieces = [id_head] * (3 * taken + 1)  # head; then each decision, id, closer
            pieces[0] = _BODY_HEAD
            pieces[1::3] = _opened(parts)
            pieces[3::3] = _CLOSERS[:taken]
            pieces[-1] = _LAST_CLOSERS[taken - 1]
            body = b"".join(pieces)
        else:
            answers = [parts[i] for i in indexes]
            source = [questions[i] for i in indexes]
            pieces = [b","] * (2 * len(parts) + 1)  # head; each decision, then `,` or the end
            pieces[0] = _BODY_HEAD
            pieces[1::2] = parts
            pieces[-1] = b"]}"
            for i, head in zip(indexes, _opened(answers), strict=True):
                pieces[2 * i + 1] = head + id_head + _LAST_ONE[i]
            body = b"".join(pieces)  # one copy of the answer
        self._buffer.append((time.time(), call_id, indexes, source, answers))
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
            except Exception:  # pragma: no cover - flush counts its failures; never let it die
                logger.exception("decision log: the writer failed")

    def flush(self) -> int:
        """Write every buffered entry now (the writer thread, or a test); return the decisions
        written. Entries are rendered `CHUNK_LINES` lines at a time and handed to the sink in
        batches of about `sink.batch_bytes`; a batch the sink refuses is counted as dropped."""
        batch: list[bytes] = []
        size = lines = written = 0
        limit = getattr(self.sink, "batch_bytes", FILE_BATCH_BYTES)
        while self._buffer:
            moment, call_id, indexes, source, answers = self._buffer.popleft()
            total = len(indexes)
            rendered = 0
            try:
                head = b'{"time":"' + _timestamp(moment) + b'","decision_id":"' + call_id + b"-"
                asked = _questions(source, total)
                numbers = _NUMBERED if type(indexes) is range else [_NUMBERED[i] for i in indexes]
                while rendered < total:
                    upto = min(rendered + CHUNK_LINES, total)
                    chunk = self._render(
                        head, numbers[rendered:upto], asked[rendered:upto], answers[rendered:upto]
                    )
                    batch.append(chunk)
                    size += len(chunk)
                    lines += upto - rendered
                    rendered = upto
                    if size >= limit:
                        written += self._hand_over(batch, lines)
                        batch, size, lines = [], 0, 0
            except Exception as error:  # a bug in rendering: lose this entry, not the writer
                self._failed(error, total - rendered)
        if batch:
            written += self._hand_over(batch, lines)
        return written

    def _hand_over(self, batch: list[bytes], lines: int) -> int:
        """Write `batch` (`lines` lines) to the sink; return the lines written (0 if it failed)."""
        try:
            if self.sink is not None:
                self.sink.write(batch[0] if len(batch) == 1 else b"".join(batch))
        except Exception as error:
            self._failed(error, lines)
            return 0
        else:
            with self._lock:  # out of memory now: no longer against `capacity`
                self._pending -= lines
        self.written += lines
        return lines

    def _failed(self, error: Exception, lines: int) -> None:
        """Count `lines` lost to a failing sink; log it, at most once a minute."""
        with self._lock:
            self._drop(SINK_ERROR, lines)
            self._pending -= lines
        now = time.monotonic()
        if now - self._error_logged_at >= ERROR_LOG_SECONDS:
            self._error_logged_at = now
            logger.error(
                "decision log: %s lines not written (%r); %s lost so far",
                lines,
                error,
                self.dropped_by[SINK_ERROR],
            )

    def _render(
        self,
        head: bytes,
        numbers: list[bytes],
        asked: list[msgspec.Raw] | list[Question],
        said: Sequence[bytes],
    ) -> bytes:
        """Return the JSON lines of some sampled decisions of one call, each starting with
        `head`: their `numbers`, questions (as received, or decoded) and JSON. C-level loops
        only, but for a request or an outcome not seen before."""
        if type(asked[0]) is msgspec.Raw:
            keys = list(map(bytes, asked))  # the questions' JSON as the caller sent them
        else:
            keys = _encode_lines(asked).split(b"\n")  # one C call
            keys.pop()  # after the last newline
        requests = _looked_up(self._requests, keys)
        if requests is None:  # a question not rendered yet
            found: list[Any] = list(map(self._requests.get, keys))
            requests = found
            for at in [at for at, got in enumerate(found) if got is None]:
                found[at] = self._request(keys[at], asked[at])
        summaries = _looked_up(self._summaries, said)
        if summaries is None:  # an outcome not rendered yet
            outcomes: list[Any] = list(map(self._summaries.get, said))
            summaries = outcomes
            for at in [at for at, got in enumerate(outcomes) if got is None]:
                outcomes[at] = self._summary(said[at])
        pieces = [head] * (4 * len(keys))  # head, index, request, outcome: filled by C loops
        pieces[1::4] = numbers
        pieces[2::4] = requests
        pieces[3::4] = summaries
        return b"".join(pieces)

    def _request(self, key: bytes, asked: msgspec.Raw | Question) -> bytes:
        """Render the question as logged (ids and codes kept, free text dropped) and keep it."""
        question = _decode_question(asked) if type(asked) is msgspec.Raw else asked
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


def _looked_up(cache: dict[bytes, bytes], keys: Sequence[bytes]) -> Sequence[bytes] | None:
    """Return the values of all `keys` in one C call, or None when one of them is missing."""
    if len(keys) == 1:
        return [cache[keys[0]]] if keys[0] in cache else None
    try:
        return itemgetter(*keys)(cache)  # type: ignore[no-any-return]
    except KeyError:
        return None


class _RawBody(msgspec.Struct):
    """A decision request body with each question left as received (`msgspec.Raw`)."""

    requests: list[msgspec.Raw]


_raw_body = msgspec.json.Decoder(_RawBody).decode
_decode_question = msgspec.json.Decoder(Question).decode


def _questions(source: bytes | list[Question], count: int) -> list[msgspec.Raw] | list[Question]:
    """Return the questions of an entry: decoded, or each one's JSON cut from the body."""
    if type(source) is not bytes:
        return source  # type: ignore[return-value]
    asked = _raw_body(source).requests  # the body decoded once already: same questions
    if len(asked) != count:  # pragma: no cover - one JSON parser, the same bytes
        raise ValueError(f"the body has {len(asked)} questions, its answer {count}")
    return asked


_opened_cache: dict[bytes, bytes] = {}


def _opened(answers: Sequence[bytes]) -> list[bytes]:
    """Return each decision's JSON without its closing brace (kept: most answers repeat)."""
    cache = _opened_cache
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    opened: list[Any] = list(map(cache.get, answers))
    if None in opened:
        for at in [at for at, found in enumerate(opened) if found is None]:
            opened[at] = cache[answers[at]] = answers[at][:-1]
    return opened


_second_text: tuple[datetime | None, bytes] = (None, b"")  # the last second, formatted


def _timestamp(seconds: float) -> bytes:
    """Return `2026-11-30T20:00:00.123456Z` (the second's part formatted once a second)."""
    global _second_text  # noqa: PLW0603 (one tuple, replaced whole: safe between threads)
    moment = datetime.fromtimestamp(seconds, UTC)
    second = moment.replace(microsecond=0)
    known, text = _second_text
    if known != second:
        text = second.strftime("%Y-%m-%dT%H:%M:%S").encode()
        _second_text = (second, text)
    return b"%s.%06dZ" % (text, moment.microsecond)


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

    Every worker of a server appends to the same file: each batch is one `write` to a file
    opened with O_APPEND (whole lines, never interleaved). A worker that finds the file moved
    away (another worker rotated it) opens the new one before writing. Rotating takes an
    exclusive `flock` on the full file and first checks that it is still at `path`, so two
    workers that both see it full rotate it once.
    """

    batch_bytes = FILE_BATCH_BYTES

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
        if self._fd is None:  # pragma: no cover - just written to
            return
        fcntl.flock(self._fd, fcntl.LOCK_EX)  # released by `close`
        try:
            if _inode(self.path) == self._inode:  # not rotated by another worker meanwhile
                for number in range(self.backups - 1, 0, -1):
                    older = rotated_path(self.path, number)
                    if older.exists():
                        older.replace(rotated_path(self.path, number + 1))
                if self.backups:
                    self.path.replace(rotated_path(self.path, 1))
                else:
                    self.path.unlink()
        finally:
            self.close()

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

    batch_bytes = HTTP_BATCH_BYTES

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
