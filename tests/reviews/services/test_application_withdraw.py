"""application_withdraw: an open application is withdrawn by a member of the partner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, NotFoundError
from devcenter.partners.models import MemberRole
from devcenter.reviews.services import application_withdraw
from tests.reviews.factories import MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["submitted", "in_review", "needs_info"])
def test_an_open_application_is_withdrawn(
    status: str, make_application: Callable[..., Any], owner: Any
) -> None:
    application = make_application(status)

    application = application_withdraw(acting_user=owner, application_id=application.public_id)

    assert application.status == "withdrawn"
    assert application.decided_at is not None
    event = AuditEvent.objects.get(event_type="application.withdrawn")
    assert (event.old, event.new) == (
        {"status": status},
        {"status": "withdrawn", "kind": "upgrade"},
    )
    assert event.actor == f"user:{owner.pk}"


def test_a_developer_member_may_withdraw(
    make_application: Callable[..., Any], partner: Any
) -> None:
    application = make_application()
    developer = MembershipFactory(partner=partner, role=MemberRole.DEVELOPER).user

    assert application_withdraw(
        acting_user=developer, application_id=application.public_id
    ).status == ("withdrawn")


@pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
def test_a_decided_application_is_not_withdrawn(
    status: str,
    make_application: Callable[..., Any],
    owner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application(status)
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        application_withdraw(acting_user=owner, application_id=application.public_id)

    # The policy refuses first: nothing awaits a decision.
    assert refused.value.code == "no_open_application"
    assert registry_state() == before


@pytest.mark.parametrize("who", ["stranger", "member_of_other", "staff", "unknown_id"])
def test_only_members_withdraw(
    who: str,
    make_application: Callable[..., Any],
    owner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    application = make_application()
    user, application_id = {
        "stranger": (UserFactory(), application.public_id),
        "member_of_other": (MembershipFactory().user, application.public_id),
        "staff": (StaffFactory(), application.public_id),
        "unknown_id": (owner, "apl_doesnotexist"),
    }[who]
    before = registry_state()

    with pytest.raises(NotFoundError) as refused:
        application_withdraw(acting_user=user, application_id=application_id)

    assert refused.value.code == "application_not_found"
    assert registry_state() == before
