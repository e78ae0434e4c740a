"""Partner selectors: lookups, membership, entitlements, the platform-user fact."""
# ruff: noqa: S106 (the sandbox verifier's documented test tokens, not secrets)

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from devcenter.errors import NotFoundError
from devcenter.partners.capabilities import partner_capabilities
from devcenter.partners.selectors import (
    is_platform_user,
    partner_for_user,
    partner_get,
    partner_search,
    partners_of_user,
)
from devcenter.partners.services import card_register, partner_suspend
from devcenter.policy import default_policy
from tests.partners.factories import (
    UserFactory,
    corporate_general_partner,
    corporate_pending_partner,
    individual_partner,
    platform_user,
)

pytestmark = pytest.mark.django_db


def test_is_platform_user() -> None:
    assert is_platform_user(platform_user())
    assert not is_platform_user(platform_user(is_active=False))
    assert not is_platform_user(None)
    unverified = UserFactory()
    assert not is_platform_user(unverified)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=True)
    assert not is_platform_user(unverified)  # verified but not primary


def test_partner_get() -> None:
    partner = individual_partner()
    assert partner_get(public_id=partner.public_id) == partner
    with pytest.raises(NotFoundError) as missing:
        partner_get(public_id="ptn_nope")
    assert missing.value.code == "partner_not_found"


def test_partner_for_user_is_404_for_non_members_staff_included() -> None:
    owner = platform_user()
    partner = corporate_general_partner(user=owner)
    assert partner_for_user(acting_user=owner, public_id=partner.public_id) == partner
    # Being staff gives no right as a member: staff see partners in the staff console.
    for outsider in (platform_user(), None, platform_user(is_staff=True)):
        with pytest.raises(NotFoundError) as hidden:
            partner_for_user(acting_user=outsider, public_id=partner.public_id)
        assert hidden.value.code == "partner_not_found"
    with pytest.raises(NotFoundError):
        partner_for_user(acting_user=owner, public_id="ptn_nope")


def test_partners_of_user_lists_memberships_only() -> None:
    user = platform_user()
    corporate = corporate_general_partner(user=user)
    individual = individual_partner(user=user)
    corporate_general_partner()
    assert set(partners_of_user(user=user)) == {corporate, individual}


def test_partner_search() -> None:
    partner = corporate_general_partner(legal_name="株式会社ミクシィ検索")
    corporate_general_partner(legal_name="別会社")
    assert list(partner_search(q="ミクシィ")) == [partner]
    assert list(partner_search(q=partner.corporate_number)) == [partner]
    assert list(partner_search(q=partner.public_id)) == [partner]
    assert partner_search(q=" ").count() == 2


def _partners_of_every_state():
    user = platform_user()
    individual = individual_partner(user=user)
    carded_user = platform_user()
    carded = individual_partner(user=carded_user)
    card_register(partner_id=carded.public_id, token="tok_visa", acting_user=carded_user)
    carded.refresh_from_db()
    from devcenter.partners.services import partner_certify

    certified = partner_certify(partner=corporate_general_partner(), actor="system")
    return [individual, carded, corporate_general_partner(), certified, corporate_pending_partner()]


def test_entitlements_list_every_service_and_account_with_the_policy_decision() -> None:
    policy = default_policy()
    partners = _partners_of_every_state()
    assert {p.partner_type for p in partners} == {*policy.partner_types, None}
    for partner in partners:
        capabilities = partner_capabilities(partner=partner, viewer=None)
        for service in policy.services:
            decision = capabilities.service(service)
            assert decision == policy.decide_service(partner.partner_type, service)
        for account in policy.accounts:
            decision = capabilities.account(account)
            assert decision == policy.decide_account(partner.partner_type, account)
        shown = capabilities.as_dict()
        assert shown["policy_version"] == policy.version
        assert [a["account"] for a in shown["accounts"]] == list(policy.accounts)
        assert [o["operation"] for o in shown["operations"]] == list(policy.operations)
        assert shown["partner"] == partner.public_id
        assert [s["service"] for s in shown["services"]] == list(policy.services)


def test_a_suspended_partner_is_allowed_nothing() -> None:
    policy = default_policy()
    partner = partner_suspend(
        partner_id=corporate_general_partner().public_id, actor="system", reason="x"
    )
    capabilities = partner_capabilities(partner=partner, viewer=None)
    decisions = [capabilities.service(s) for s in policy.services] + [
        capabilities.account(a) for a in policy.accounts
    ]
    assert len(decisions) == len(policy.services) + len(policy.accounts)
    for decision in decisions:
        assert decision.allowed is False
        assert decision.code == "partner_suspended"
        assert decision.reason.ja
        assert decision.reason.en
        assert decision.unlock == ()
    assert capabilities.as_dict()["status"] == "suspended"
