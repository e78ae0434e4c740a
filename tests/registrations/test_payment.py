"""Payment program enrolment: certified partners only (the policy's matrix); a business plan
reviewed by staff; payment enabled only once approved."""

from __future__ import annotations

import pytest

from devcenter.policy import default_policy
from tests.registrations.conftest import audit_events, code_of
from tests.registrations.factories import caller_for, partner_of_type, platform_user, valid_fields

pytestmark = pytest.mark.django_db
PLAN = {"business_plan": "アイテム課金のRPG。月商見込み100万円。"}


def _app(caller, partner, service="app_pc"):
    response = caller.post(
        f"/partners/{partner.public_id}/registrations",
        {"service": service, "name": "RPG", **valid_fields(service)},
    )
    return response.json()["id"]


def test_approved_plan_enables_payment(dev, staff, certified_partner):
    app = _app(dev, certified_partner)

    submitted = dev.post(f"/registrations/{app}/payment", PLAN)
    assert submitted.status_code == 201
    payment = submitted.json()["id"]
    assert dev.get(f"/registrations/{app}").json()["payment_enabled"] is False
    [queued] = staff.get("/staff/payment-enrolments").json()
    assert (queued["id"], queued["app_name"], queued["service"]) == (payment, "RPG", "app_pc")
    assert queued["partner"] == certified_partner.public_id
    assert queued["age_seconds"] >= 0
    bad = staff.get("/staff/payment-enrolments", status="nope")
    assert (bad.status_code, bad.json()["field"]) == (422, "status")
    twice = dev.post(f"/registrations/{app}/payment", PLAN)
    assert (twice.status_code, code_of(twice)) == (409, "payment_already_open")

    approved = staff.post(f"/staff/payment-enrolments/{payment}/approve")

    assert approved.json()["status"] == "approved"
    assert dev.get(f"/registrations/{app}").json()["payment_enabled"] is True
    assert [e.event_type for e in audit_events("payment.submitted", payment)] == [
        "payment.submitted"
    ]
    [event] = audit_events("payment.approved", payment)
    assert event.new["registration"] == app
    again = staff.post(f"/staff/payment-enrolments/{payment}/approve")
    assert (again.status_code, code_of(again)) == (409, "payment_not_submitted")


def test_a_rejected_plan_says_why(dev, staff, certified_partner):
    app = _app(dev, certified_partner)
    payment = dev.post(f"/registrations/{app}/payment", PLAN).json()["id"]

    rejected = staff.post(
        f"/staff/payment-enrolments/{payment}/reject",
        {"reason_ja": "計画が不十分です", "reason_en": "The plan is incomplete"},
    )

    assert rejected.json()["reason_en"] == "The plan is incomplete"
    assert dev.get(f"/registrations/{app}").json()["payment_enabled"] is False
    assert len(audit_events("payment.rejected", payment)) == 1


@pytest.mark.parametrize("partner_type", ["individual", "individual_card"])
def test_only_certified_partners_enrol_with_the_policy_s_decision(partner_type):
    owner = platform_user()
    partner = partner_of_type(partner_type, owner)
    caller = caller_for(owner)
    app = _app(caller, partner)

    response = caller.post(f"/registrations/{app}/payment", PLAN)

    expected = default_policy().decide_service(partner_type, "payment_program")
    assert response.status_code == 409
    assert response.json()["code"] == expected.code
    assert response.json()["unlockable"] is expected.unlockable
    assert not audit_events("payment.submitted")


def test_a_service_with_no_payment_is_refused(dev, certified_partner):
    page = _app(dev, certified_partner, "page")

    response = dev.post(f"/registrations/{page}/payment", PLAN)

    assert (response.status_code, code_of(response)) == (409, "payment_not_applicable")
