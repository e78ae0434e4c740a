"""POST /api/v1/partners/corporate-general."""

from dataclasses import asdict

from devcenter.partners.models import Partner
from tests.api.conftest import error_code, last_event
from tests.partners.factories import corporate_details


def test_registers_a_general_partner_owned_by_the_caller(dev, developer):
    response = dev.post("/partners/corporate-general", asdict(corporate_details()))

    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("ptn_")
    assert body["partner_type"] == "corporate_general"
    partner = Partner.objects.get(public_id=body["id"])
    assert partner.memberships.get().user == developer
    assert last_event().event_type in {"partner.registered", "account.created", "member.added"}
    assert Partner.objects.count() == 1


def test_wrong_check_digit_is_422_naming_the_field_and_writes_nothing(dev):
    details = asdict(corporate_details())
    details["corporate_number"] = (
        str((int(details["corporate_number"][0]) + 1) % 10) + details["corporate_number"][1:]
    )

    response = dev.post("/partners/corporate-general", details)

    assert response.status_code == 422
    assert error_code(response) == "corporate_number_check_digit"
    assert response.json()["field"] == "corporate_number"
    assert not Partner.objects.exists()


def test_missing_field_is_invalid_field(dev):
    details = asdict(corporate_details())
    del details["legal_name"]

    response = dev.post("/partners/corporate-general", details)

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_field",
        "message": "入力が正しくありません。",
        "field": "legal_name",
    }


def test_general_registration_does_not_need_legal_registration(dev):
    """Spec §4: only certification needs 法人登記; a general partner is issued at once."""
    response = dev.post(
        "/partners/corporate-general", asdict(corporate_details(legal_entity_registered=False))
    )

    assert response.status_code == 201


def test_without_credentials_is_401(anonymous):
    response = anonymous.post("/partners/corporate-general", asdict(corporate_details()))

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_same_idempotency_key_and_body_replays_the_first_answer(dev):
    details = asdict(corporate_details())

    first = dev.post("/partners/corporate-general", details, key="reg-1")
    again = dev.post("/partners/corporate-general", details, key="reg-1")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Partner.objects.count() == 1


def test_same_idempotency_key_with_another_body_is_409(dev):
    dev.post("/partners/corporate-general", asdict(corporate_details()), key="reg-2")

    response = dev.post("/partners/corporate-general", asdict(corporate_details()), key="reg-2")

    assert response.status_code == 409
    assert error_code(response) == "idempotency_key_reused"
    assert Partner.objects.count() == 1
