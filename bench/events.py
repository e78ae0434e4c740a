"""Benchmark (e): events and webhooks on PostgreSQL.

- lag: a platform endpoint on a local receiver, one `devcenter worker` process; a writer makes
  100 changes/s (a card registered or removed, through the card service); the lag of each event
  is its receipt time minus the time its change committed (and linked): p50 / p99 (target p99
  <= 1 s).
- deliveries/s: 10 platform endpoints on loopback (an asyncio receiver answering 204), events
  of 100 partners fanned out beforehand; the time for one, then two `devcenter worker`
  processes to deliver all of them (target >= 1,000 /s with one).
- feed catch-up: a consumer with a `decisions` key pages through `GET /api/v1/events?limit=1000`
  of `devcenter serve --workers 1` over N synthetic events (rows inserted by SQL with dummy
  hashes: this throwaway database's chain does not verify); yardstick: the same pages read in
  process by the selector, without HTTP.

`python -m bench --only e [--quick]`. The database is a fresh `devcenter_bench_events_<pid>`
on the local server, dropped afterwards (`DEVCENTER_BENCH_EVENTS_FEED` sets N, default
1,000,000). The work runs in one child process (`python -m bench.events child …`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Check, check_at_least, check_at_most, info, print_check, rate
from bench.server import free_port, migrate, server_environment
from bench.writes import _child_env, _drop, _recreate, _root, _without_password

FRESH_DATABASE = f"postgres://postgres@127.0.0.1:5432/devcenter_bench_events_{os.getpid()}"
TARGET_LAG_P99 = 1.0
TARGET_DELIVERIES = 1000.0
SIZES = {
    # quick: lag seconds, throughput events (x10 endpoints), feed events
    True: {"lag_seconds": 2, "events": 100, "feed": 20_000},
    False: {"lag_seconds": 10, "events": 2_000, "feed": 1_000_000},
}


def run(quick: bool) -> list[Check]:
    """Run benchmark (e), print its lines; return its checks for the summary."""
    size = dict(SIZES[quick])
    size["feed"] = int(os.environ.get("DEVCENTER_BENCH_EVENTS_FEED", size["feed"]))
    url = FRESH_DATABASE
    print(f"(e) events and webhooks on PostgreSQL ({_without_password(url)})", flush=True)
    try:
        _recreate(url)
    except Exception as exc:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        print(f"  skipped ({exc.__class__.__name__}: {exc})\n", flush=True)
        return []
    try:
        with tempfile.TemporaryDirectory(prefix="devcenter-bench-events-") as directory:
            env = server_environment(Path(directory)) | {"DATABASE_URL": url}
            migrate(env)
            done = subprocess.run(  # noqa: S603 (this module, fixed arguments)
                [sys.executable, "-m", "bench.events", "child", json.dumps(size), directory],
                env=_child_env(env),
                cwd=_root(),
                capture_output=True,
                text=True,
                timeout=3600,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"bench.events failed:\n{done.stderr[-3000:]}")
            figures = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        _drop(url)
    return _report(figures)


def _report(f: dict[str, Any]) -> list[Check]:
    print(
        f"  lag at {f['lag_rate']:.0f} changes/s from {f.get('lag_writers', 1)} writer processes"
        f" ({f['lag_events']} events):"
        f" p50 {f['lag_p50'] * 1000:.0f} ms, p99 {f['lag_p99'] * 1000:.0f} ms,"
        f" max {f['lag_max'] * 1000:.0f} ms",
        flush=True,
    )
    for workers in (1, 2):
        print(
            f"  {f['deliveries']} deliveries (10 endpoints) with {workers} worker(s):"
            f" {rate(f[f'throughput_{workers}'])}",
            flush=True,
        )
    print(
        f"  feed catch-up over {f['feed_events']:,} events: HTTP {rate(f['feed_http'])},"
        f" in process {rate(f['feed_inprocess'])}",
        flush=True,
    )
    checks = [
        check_at_most("(e) lag p99", "commit -> receipt", f["lag_p99"], TARGET_LAG_P99, "s"),
        check_at_least(
            "(e) deliveries/s, 1 worker",
            f"{rate(f['throughput_1'])}",
            "1,000 /s",
            f["throughput_1"] / TARGET_DELIVERIES,
            1.0,
        ),
        info(
            "(e) 2 workers / 1",
            rate(f["throughput_2"]),
            rate(f["throughput_1"]),
            f["throughput_2"] / f["throughput_1"],
        ),
        info(
            "(e) feed HTTP / in process",
            rate(f["feed_http"]),
            rate(f["feed_inprocess"]),
            f["feed_http"] / f["feed_inprocess"],
        ),
    ]
    for check in checks:
        print_check(check)
    print()
    return checks


# -- the child: Django set up ----------------------------------------------------------------


def _start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own commands)
        command, env=env or os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )


def _receiver(directory: str, ports: list[int]) -> tuple[subprocess.Popen[bytes], Path]:
    out = Path(directory) / f"received-{ports[0]}.json"
    process = _start([sys.executable, "-m", "bench.receiver", str(out), *map(str, ports)])
    assert process.stdout is not None
    process.stdout.readline()  # "ready"
    return process, out


def _stop_receiver(process: subprocess.Popen[bytes], out: Path) -> list[tuple[str, float]]:
    process.terminate()
    process.wait(timeout=60)
    return [tuple(row) for row in json.loads(out.read_text())]  # type: ignore[misc]


def _workers(count: int, threads: int = 32) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "devcenter.cli", "worker", "--threads", str(threads)]
    return [_start(command) for _ in range(count)]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=60)


def _individuals(count: int) -> list[Any]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from devcenter.partners.services import partner_register_individual

    partners = []
    for index in range(count):
        email = f"bench-{index}-{time.time_ns()}@example.com"
        user = get_user_model().objects.create_user(username=email, email=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        partners.append(
            (
                partner_register_individual(acting_user=user, registration_name=f"bench {index}"),
                user,
            )
        )
    return partners


def _delivered() -> int:
    from devcenter.events.choices import DeliveryState
    from devcenter.events.models import WebhookDelivery

    return WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count()


def _wait_delivered(total: int, timeout: float = 600) -> float:
    deadline = time.monotonic() + timeout
    while _delivered() < total:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {_delivered()} of {total} delivered")
        time.sleep(0.05)
    return time.monotonic()


WRITERS = int(os.environ.get("DEVCENTER_BENCH_EVENTS_WRITERS", "4"))
CHANGES_PER_SECOND = 100


def lag(directory: str, seconds: int) -> dict[str, float]:
    """Changes at 100/s from `WRITERS` processes, one worker: commit -> receipt per event.

    One process cannot make 100 card changes a second on this machine: a change costs ~10 ms
    of Python CPU (card service, policy, audit) plus its commit's round trips, so the writers
    are processes of their own (each paced at 100 / WRITERS a second, staggered)."""
    from devcenter.events.services import webhook_endpoint_create

    port = free_port()
    receiver, out = _receiver(directory, [port])
    webhook_endpoint_create(acting_user=None, partner_id=None, url=f"http://127.0.0.1:{port}/")
    workers = _workers(1)
    writers = [
        subprocess.Popen(  # noqa: S603 (this module, fixed arguments)
            [sys.executable, "-m", "bench.events", "writer", json.dumps([i, seconds]), directory],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(WRITERS)
    ]
    for writer in writers:
        assert writer.stdout is not None
        writer.stdout.readline()  # "ready": its partners exist
    time.sleep(3)  # the worker is up and has delivered the partners' own events
    start = time.time() + 0.5
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write(f"{start}\n")
        writer.stdin.flush()
    committed: dict[int, float] = {}
    ended, changes = start, 0
    for writer in writers:
        assert writer.stdout is not None
        result = json.loads(writer.stdout.readline())
        writer.wait(timeout=60)
        committed.update({int(k): v for k, v in result["committed"].items()})
        ended, changes = max(ended, result["ended"]), changes + result["changes"]
    achieved = changes / (ended - start)
    _wait_delivered_events(set(committed))
    _stop(workers)
    received = dict(_stop_receiver(receiver, out))
    lags = sorted(received[f"evt_{s}"] - t for s, t in committed.items() if f"evt_{s}" in received)
    return {
        "lag_rate": achieved,
        "lag_writers": WRITERS,
        "lag_events": len(lags),
        "lag_p50": statistics.median(lags),
        "lag_p99": lags[int(len(lags) * 0.99) - 1],
        "lag_max": lags[-1],
    }


def _wait_delivered_events(sequences: set[int], timeout: float = 600) -> None:
    from devcenter.events.choices import DeliveryState
    from devcenter.events.models import WebhookDelivery

    deadline = time.monotonic() + timeout
    while True:
        done = WebhookDelivery.objects.filter(
            state=DeliveryState.DELIVERED, sequence__in=sequences
        ).count()
        if done >= len(sequences):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {done} of {len(sequences)} delivered")
        time.sleep(0.05)


def writer(args_json: str) -> None:
    """One writer process: register 5 individuals, say "ready", read the start time, then
    register and remove their cards at 100 / WRITERS a second; print each event's commit time.
    """
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    django.setup()
    from devcenter.audit.models import AuditEvent
    from devcenter.partners.services import card_register, card_remove

    index, seconds = json.loads(args_json)
    partners = _individuals(5)
    last = {
        p.public_id: max(
            AuditEvent.objects.filter(partner=p.public_id).values_list("sequence", flat=True),
            default=0,
        )
        for p, _ in partners
    }
    cards: dict[str, Any] = {}
    print("ready", flush=True)
    start = float(sys.stdin.readline())
    rate = CHANGES_PER_SECOND / WRITERS
    offset = index / CHANGES_PER_SECOND  # the writers' changes interleave
    committed: dict[int, float] = {}
    changes = int(rate * seconds)
    for change in range(changes):
        time.sleep(max(0.0, start + offset + change / rate - time.time()))
        partner, user = partners[change % len(partners)]
        card = cards.pop(partner.public_id, None)
        if card is None:
            cards[partner.public_id] = card_register(
                partner_id=partner.public_id,
                token="tok_visa",  # noqa: S106 (the sandbox verifier's test token)
                acting_user=user,
            )
        else:
            card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)
        at = time.time()  # committed and linked (the link runs right after the commit)
        new = list(
            AuditEvent.objects.filter(
                partner=partner.public_id, sequence__gt=last[partner.public_id]
            ).values_list("sequence", flat=True)
        )
        if new:
            last[partner.public_id] = max(new)
        committed.update(dict.fromkeys(new, at))
    print(
        json.dumps({"committed": committed, "ended": time.time(), "changes": changes}), flush=True
    )


def throughput(directory: str, events: int) -> dict[str, float]:
    """10 endpoints, events of 100 partners fanned out first; 1 then 2 workers deliver them."""
    from django.db import transaction
    from django.utils import timezone

    from devcenter.audit.choices import AuditEventType, AuditTarget
    from devcenter.audit.services import audit_record
    from devcenter.events.choices import DeliveryState
    from devcenter.events.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
    from devcenter.events.services import events_fan_out, webhook_endpoint_create

    WebhookEndpoint.objects.all().delete()
    ports = [free_port() for _ in range(10)]
    receiver, out = _receiver(directory, ports)
    for port in ports:
        webhook_endpoint_create(acting_user=None, partner_id=None, url=f"http://127.0.0.1:{port}/")
    for start in range(0, events, 100):
        with transaction.atomic():
            for index in range(start, min(events, start + 100)):
                audit_record(
                    event_type=AuditEventType.PARTNER_UPDATED,
                    actor="system",
                    target_type=AuditTarget.PARTNER,
                    target_id=f"ptn_bench{index % 100}",
                    partner=f"ptn_bench{index % 100}",
                    new={"status": "active"},
                )
    while events_fan_out():
        pass
    total = WebhookDelivery.objects.count()
    later = timezone.now() + timezone.timedelta(days=1)
    figures: dict[str, float] = {"deliveries": total}
    for count in (1, 2):
        WebhookAttempt.objects.all().delete()
        WebhookDelivery.objects.update(
            state=DeliveryState.SCHEDULED, next_attempt_at=later, attempts=0, lease_until=None
        )
        workers = _workers(count)
        time.sleep(4)  # up and idle
        started = time.monotonic()
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        ended = _wait_delivered(total)
        figures[f"throughput_{count}"] = total / (ended - started)
        _stop(workers)
    _stop_receiver(receiver, out)
    return figures


_INSERT_EVENTS = """
INSERT INTO audit_auditevent (sequence, occurred_at, actor, event_type, target_type, target_id,
  partner, old, new, prev_hash, hash)
SELECT %(top)s + i, now(), 'system', 'card.registered', 'card', 'card_bench' || i,
  'ptn_bench' || (i %% 1000), NULL,
  '{"status": "verified", "exp_month": 12, "exp_year": 2030}'::jsonb,
  md5(i::text) || md5(i::text || 'p'), md5(i::text) || md5(i::text || 'h')
FROM generate_series(1, %(count)s) AS i
"""


def feed(directory: str, count: int) -> dict[str, float]:
    """A consumer catching up on `count` events through HTTP, and in process."""
    import http.client

    from django.db import connection

    from devcenter.apikeys.services import apikey_create
    from devcenter.audit.selectors import audit_current_sequence
    from devcenter.events.projection import EVENT_TYPE_OF
    from devcenter.events.selectors import events_page

    top = audit_current_sequence()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(_INSERT_EVENTS, {"top": top, "count": count})
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        cursor.execute("ANALYZE audit_auditevent")
    _, key = apikey_create(name="bench-feed", scope="decisions")
    port = free_port()
    server = _start(
        [
            sys.executable,
            "-m",
            "devcenter.cli",
            "serve",
            "--no-worker",
            "--workers",
            "1",
            "--port",
            str(port),
        ]
    )
    try:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(600):
            try:
                client.request("GET", "/api/v1/health")
                client.getresponse().read()
                break
            except OSError:
                client.close()
                time.sleep(0.2)
        cursor_value, seen, started = str(top), 0, time.monotonic()
        headers = {"Authorization": f"Bearer {key}"}
        while True:
            client.request(
                "GET", f"/api/v1/events?limit=1000&after={cursor_value}", headers=headers
            )
            page = json.loads(client.getresponse().read())
            if not page["events"]:
                break
            seen += len(page["events"])
            cursor_value = page["next_cursor"]
        http_rate = seen / (time.monotonic() - started)
    finally:
        server.terminate()
        server.wait(timeout=60)
    after, read, started = top, 0, time.monotonic()
    while True:
        result = events_page(
            after=after, limit=1000, audit_types=list(EVENT_TYPE_OF), partners=None
        )
        if not result.events:
            break
        read += sum(1 for _ in (e.as_dict() for e in result.events))
        after = int(result.next_cursor)
    return {
        "feed_events": seen,
        "feed_http": http_rate,
        "feed_inprocess": read / (time.monotonic() - started),
    }


def child(size_json: str, directory: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    django.setup()
    size = json.loads(size_json)
    figures: dict[str, float] = {}
    figures |= lag(directory, size["lag_seconds"])
    figures |= throughput(directory, size["events"])
    figures |= feed(directory, size["feed"])
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "writer":
        writer(sys.argv[2])
    else:
        child(sys.argv[2], sys.argv[3])
