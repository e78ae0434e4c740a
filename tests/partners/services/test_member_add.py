"""member_add: owners (and staff) add platform users to corporate partners."""

from __future__ import annotations

import pytest

from devcenter.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError
from devcenter.partners.models import MemberRole
from devcenter.partners.services import member_add
from tests.partners.factories import (
    UserFactory,
    corporate_general_partner,
    individual_partner,
    platform_user,
)

pytestmark = pytest.mark.django_db


def test_an_owner_adds_a_developer(last_event) -> None:
    owner, developer = platform_user(), platform_user()
    partner = corporate_general_partner(user=owner)
    membership = member_add(
        partner_id=partner.public_id,
        email=developer.email.upper(),
        role="developer",
        acting_user=owner,
    )
    assert (membership.user, membership.role) == (developer, MemberRole.DEVELOPER)
    event = last_event()
    assert (event.event_type, event.actor, event.partner) == (
        "member.added",
        f"user:{owner.pk}",
        partner.public_id,
    )
    assert event.new == {"user": developer.pk, "role": "developer"}


def test_staff_add_a_member_only_through_the_staff_console() -> None:
    partner = corporate_general_partner()
    staff, user = platform_user(is_staff=True), platform_user()
    with pytest.raises(NotFoundError) as refused:
        member_add(partner_id=partner.public_id, email=user.email, role="owner", acting_user=staff)
    assert refused.value.code == "partner_not_found"
    member_add(
        partner_id=partner.public_id,
        email=user.email,
        role="owner",
        acting_user=staff,
        as_staff=True,
    )
    assert partner.memberships.filter(user=user, role="owner").exists()


def _refusal(partner_id: str, email: str, role: str, by, row_counts) -> Exception:
    before = row_counts()
    with pytest.raises((ConflictError, ForbiddenError, InvalidError, NotFoundError)) as refused:
        member_add(partner_id=partner_id, email=email, role=role, acting_user=by)
    assert row_counts() == before
    return refused.value


def test_refusals_write_nothing(row_counts) -> None:
    owner, developer, outsider = platform_user(), platform_user(), platform_user()
    partner = corporate_general_partner(user=owner)
    member_add(
        partner_id=partner.public_id, email=developer.email, role="developer", acting_user=owner
    )
    pid = partner.public_id
    cases = [
        (pid, outsider.email, "boss", owner, InvalidError, "invalid_role"),
        (pid, outsider.email, "developer", developer, ForbiddenError, "not_an_owner"),
        (pid, developer.email, "developer", outsider, NotFoundError, "partner_not_found"),
        ("ptn_missing", outsider.email, "developer", owner, NotFoundError, "partner_not_found"),
        (pid, "nobody@example.com", "developer", owner, NotFoundError, "user_not_found"),
        (pid, UserFactory().email, "developer", owner, NotFoundError, "user_not_found"),
        (pid, developer.email, "developer", owner, ConflictError, "already_member"),
    ]
    for partner_id, email, role, by, kind, code in cases:
        error = _refusal(partner_id, email, role, by, row_counts)
        assert isinstance(error, kind), code
        assert error.code == code


def test_an_individual_partner_has_only_its_user(row_counts) -> None:
    owner = platform_user()
    partner = individual_partner(user=owner)
    error = _refusal(partner.public_id, platform_user().email, "developer", owner, row_counts)
    assert error.code == "individual_single_member"


def test_the_new_member_gets_an_e_mail_in_both_languages(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    owner, developer = platform_user(), platform_user()
    partner = corporate_general_partner(user=owner)

    with django_capture_on_commit_callbacks(execute=True):
        member_add(
            partner_id=partner.public_id, email=developer.email, role="developer", acting_user=owner
        )

    [mail] = mailoutbox
    assert mail.to == [developer.email]
    assert "メンバーに追加されました" in mail.subject
    assert "added to a partner" in mail.subject
    assert f"{partner.registration_name} に開発者として" in mail.body
    assert "with the role “Developer”" in mail.body
    assert f"http://127.0.0.1:8000/partners/{partner.public_id}/" in mail.body  # absolute
    assert mail.subject.startswith("[mixi Developer Center] ")
    [(html, _kind)] = mail.alternatives
    assert f'href="http://127.0.0.1:8000/partners/{partner.public_id}/"' in html


def test_a_refused_addition_sends_nothing(mailoutbox, django_capture_on_commit_callbacks) -> None:
    owner = platform_user()
    partner = corporate_general_partner(user=owner)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictError):
        member_add(
            partner_id=partner.public_id, email=owner.email, role="developer", acting_user=owner
        )

    assert mailoutbox == []
