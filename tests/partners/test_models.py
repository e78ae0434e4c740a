"""The database's partner types are exactly the policy's."""

from __future__ import annotations

from devcenter.partners.models import PartnerKind, PartnerType
from devcenter.policy import default_policy


def test_partner_type_choices_equal_the_policy_codes() -> None:
    assert set(PartnerType.values) == set(default_policy().partner_types)


def test_partner_kinds_cover_the_policy_kinds() -> None:
    policy = default_policy()
    assert {policy.kind_of(t) for t in policy.partner_types} == set(PartnerKind.values)
