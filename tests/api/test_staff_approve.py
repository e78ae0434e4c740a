"""POST /api/v1/staff/applications/{id}/approve."""

from devcenter.partners.models import Partner
from devcenter.reviews.services import application_confirm_identity
from tests.api.conftest import error_code, last_event


def test_approval_certifies_the_partner(staff, staff_user, in_review):
    application_confirm_identity(
        application_id=in_review.public_id, acting_user=staff_user, note="電話で確認"
    )

    response = staff.post(f"/staff/applications/{in_review.public_id}/approve")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    partner = Partner.objects.get(pk=in_review.partner_id)
    assert partner.partner_type == "corporate_certified"
    assert partner.platform_accounts.filter(kind="partner_account", emblem=True).exists()
    assert last_event().partner == partner.public_id


def test_without_identity_confirmation_is_409(staff, in_review):
    response = staff.post(f"/staff/applications/{in_review.public_id}/approve")

    assert response.status_code == 409
    assert error_code(response) == "identity_not_confirmed"


def test_developer_is_403(dev, in_review):
    response = dev.post(f"/staff/applications/{in_review.public_id}/approve")
    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
