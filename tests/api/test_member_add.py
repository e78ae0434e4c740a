"""POST /api/v1/partners/{id}/members."""

from devcenter.partners.models import Membership
from devcenter.partners.services import member_add
from tests.api.conftest import error_code, last_event
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import platform_user


def test_owner_adds_a_developer(dev, developer, general_partner):
    colleague = platform_user()

    response = dev.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": colleague.email, "role": "developer"},
    )

    assert response.status_code == 201
    assert response.json()["user_id"] == colleague.pk
    assert response.json()["email"] == colleague.email
    assert response.json()["role"] == "developer"
    assert Membership.objects.get(partner=general_partner, user=colleague).role == "developer"
    event = last_event()
    assert event.event_type == "member.added"
    assert event.partner == general_partner.public_id


def test_anonymous_gets_401(anonymous, general_partner):
    response = anonymous.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": "x@example.com", "role": "developer"},
    )

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_stranger_gets_404(other_dev, general_partner):
    response = other_dev.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": platform_user().email, "role": "developer"},
    )

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"


def test_developer_member_is_not_an_owner(developer, general_partner):
    colleague = platform_user()
    member_add(
        partner_id=general_partner.public_id,
        email=colleague.email,
        role="developer",
        acting_user=developer,
    )
    caller = ApiCaller(api_key(colleague, "developer"))

    response = caller.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": platform_user().email, "role": "developer"},
    )

    assert response.status_code == 403
    assert error_code(response) == "not_an_owner"


def test_an_individual_has_a_single_member(dev, individual):
    response = dev.post(
        f"/partners/{individual.public_id}/members",
        {"email": platform_user().email, "role": "developer"},
    )

    assert response.status_code == 409
    assert error_code(response) == "individual_single_member"


def test_already_a_member_is_409(dev, developer, general_partner):
    response = dev.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": developer.email, "role": "developer"},
    )

    assert response.status_code == 409
    assert error_code(response) == "already_member"


def test_unknown_email_is_404_naming_the_field(dev, general_partner):
    response = dev.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": "nobody@example.com", "role": "developer"},
    )

    assert response.status_code == 404
    assert error_code(response) == "user_not_found"
    assert response.json()["field"] == "email"


def test_invalid_role_is_422_naming_the_field(dev, general_partner):
    response = dev.post(
        f"/partners/{general_partner.public_id}/members",
        {"email": platform_user().email, "role": "admin"},
    )

    assert response.status_code == 422
    assert error_code(response) == "invalid_role"
    assert response.json()["field"] == "role"


def test_replay_with_the_same_key_adds_one_member(dev, general_partner):
    path = f"/partners/{general_partner.public_id}/members"
    body = {"email": platform_user().email, "role": "owner"}

    first = dev.post(path, body, key="member-1")
    again = dev.post(path, body, key="member-1")

    assert first.status_code == 201
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Membership.objects.filter(partner=general_partner).count() == 2
