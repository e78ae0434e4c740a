"""A registry write answers with `Devcenter-Snapshot`; `min_snapshot` then sees that write."""

from dataclasses import asdict

from devcenter.api_support.snapshot import HEADER
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_details, platform_user


def test_decision_after_registration_reads_the_write(application, client, transactional_db):
    # Given a developer who registers a corporate general partner through the registry API
    developer = ApiCaller(api_key(platform_user(), "developer"))
    response = developer.post("/partners/corporate-general", asdict(corporate_details()))
    assert response.status_code == 201
    written_at = int(response[HEADER])
    partner = response.json()["id"]

    # When a platform service asks about that partner at that snapshot
    reply = client.request(
        "POST",
        "/api/v1/decisions",
        json_body={
            "min_snapshot": written_at,
            "requests": [{"kind": "service", "partner": partner, "service": "page"}],
        },
    )

    # Then the answer already knows the new partner and says which snapshot it used
    assert reply.status == 200
    (decision,) = reply.body["decisions"]
    assert (decision["allowed"], decision["code"]) == (True, "allowed")
    assert decision["snapshot"] >= written_at


def test_failed_write_has_no_snapshot_header(transactional_db):
    developer = ApiCaller(api_key(platform_user(), "developer"))
    details = asdict(corporate_details())
    details["corporate_number"] = "1234567890123"
    response = developer.post("/partners/corporate-general", details)
    assert response.status_code == 422
    assert HEADER not in response
