"""GET /api/v1/partners/{id}/entitlements."""

from devcenter.policy import default_policy
from tests.api.conftest import error_code


def test_every_service_and_account_with_todays_decision(dev, general_partner):
    response = dev.get(f"/partners/{general_partner.public_id}/entitlements")

    assert response.status_code == 200
    body = response.json()
    policy = default_policy()
    assert body["partner"] == general_partner.public_id
    assert body["partner_type"] == "corporate_general"
    assert set(body["services"]) == set(policy.services)
    assert set(body["accounts"]) == set(policy.accounts)
    for service, decision in body["services"].items():
        assert decision == policy.decide_service("corporate_general", service).as_dict()


def test_a_locked_service_names_its_unlock_path(dev, individual):
    body = dev.get(f"/partners/{individual.public_id}/entitlements").json()

    locked = [d for d in body["services"].values() if not d["allowed"] and d["unlock"]]
    assert locked
    assert all(path and path[0]["step"] for d in locked for path in d["unlock"])


def test_non_member_gets_404(other_dev, general_partner):
    response = other_dev.get(f"/partners/{general_partner.public_id}/entitlements")
    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"
