"""The decision log (issue 12 §5): sampling, decision ids, what is kept of a request, a full
buffer that drops and counts without touching the decisions, rotation, and `decisions tail`."""

from __future__ import annotations

import io
import json
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
