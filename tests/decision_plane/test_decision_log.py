"""The decision log (issue 12 §5): sampling, decision ids, what is kept of a request, a full
buffer that drops and counts without touching the decisions, rotation, and `decisions tail`."""

from __future__ import annotations

import io
import json
import os
import random
import threading
import time

import pytest
from django.core.management import call_command

from devcenter.decision_plane.decision_log import (
    BUFFER_FULL,
    DecisionLog,
    RotatingFile,
    follow,
    rotated_path,
    tail,
)
from devcenter.policy import default_policy
from tests.decision_plane.live_registry import individual, sequence
from tests.decision_plane.test_metrics import samples, scrape

POLICY = default_policy()
SERVICE = {"kind": "service", "partner_type": "individual", "service": "app_pc"}
FREE_TEXT = "山田 太郎 <taro@example.com>"


def action(actor_id: str) -> dict:
    return {
        "kind": "action",
        "action": "message.send",
        "actor": {"account": "user_account", "id": actor_id},
        "target": {"type": "account", "account": "user_account", "id": "acc_target"},
    }


@pytest.fixture
def plane(application):
    return getattr(application, "inner", application)  # behind the front door


@pytest.fixture
def use_log(plane, tmp_path):
    """Install a decision log writing to a file under tmp_path; restore the plane's after."""
    original = plane.decision_log
    made: list[DecisionLog] = []

    def install(rate: float, **kwargs) -> DecisionLog:
        kwargs.setdefault("sink", RotatingFile(tmp_path / "decisions.jsonl"))
        log = DecisionLog(rate=rate, **kwargs)
        plane.decision_log = log
        made.append(log)
        return log

    yield install
    for log in made:
        log.stop()
    plane.decision_log = original


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_at_rate_zero_answers_carry_no_id_and_nothing_is_written(client, use_log, tmp_path):
    log = use_log(0.0)

    reply = client.decide(SERVICE, action("acc_a"))

    assert reply.status == 200
    assert all("decision_id" not in d for d in reply.body["decisions"])
    assert log.flush() == 0
    assert not (tmp_path / "decisions.jsonl").exists()


def test_at_rate_one_every_decision_is_logged_with_its_id(client, use_log, tmp_path, application):
    application.snapshot.reload()
    person = individual()
    log = use_log(1.0)
    live = {"kind": "service", "partner": person.public_id, "service": "graph_api"}

    reply = client.request(
        "POST",
        "/api/v1/decisions",
        json_body={"requests": [SERVICE, live], "min_snapshot": sequence()},
    )
    log.stop()

    assert reply.status == 200, reply.body
    decisions = reply.body["decisions"]
    ids = [d["decision_id"] for d in decisions]
    assert len(set(ids)) == 2
    assert all(i.startswith("dec_") for i in ids)
    logged = lines(tmp_path / "decisions.jsonl")
    assert [entry["decision_id"] for entry in logged] == ids
    stateless, by_id = logged
    assert stateless["request"] == SERVICE
    assert (stateless["code"], stateless["allowed"]) == (
        POLICY.decide_service("individual", "app_pc").code,
        True,
    )
    assert stateless["policy_version"] == POLICY.version
    assert "snapshot" not in stateless
    assert by_id["request"] == live  # the partner id is kept
    assert by_id["snapshot"] == decisions[1]["snapshot"]
    assert by_id["code"] == decisions[1]["code"]
    assert stateless["time"].endswith("Z")
    # The answer is the decision with only `decision_id` added.
    expected = POLICY.decide_service("individual", "app_pc").as_dict()
    assert {k: v for k, v in decisions[0].items() if k != "decision_id"} == expected


def test_ids_are_kept_and_free_text_is_dropped(client, use_log, tmp_path):
    log = use_log(1.0)

    reply = client.decide(
        action(FREE_TEXT),
        {"kind": "registration", "registration": "reg_abc123"},
        {"kind": "registration", "client_id": "ck_0123456789abcdef"},
    )
    log.stop()

    assert reply.status == 200, reply.body
    free, by_id, by_client = (entry["request"] for entry in lines(tmp_path / "decisions.jsonl"))
    assert free["actor"] == {"id": None, "account": "user_account"}
    assert free["target"]["id"] == "acc_target"
    assert FREE_TEXT not in json.dumps(free, ensure_ascii=False)
    assert by_id == {"kind": "registration", "registration": "reg_abc123"}
    assert by_client == {"kind": "registration", "client_id": "ck_0123456789abcdef"}


class BlockedSink:
    """A sink whose writes wait until released (a slow disk or collector)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.writing = threading.Event()
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writing.set()
        self.release.wait(10)
        self.written.append(data)

    def close(self) -> None:
        pass


def test_a_full_buffer_drops_and_counts_and_decisions_are_unaffected(client, use_log, application):
    sink = BlockedSink()
    log = use_log(1.0, sink=sink, capacity=3)
    before = samples(scrape_open(application))
    plain = client.decide(SERVICE, SERVICE, action("acc_a")).body["decisions"]  # fills it
    assert sink.writing.wait(5)  # the writer holds those three, blocked

    started = time.perf_counter()
    reply = client.decide(SERVICE, SERVICE, action("acc_a"))
    took = time.perf_counter() - started

    assert reply.status == 200
    assert all("decision_id" not in d for d in reply.body["decisions"])  # not logged: no id
    assert reply.body["decisions"] == [
        {k: v for k, v in d.items() if k != "decision_id"} for d in plain
    ]
    assert took < 2  # never waits for the writer
    assert (log.dropped, log.dropped_by[BUFFER_FULL]) == (3, 3)
    after = samples(scrape_open(application))
    key = ("devcenter_decision_log_dropped_total", (("reason", "buffer_full"),))
    assert after.get(key, 0) - before.get(key, 0) == 3

    sink.release.set()
    log.stop()
    assert log.written == 3
    assert len(b"".join(sink.written).splitlines()) == 3


def scrape_open(application) -> str:
    from tests.decision_plane.conftest import PlaneClient

    return scrape(PlaneClient(application)).body["_text"]


def test_sampling_picks_about_the_rate_spread_over_calls():
    log = DecisionLog(rate=0.01, rng=random.Random(5))  # noqa: S311

    picked = [len(log._pick(10_000)) for _ in range(20)]  # noqa: SLF001

    assert 1800 <= sum(picked) <= 2200  # 1% of 200,000
    assert min(picked) > 0
    assert len(DecisionLog(rate=1.0)._pick(7)) == 7  # noqa: SLF001
    assert len(DecisionLog(rate=0.0)._pick(7)) == 0  # noqa: SLF001


def test_a_rate_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        DecisionLog(rate=1.5)


def test_the_file_rotates_by_size_keeping_the_backups(tmp_path):
    path = tmp_path / "decisions.jsonl"
    sink = RotatingFile(path, max_bytes=100, backups=2)

    for n in range(7):
        sink.write(b'{"n":%d,"pad":"%s"}\n' % (n, b"x" * 40))  # 2 lines per file
    sink.close()

    def numbers(name) -> list[int]:
        return [json.loads(x)["n"] for x in name.read_text().splitlines()]

    assert numbers(rotated_path(path, 2)) == [2, 3]
    assert numbers(rotated_path(path, 1)) == [4, 5]
    assert numbers(path) == [6]
    assert not rotated_path(path, 3).exists()  # the oldest, [0, 1], went
    assert [json.loads(x)["n"] for x in tail(path, 3)] == [4, 5, 6]


def test_decisions_tail_prints_the_last_lines(tmp_path):
    path = tmp_path / "decisions.jsonl"
    path.write_text("".join(f'{{"decision_id":"dec_{n}"}}\n' for n in range(5)))
    out = io.StringIO()

    call_command("decisions", "tail", "-n", "2", "--path", str(path), stdout=out)

    assert out.getvalue().splitlines() == ['{"decision_id":"dec_3"}', '{"decision_id":"dec_4"}']


def test_decisions_tail_without_a_log_says_so(tmp_path):
    from django.core.management.base import CommandError
    from django.utils import translation

    with translation.override("en"), pytest.raises(CommandError, match="No decision log"):
        call_command("decisions", "tail", "--path", str(tmp_path / "none.jsonl"))
    with translation.override("ja"), pytest.raises(CommandError, match="判定ログがありません"):
        call_command("decisions", "tail", "--path", str(tmp_path / "none.jsonl"))


def test_follow_yields_new_lines_across_a_rotation(tmp_path):
    path = tmp_path / "decisions.jsonl"
    sink = RotatingFile(path, max_bytes=60, backups=1)
    sink.write(b'{"n":0}\n')  # before following: not yielded
    seen: list[str] = []
    done = threading.Event()

    def reader() -> None:
        for line in follow(path, poll_seconds=0.01, stop=done.is_set):
            seen.append(line)
            if len(seen) == 6:
                done.set()

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.1)
    for n in range(1, 7):
        sink.write(b'{"n":%d,"pad":"%s"}\n' % (n, b"y" * 20))  # rotates every 2 lines
        time.sleep(0.05)
    thread.join(5)
    done.set()
    sink.close()

    assert [json.loads(line)["n"] for line in seen] == [1, 2, 3, 4, 5, 6]


def test_decisions_tail_follow_prints_what_comes(tmp_path, monkeypatch):
    from devcenter.server.management.commands import decisions

    path = tmp_path / "decisions.jsonl"
    path.write_text('{"n":0}\n')
    out = io.StringIO()
    stop = threading.Event()
    monkeypatch.setattr(decisions.Command, "_stopped", lambda self: stop.is_set())

    def writer() -> None:
        time.sleep(0.3)
        with path.open("a") as opened:
            opened.write('{"n":1}\n')
        time.sleep(0.5)
        stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    call_command("decisions", "tail", "-n", "1", "--follow", "--path", str(path), stdout=out)
    thread.join()

    assert out.getvalue().splitlines() == ['{"n":0}', '{"n":1}']


# -- the writer after issue 12's bench: ids, the request body as received, failures ----------


def _ids_of_one_call(log: DecisionLog, count: int) -> list[str]:
    """Return the decision ids one call of `count` decisions gets from `log` (no sink)."""
    parts = [b'{"allowed":true,"code":"allowed","policy_version":"v"}'] * count
    body = json.dumps({"requests": [SERVICE] * count}).encode()
    answer = json.loads(log.sample(body, [None] * count, parts))  # type: ignore[list-item]
    return [decision["decision_id"] for decision in answer["decisions"]]


_CHILD = """
import json
from devcenter.decision_plane.decision_log import DecisionLog
log = DecisionLog(rate=1.0)
parts = [b'{"allowed":true}'] * 3
answer = json.loads(log.sample(b"{}", [None] * 3, parts))
print(json.dumps([decision["decision_id"] for decision in answer["decisions"]]))
"""


def test_decision_ids_differ_between_processes_and_after_a_fork():
    import subprocess
    import sys

    first, second = (
        json.loads(
            subprocess.run(  # noqa: S603 (this interpreter, fixed code)
                [sys.executable, "-c", _CHILD], capture_output=True, check=True, timeout=60
            ).stdout
        )
        for _ in range(2)
    )
    here = _ids_of_one_call(DecisionLog(rate=1.0), 3)

    assert len(set(first) | set(second) | set(here)) == 9
    prefixes = {i.rsplit("-", 1)[0][:-1] for i in first + second + here}  # without the call
    assert len(prefixes) == 3

    log = DecisionLog(rate=1.0)  # made before the fork: the child must not reuse its ids
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(writer, json.dumps(_ids_of_one_call(log, 2)).encode())
        os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    with os.fdopen(reader) as opened:
        in_child = json.loads(opened.read())
    assert not set(in_child) & set(_ids_of_one_call(log, 2))


def test_a_call_larger_than_the_buffer_is_dropped_whole_and_its_answer_untouched():
    log = DecisionLog(rate=1.0, capacity=4)
    parts = [b'{"allowed":true,"code":"allowed"}', b'{"allowed":false,"code":"x"}'] * 3

    body = log.sample(b"{}", [None] * 6, parts)  # type: ignore[list-item]

    assert body == b'{"decisions":[' + b",".join(parts) + b"]}"  # as with the log off
    assert (log.dropped, log.dropped_by[BUFFER_FULL], log.flush()) == (6, 6, 0)


class FailingOnce:
    """A sink whose first write fails (a full disk, a collector that is down)."""

    batch_bytes = 1

    def __init__(self) -> None:
        self.failed = False
        self.written: list[bytes] = []

    def write(self, lines: bytes) -> None:
        if not self.failed:
            self.failed = True
            raise OSError("no space left on device")
        self.written.append(lines)

    def close(self) -> None:
        pass


def test_the_writer_counts_a_failing_sink_and_goes_on(client, use_log, application):
    from devcenter.decision_plane.decision_log import SINK_ERROR

    sink = FailingOnce()
    log = use_log(1.0, sink=sink)
    before = samples(scrape_open(application))

    client.decide(SERVICE, action("acc_a"))  # lost: the sink fails
    _wait_for(lambda: log.dropped_by[SINK_ERROR] == 2)
    reply = client.decide(SERVICE)
    _wait_for(lambda: log.written == 1)

    assert log._thread is not None  # noqa: SLF001
    assert log._thread.is_alive()  # noqa: SLF001
    [line] = b"".join(sink.written).splitlines()
    assert json.loads(line)["decision_id"] == reply.body["decisions"][0]["decision_id"]
    after = samples(scrape_open(application))
    key = ("devcenter_decision_log_dropped_total", (("reason", "sink_error"),))
    assert after.get(key, 0) - before.get(key, 0) == 2


def _wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writer did not get there"
        time.sleep(0.02)


def test_two_workers_rotating_one_file_lose_no_line(tmp_path):
    path = tmp_path / "decisions.jsonl"
    sinks = [RotatingFile(path, max_bytes=2_000, backups=10_000) for _ in range(2)]
    failures: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            for n in range(500):
                sinks[number].write(b'{"w":%d,"n":%d,"pad":"%s"}\n' % (number, n, b"z" * 30))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for sink in sinks:
        sink.close()

    assert failures == []
    lines = [
        json.loads(x) for f in tmp_path.glob("decisions.jsonl*") for x in f.read_text().split()
    ]
    assert sorted((x["w"], x["n"]) for x in lines) == [(w, n) for w in (0, 1) for n in range(500)]


def test_sampled_and_every_decision_log_the_same_request(client, use_log, tmp_path):
    """At 100% the writer cuts each question out of the body as received; below, it encodes the
    decoded question: both give the same logged request, whatever the body's layout."""
    asked = [action(FREE_TEXT), SERVICE, {"kind": "registration", "client_id": "ck_1"}]
    spaced = json.dumps({"requests": asked}, indent=3, ensure_ascii=False).encode()
    padded = spaced.replace(b"\n", b"\n" + b" " * 2_000)  # far beyond its questions: not kept

    logged = []
    for rate, body in ((1.0, spaced), (1.0, padded), (0.999999, spaced)):
        path = tmp_path / f"{len(logged)}.jsonl"
        log = use_log(rate, sink=RotatingFile(path), rng=random.Random(1))  # noqa: S311
        reply = client.request("POST", "/api/v1/decisions", content=body)
        log.stop()
        assert reply.status == 200, reply.body
        entries = lines(path)
        ids = [d.get("decision_id") for d in reply.body["decisions"]]
        assert [e["decision_id"] for e in entries] == [i for i in ids if i]
        logged.append({ids.index(e["decision_id"]): e["request"] for e in entries})

    assert logged[0] == logged[1]
    assert {i: r for i, r in logged[0].items() if i in logged[2]} == logged[2]
    assert logged[0][0]["actor"]["id"] is None  # free text dropped on every path
    assert logged[0][1] == SERVICE
