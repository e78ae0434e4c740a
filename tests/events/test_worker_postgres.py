"""The worker on PostgreSQL: two workers never send one delivery at once; a worker process
killed mid-delivery leaves the delivery to the next one (at least once, never lost)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from devcenter.events.choices import DeliveryState
from devcenter.events.delivery import Worker
from devcenter.events.models import WebhookDelivery
from devcenter.events.services import webhook_endpoint_create, webhook_test_send
from tests.running_server import devcenter_command

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _platform_endpoint(url: str) -> Any:
    return webhook_endpoint_create(acting_user=None, partner_id=None, url=url)


def test_two_workers_never_send_one_delivery_twice(receiver: Any) -> None:
    endpoint = _platform_endpoint(receiver.url)
    for _ in range(200):
        webhook_test_send(acting_user=None, partner_id=None, endpoint_id=endpoint.public_id)
    receiver.delay = 0.005
    workers = [Worker(threads=8, batch=10), Worker(threads=8, batch=10)]
    claimed: Counter[str] = Counter()

    def work(worker: Worker) -> None:
        try:
            while True:
                handled = worker.run_once()
                claimed[worker.name] += handled
                if not handled:
                    break
        finally:
            worker.close()
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == 200
    assert len(set(ids)) == 200  # none twice
    assert all(claimed[w.name] > 0 for w in workers)  # both took part
    assert WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count() == 200


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker_process(tmp_path: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEVCENTER_VAR_DIR": str(tmp_path),
        "DEVCENTER_WEBHOOK_LEASE_SECONDS": "3",
        "DEVCENTER_WEBHOOK_TIMEOUT_SECONDS": "10",
        "DJANGO_SETTINGS_MODULE": "devcenter.settings",
    }
    return subprocess.Popen(  # noqa: S603 (our own CLI)
        [*devcenter_command(), "worker", "--threads", "2"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_a_worker_killed_mid_delivery_delivers_again_after_restart(
    receiver: Any, tmp_path: Any
) -> None:
    endpoint = _platform_endpoint(receiver.url)
    receiver.answers = ["hang"]  # the first attempt never gets its answer
    delivery = webhook_test_send(acting_user=None, partner_id=None, endpoint_id=endpoint.public_id)
    first = _worker_process(tmp_path)
    try:
        receiver.wait_for(1, timeout=60)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # killed mid-delivery
        first.wait(timeout=10)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.leased_by  # still leased by the dead worker
    second = _worker_process(tmp_path)
    try:
        received = receiver.wait_for(2, timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.state == DeliveryState.DELIVERED:
                break
            time.sleep(0.2)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    assert [r.headers["webhook-id"] for r in received] == [delivery.event_id] * 2
    assert delivery.state == DeliveryState.DELIVERED
