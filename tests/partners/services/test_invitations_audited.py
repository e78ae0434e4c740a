"""Invitations are audited when sent, sent again and cancelled, with the partner set and without
the invited address (the audit log holds no e-mail addresses: a member is `user:<id>`)."""

from __future__ import annotations

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import NotFoundError
from devcenter.partners.invitations import invitation_cancel, invitation_create, invitation_resend
from tests.partners.factories import corporate_general_partner, platform_user

pytestmark = pytest.mark.django_db

ADDRESS = "invitee-private@example.com"


def _events(partner_id: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(partner=partner_id, target_type="invitation").order_by("sequence")
    )


def _no_address(event: AuditEvent) -> None:
    assert "invitee-private" not in f"{event.old} {event.new} {event.target_id} {event.actor}"


def test_sending_is_audited_with_the_partner_and_the_role() -> None:
    owner = platform_user()
    partner = corporate_general_partner(user=owner)

    invitation = invitation_create(
        partner_id=partner.public_id, email=ADDRESS, role="developer", acting_user=owner
    )

    [event] = _events(partner.public_id)
    assert (event.event_type, event.target_id, event.actor) == (
        "invitation.sent",
        invitation.public_id,
        f"user:{owner.pk}",
    )
    assert (event.new["role"], event.new["status"]) == ("developer", "pending")
    _no_address(event)


def test_resending_and_cancelling_are_audited() -> None:
    owner = platform_user()
    partner = corporate_general_partner(user=owner)
    invitation = invitation_create(
        partner_id=partner.public_id, email=ADDRESS, role="owner", acting_user=owner
    )

    invitation_resend(
        partner_id=partner.public_id, invitation_id=invitation.public_id, acting_user=owner
    )
    invitation_cancel(
        partner_id=partner.public_id, invitation_id=invitation.public_id, acting_user=owner
    )

    events = _events(partner.public_id)
    assert [e.event_type for e in events] == [
        "invitation.sent",
        "invitation.resent",
        "invitation.cancelled",
    ]
    assert {e.target_id for e in events} == {invitation.public_id}
    assert events[-1].new["status"] == "cancelled"
    for event in events:
        _no_address(event)


def test_inviting_the_same_address_again_cancels_the_first_invitation_audited() -> None:
    owner = platform_user()
    partner = corporate_general_partner(user=owner)
    first = invitation_create(
        partner_id=partner.public_id, email=ADDRESS, role="developer", acting_user=owner
    )

    second = invitation_create(
        partner_id=partner.public_id, email=ADDRESS.upper(), role="owner", acting_user=owner
    )

    events = _events(partner.public_id)
    assert [(e.event_type, e.target_id) for e in events] == [
        ("invitation.sent", first.public_id),
        ("invitation.cancelled", first.public_id),
        ("invitation.sent", second.public_id),
    ]
    assert events[1].new["replaced_by"] == second.public_id


def test_a_refused_invitation_records_nothing() -> None:
    owner, stranger = platform_user(), platform_user()
    partner = corporate_general_partner(user=owner)

    with pytest.raises(NotFoundError) as refused:
        invitation_create(
            partner_id=partner.public_id, email=ADDRESS, role="developer", acting_user=stranger
        )

    assert refused.value.code == "partner_not_found"
    assert _events(partner.public_id) == []
