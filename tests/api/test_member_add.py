"""POST /api/v1/partners/{id}/members: an owner invites an e-mail address.

The answer never tells whether the address has an account: a known and an unknown address get
the same status, the same shape and the same e-mail.
"""

from typing import Any

import pytest

from devcenter.partners.models import Invitation, Membership
from devcenter.partners.services import member_add
from tests.api.conftest import error_code, last_event
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import platform_user


def _invite(dev: ApiCaller, partner: Any, email: str, role: str = "developer", **kw: Any) -> Any:
    return dev.post(f"/partners/{partner.public_id}/members", {"email": email, "role": role}, **kw)


def test_owner_invites_a_developer_who_is_not_a_member_yet(
    dev, general_partner, django_capture_on_commit_callbacks, mailoutbox
):
    colleague = platform_user()

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(dev, general_partner, colleague.email)

    assert response.status_code == 202
    body = response.json()
    assert body["invitation_id"].startswith("inv_")
    assert (body["email"], body["role"], body["status"]) == (
        colleague.email,
        "developer",
        "pending",
    )
    assert not Membership.objects.filter(partner=general_partner, user=colleague).exists()
    assert [m.to for m in mailoutbox] == [[colleague.email]]
    event = last_event()
    assert (event.event_type, event.target_type) == ("invitation.sent", "invitation")
    assert event.target_id == body["invitation_id"]
    assert event.partner == general_partner.public_id


def test_known_and_unknown_addresses_get_the_same_answer(
    dev, general_partner, django_capture_on_commit_callbacks, mailoutbox
):
    known = platform_user().email
    unknown = "nobody-here@example.com"

    with django_capture_on_commit_callbacks(execute=True):
        answers = [_invite(dev, general_partner, email) for email in (known, unknown)]

    assert [a.status_code for a in answers] == [202, 202]
    shapes = [
        {k: v for k, v in a.json().items() if k not in ("invitation_id", "email")} for a in answers
    ]
    assert shapes[0].keys() == shapes[1].keys()
    assert (shapes[0]["role"], shapes[0]["status"]) == (shapes[1]["role"], shapes[1]["status"])
    assert [a.json()["email"] for a in answers] == [known, unknown]
    assert [m.to for m in mailoutbox] == [[known], [unknown]]
    assert mailoutbox[0].subject == mailoutbox[1].subject


def test_the_audit_event_of_an_invitation_holds_no_address(dev, general_partner):
    response = _invite(dev, general_partner, "secret-person@example.com")

    event = last_event()
    assert event.event_type == "invitation.sent"
    assert "secret-person" not in str(event.new) + str(event.old) + event.target_id
    assert event.new["role"] == "developer"
    assert response.json()["invitation_id"] == event.target_id


def test_anonymous_gets_401(anonymous, general_partner):
    response = _invite(anonymous, general_partner, "x@example.com")

    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_stranger_gets_404(other_dev, general_partner):
    response = _invite(other_dev, general_partner, platform_user().email)

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

    response = _invite(caller, general_partner, platform_user().email)

    assert response.status_code == 403
    assert error_code(response) == "not_an_owner"
    assert not Invitation.objects.exists()


def test_an_individual_has_a_single_member(dev, individual):
    response = _invite(dev, individual, platform_user().email)

    assert response.status_code == 409
    assert error_code(response) == "individual_single_member"


def test_already_a_member_is_409(dev, developer, general_partner):
    response = _invite(dev, general_partner, developer.email)

    assert response.status_code == 409
    assert error_code(response) == "already_member"


@pytest.mark.parametrize("email", ["not-an-address", "a@", ""])
def test_a_malformed_address_is_422_naming_the_field(dev, general_partner, email):
    response = _invite(dev, general_partner, email)

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "email"


def test_invalid_role_is_422_naming_the_field(dev, general_partner):
    response = _invite(dev, general_partner, platform_user().email, role="admin")

    assert response.status_code == 422
    assert error_code(response) == "invalid_role"
    assert response.json()["field"] == "role"


def test_replay_with_the_same_key_sends_one_invitation(dev, general_partner):
    email = platform_user().email

    first = _invite(dev, general_partner, email, role="owner", key="member-1")
    again = _invite(dev, general_partner, email, role="owner", key="member-1")

    assert first.status_code == 202
    assert again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Invitation.objects.filter(partner=general_partner).count() == 1
