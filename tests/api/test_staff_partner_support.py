"""Staff partner support: read, history, suspend, restore, add and remove members, documents.

Each change needs a reason and is audited with it; staff act on a partner here, never
through the developer endpoints.
"""

import pytest

from devcenter.partners.models import Membership
from tests.api.conftest import error_code, last_event
from tests.partners.factories import platform_user


def test_staff_read_any_partner_its_members_and_history(staff, general_partner):
    pid = general_partner.public_id

    detail = staff.get(f"/staff/partners/{pid}")
    members = staff.get(f"/staff/partners/{pid}/members")
    history = staff.get(f"/staff/partners/{pid}/history")

    assert detail.status_code == members.status_code == history.status_code == 200
    assert detail.json()["id"] == pid
    assert len(members.json()) == 1
    assert history.json()[0]["event_type"] == "partner.registered"


def test_unknown_partner_is_404(staff):
    response = staff.get("/staff/partners/ptn_nope")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_suspend_with_a_reason_is_audited_with_it(staff, staff_user, general_partner):
    response = staff.post(
        f"/staff/partners/{general_partner.public_id}/suspend", {"reason": "規約違反の調査"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    event = last_event()
    assert event.event_type == "partner.suspended"
    assert event.actor == f"user:{staff_user.pk}"
    assert event.new["reason"] == "規約違反の調査"


def test_restore_with_a_reason(staff, general_partner):
    pid = general_partner.public_id
    staff.post(f"/staff/partners/{pid}/suspend", {"reason": "調査"})

    response = staff.post(f"/staff/partners/{pid}/restore", {"reason": "解決済み"})

    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert last_event().event_type == "partner.restored"
    assert last_event().new["reason"] == "解決済み"


def test_restore_of_an_active_partner_is_409_not_suspended(staff, general_partner):
    response = staff.post(f"/staff/partners/{general_partner.public_id}/restore", {"reason": "x"})

    assert response.status_code == 409
    assert error_code(response) == "not_suspended"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_change_without_a_reason_is_422(staff, general_partner, reason):
    body = {} if reason is None else {"reason": reason}

    response = staff.post(f"/staff/partners/{general_partner.public_id}/suspend", body)

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "reason"
    general_partner.refresh_from_db()
    assert general_partner.status == "active"


def test_staff_add_a_member_with_a_reason(staff, staff_user, general_partner):
    user = platform_user()

    response = staff.post(
        f"/staff/partners/{general_partner.public_id}/members",
        {"email": user.email, "role": "owner", "reason": "前任者の退職"},
    )

    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    assert Membership.objects.filter(partner=general_partner, user=user, role="owner").exists()
    event = last_event()
    assert event.event_type == "member.added"
    assert event.actor == f"user:{staff_user.pk}"
    assert event.new == {"user": user.pk, "role": "owner", "reason": "前任者の退職"}


def test_staff_add_an_unknown_role_is_422_invalid_role(staff, general_partner):
    response = staff.post(
        f"/staff/partners/{general_partner.public_id}/members",
        {"email": platform_user().email, "role": "admin", "reason": "r"},
    )

    assert response.status_code == 422
    assert error_code(response) == "invalid_role"


def test_staff_remove_a_member_with_a_reason(staff, general_partner):
    user = platform_user()
    Membership.objects.create(partner=general_partner, user=user, role="developer")

    response = staff.client.delete(
        f"/api/v1/staff/partners/{general_partner.public_id}/members/{user.pk}",
        {"reason": "本人の依頼"},
        content_type="application/json",
        headers=staff.headers,
    )

    assert response.status_code == 204
    assert not Membership.objects.filter(partner=general_partner, user=user).exists()
    event = last_event()
    assert event.event_type == "member.removed"
    assert event.new == {"reason": "本人の依頼"}


def test_staff_cannot_remove_the_last_owner(staff, general_partner, developer):
    response = staff.client.delete(
        f"/api/v1/staff/partners/{general_partner.public_id}/members/{developer.pk}",
        {"reason": "r"},
        content_type="application/json",
        headers=staff.headers,
    )

    assert response.status_code == 409
    assert error_code(response) == "last_owner"


def test_staff_open_documents_through_the_staff_api(staff, submitted):
    document = submitted.documents.get(kind="registry_certificate")

    detail = staff.get(f"/staff/applications/{submitted.public_id}")
    url = next(
        d["download_url"] for d in detail.json()["documents"] if d["id"] == document.public_id
    )
    response = staff.client.get(url, headers=staff.headers)

    assert url == f"/api/v1/staff/documents/{document.public_id}"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_developer_key_cannot_use_partner_support(dev, general_partner):
    response = dev.post(f"/staff/partners/{general_partner.public_id}/suspend", {"reason": "x"})

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
