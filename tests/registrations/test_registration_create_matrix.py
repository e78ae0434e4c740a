"""POST /partners/{id}/registrations for every registrable service and every partner type:
allowed by the policy's matrix -> 201 (audited); refused -> 409 with the policy's code, reason
and unlock paths, and nothing written."""

from __future__ import annotations

import pytest

from devcenter.policy import default_policy
from devcenter.registrations.models import Registration
from tests.registrations.conftest import audit_events, code_of
from tests.registrations.factories import caller_for, partner_of_type, platform_user, valid_fields

POLICY = default_policy()
CASES = [
    (partner_type, service)
    for partner_type in POLICY.partner_types
    for service in POLICY.registrations.services()
]


@pytest.mark.django_db
@pytest.mark.parametrize(("partner_type", "service"), CASES)
def test_registering_follows_the_matrix(partner_type, service):
    owner = platform_user()
    partner = partner_of_type(partner_type, owner)
    caller = caller_for(owner)
    page = "reg_nopage"
    if service == "page_app" and POLICY.decide_service(partner_type, service).allowed:
        made = caller.post(
            f"/partners/{partner.public_id}/registrations",
            {"service": "page", "name": "公式ページ", **valid_fields("page")},
        )
        page = made.json()["id"]
    before = Registration.objects.count()

    response = caller.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": service, "name": "サンプル", **valid_fields(service, page=page)},
    )

    expected = POLICY.decide_service(partner_type, service)
    if expected.allowed:
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["id"].startswith("reg_")
        assert (body["service"], body["status"]) == (service, "in_development")
        [event] = audit_events("registration.created", body["id"])
        assert event.partner == partner.public_id
    else:
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == expected.code
        assert body["reason"] == expected.reason.as_dict()
        assert body["unlockable"] == expected.unlockable
        assert body["unlock"] == expected.as_dict()["unlock"]
        assert Registration.objects.count() == before
        assert not Registration.objects.filter(partner=partner, service=service).exists()
        created = [e for e in audit_events("registration.created") if e.new["service"] == service]
        assert not [e for e in created if e.partner == partner.public_id]


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["openid", "simplepost", "payment_program", "nope"])
def test_a_service_that_is_not_registered_is_refused(dev, certified_partner, service):
    response = dev.post(
        f"/partners/{certified_partner.public_id}/registrations", {"service": service, "name": "x"}
    )

    assert response.status_code == 422
    assert (code_of(response), response.json()["field"]) == ("service_not_registrable", "service")


@pytest.mark.django_db
def test_a_stranger_gets_404(other_dev, certified_partner):
    response = other_dev.post(
        f"/partners/{certified_partner.public_id}/registrations",
        {"service": "page", "name": "x"},
    )

    assert response.status_code == 404
    assert code_of(response) == "partner_not_found"


@pytest.mark.django_db
def test_a_suspended_partner_registers_nothing(dev, certified_partner, staff_user):
    from devcenter.partners.services import partner_suspend

    partner_suspend(partner_id=certified_partner.public_id, actor="system", reason="test")

    response = dev.post(
        f"/partners/{certified_partner.public_id}/registrations",
        {"service": "page", "name": "x"},
    )

    assert response.status_code == 409
    assert code_of(response) == "partner_suspended"


@pytest.mark.django_db
def test_an_unknown_field_is_refused_naming_it(dev, certified_partner):
    response = dev.post(
        f"/partners/{certified_partner.public_id}/registrations",
        {"service": "page", "name": "x", "gadget_xml_url": "https://example.com/g.xml"},
    )

    assert response.status_code == 422
    assert (code_of(response), response.json()["field"]) == ("unknown_field", "gadget_xml_url")


@pytest.mark.django_db
def test_a_missing_required_field_is_refused_naming_it(dev, certified_partner):
    response = dev.post(
        f"/partners/{certified_partner.public_id}/registrations",
        {"service": "app_pc", "name": "x"},
    )

    assert response.status_code == 422
    assert code_of(response) == "invalid_service_field"
    assert response.json()["field"] == "gadget_xml_url"


@pytest.mark.django_db
def test_the_list_shows_the_partner_s_registrations(dev, certified_partner):
    for name in ("一つ目", "二つ目"):
        dev.post(
            f"/partners/{certified_partner.public_id}/registrations",
            {"service": "page", "name": name},
        )

    response = dev.get(f"/partners/{certified_partner.public_id}/registrations")

    assert response.status_code == 200
    assert [r["name"] for r in response.json()] == ["一つ目", "二つ目"]


@pytest.mark.django_db
def test_an_edit_is_audited_with_what_changed(dev, certified_partner):
    reg = dev.post(
        f"/partners/{certified_partner.public_id}/registrations",
        {"service": "app_pc", "name": "旧名", **valid_fields("app_pc")},
    ).json()["id"]

    response = dev.patch(
        f"/registrations/{reg}", {"name": "新名", "gadget_xml_url": "https://x.example/g.xml"}
    )

    assert response.status_code == 200
    assert response.json()["fields"] == {"gadget_xml_url": "https://x.example/g.xml"}
    [event] = audit_events("registration.updated", reg)
    assert (event.old["name"], event.new["name"]) == ("旧名", "新名")
    assert event.new["fields"] == ["gadget_xml_url"]
