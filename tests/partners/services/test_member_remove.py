"""member_remove: owners remove members, members leave, the last owner stays."""

from __future__ import annotations

import pytest

from devcenter.errors import ConflictError, ForbiddenError, NotFoundError
from devcenter.partners.services import member_add, member_remove
from tests.partners.factories import corporate_general_partner, platform_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    owner, developer, other = platform_user(), platform_user(), platform_user()
    partner = corporate_general_partner(user=owner)
    for user in (developer, other):
        member_add(
            partner_id=partner.public_id, email=user.email, role="developer", acting_user=owner
        )
    return partner, owner, developer, other


def test_an_owner_removes_a_member(team, last_event) -> None:
    partner, owner, developer, _ = team
    member_remove(partner_id=partner.public_id, user_id=developer.pk, acting_user=owner)
    assert not partner.memberships.filter(user=developer).exists()
    event = last_event()
    assert (event.event_type, event.actor) == ("member.removed", f"user:{owner.pk}")
    assert event.old == {"user": developer.pk, "role": "developer"}


def test_a_member_may_leave(team, last_event) -> None:
    partner, _, developer, _ = team
    member_remove(partner_id=partner.public_id, user_id=developer.pk, acting_user=developer)
    assert not partner.memberships.filter(user=developer).exists()
    assert last_event().actor == f"user:{developer.pk}"


def test_a_developer_may_not_remove_another_member(team, row_counts) -> None:
    partner, _, developer, other = team
    before = row_counts()
    with pytest.raises(ForbiddenError) as refused:
        member_remove(partner_id=partner.public_id, user_id=other.pk, acting_user=developer)
    assert refused.value.code == "not_an_owner"
    assert row_counts() == before


def test_the_last_owner_stays(team, row_counts) -> None:
    partner, owner, _, _ = team
    before = row_counts()
    with pytest.raises(ConflictError) as refused:
        member_remove(partner_id=partner.public_id, user_id=owner.pk, acting_user=owner)
    assert refused.value.code == "last_owner"
    assert row_counts() == before


def test_one_of_two_owners_may_go(team) -> None:
    partner, owner, _, _ = team
    second = platform_user()
    member_add(partner_id=partner.public_id, email=second.email, role="owner", acting_user=owner)
    member_remove(partner_id=partner.public_id, user_id=owner.pk, acting_user=second)
    assert list(partner.memberships.filter(role="owner").values_list("user", flat=True)) == [
        second.pk
    ]


def test_a_non_member_is_not_a_member(team, row_counts) -> None:
    partner, owner, _, _ = team
    outsider = platform_user()
    before = row_counts()
    with pytest.raises(NotFoundError) as refused:
        member_remove(partner_id=partner.public_id, user_id=outsider.pk, acting_user=owner)
    assert refused.value.code == "not_a_member"
    with pytest.raises(NotFoundError) as hidden:
        member_remove(partner_id=partner.public_id, user_id=owner.pk, acting_user=outsider)
    assert hidden.value.code == "partner_not_found"
    assert row_counts() == before
