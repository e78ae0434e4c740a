"""GET /api/v1/partners/{id}/members."""

from devcenter.partners.services import member_add
from tests.api.conftest import error_code
from tests.partners.factories import platform_user


def test_lists_the_members_oldest_first(dev, developer, general_partner):
    colleague = platform_user()
    member_add(
        partner_id=general_partner.public_id,
        email=colleague.email,
        role="developer",
        acting_user=developer,
    )

    response = dev.get(f"/partners/{general_partner.public_id}/members")

    assert response.status_code == 200
    members = response.json()
    assert [(m["user_id"], m["email"], m["role"]) for m in members] == [
        (developer.pk, developer.email, "owner"),
        (colleague.pk, colleague.email, "developer"),
    ]
    assert all(m["since"] for m in members)


def test_staff_are_no_members_on_the_developer_endpoint(staff, general_partner):
    response = staff.get(f"/partners/{general_partner.public_id}/members")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_stranger_gets_404(other_dev, general_partner):
    response = other_dev.get(f"/partners/{general_partner.public_id}/members")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_anonymous_gets_401(anonymous, general_partner):
    response = anonymous.get(f"/partners/{general_partner.public_id}/members")

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"
