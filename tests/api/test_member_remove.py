"""DELETE /api/v1/partners/{id}/members/{user_id}."""

from devcenter.partners.models import Membership
from devcenter.partners.services import member_add
from tests.api.conftest import error_code, last_event
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import platform_user


def _add(partner, developer, role="developer"):
    user = platform_user()
    member_add(partner_id=partner.public_id, email=user.email, role=role, acting_user=developer)
    return user


def test_owner_removes_a_member(dev, developer, general_partner):
    colleague = _add(general_partner, developer)

    response = dev.delete(f"/partners/{general_partner.public_id}/members/{colleague.pk}")

    assert response.status_code == 204
    assert not Membership.objects.filter(partner=general_partner, user=colleague).exists()
    event = last_event()
    assert event.event_type == "member.removed"
    assert event.partner == general_partner.public_id


def test_a_developer_member_may_leave(developer, general_partner):
    colleague = _add(general_partner, developer)
    caller = ApiCaller(api_key(colleague, "developer"))

    response = caller.delete(f"/partners/{general_partner.public_id}/members/{colleague.pk}")

    assert response.status_code == 204
    assert last_event().event_type == "member.removed"


def test_a_developer_member_may_not_remove_another(developer, general_partner):
    colleague = _add(general_partner, developer)
    caller = ApiCaller(api_key(colleague, "developer"))

    response = caller.delete(f"/partners/{general_partner.public_id}/members/{developer.pk}")

    assert response.status_code == 403
    assert error_code(response) == "not_an_owner"


def test_the_last_owner_stays(dev, developer, general_partner):
    response = dev.delete(f"/partners/{general_partner.public_id}/members/{developer.pk}")

    assert response.status_code == 409
    assert error_code(response) == "last_owner"
    assert Membership.objects.filter(partner=general_partner, user=developer).exists()


def test_an_owner_may_leave_when_another_owner_stays(dev, developer, general_partner):
    _add(general_partner, developer, role="owner")

    response = dev.delete(f"/partners/{general_partner.public_id}/members/{developer.pk}")

    assert response.status_code == 204


def test_unknown_member_is_404(dev, general_partner):
    response = dev.delete(f"/partners/{general_partner.public_id}/members/999999")

    assert response.status_code == 404
    assert error_code(response) == "not_a_member"


def test_stranger_gets_404(other_dev, developer, general_partner):
    response = other_dev.delete(f"/partners/{general_partner.public_id}/members/{developer.pk}")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_anonymous_gets_401(anonymous, developer, general_partner):
    response = anonymous.delete(f"/partners/{general_partner.public_id}/members/{developer.pk}")

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"
