"""GET /metrics: Prometheus text, open on loopback in development, else a `metrics` key."""

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.decision_plane.conftest import PlaneClient

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {"kind": "service", "partner_type": "individual", "service": "app_pc"}
ACTION = {
    "kind": "action",
    "action": "message.send",
    "actor": {"account": "user_account", "id": "u"},
    "target": {"type": "account", "account": "user_account", "id": "v"},
}


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(caller: PlaneClient):
    return caller.request("GET", "/metrics")


@pytest.fixture
def closed_metrics(application):
    """The application as in production: /metrics needs a key even from loopback."""
    plane = getattr(application, "inner", application)  # behind the front door
    plane.metrics_open_on_loopback = False
    yield application
    plane.metrics_open_on_loopback = True


def test_metrics_count_calls_kinds_and_latency(application, client):
    before = samples(scrape(PlaneClient(application)).body["_text"])
    client.decide(GOOD, GOOD, ACTION)
    client.decide({"kind": "weather"})
    reply = scrape(PlaneClient(application))
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    after = samples(reply.body["_text"])

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("devcenter_decision_calls_total", outcome="answered") == 1
    assert grew("devcenter_decision_calls_total", outcome="invalid_request") == 1
    assert grew("devcenter_decisions_total", kind="service") == 2
    assert grew("devcenter_decisions_total", kind="action") == 1
    assert grew("devcenter_decision_seconds_count") == 2
    assert grew("devcenter_decision_seconds_bucket", le="+Inf") == 2
    assert after[("devcenter_ready", ())] == 1
    assert after[("devcenter_snapshot_sequence", ())] >= 0
    assert ("devcenter_snapshot_age_seconds", ()) in after
    assert re.search(r"^# TYPE devcenter_database_errors_total counter$", reply.body["_text"], re.M)


def test_metrics_need_a_metrics_key_outside_development(closed_metrics, decisions_key):
    from devcenter.apikeys.services import apikey_create

    anonymous = scrape(PlaneClient(closed_metrics))
    assert (anonymous.status, anonymous.body["code"]) == (401, "unauthorized")
    wrong = scrape(PlaneClient(closed_metrics, decisions_key))
    assert (wrong.status, wrong.body["code"]) == (403, "insufficient_scope")
    _, metrics_key = apikey_create(name="prometheus", scope="metrics")
    assert scrape(PlaneClient(closed_metrics, metrics_key)).status == 200


def test_metrics_key_cannot_ask_for_decisions(application, transactional_db):
    from devcenter.apikeys.services import apikey_create

    _, metrics_key = apikey_create(name="prometheus", scope="metrics")
    reply = PlaneClient(application, metrics_key).decide(GOOD)
    assert (reply.status, reply.body["code"]) == (403, "insufficient_scope")
