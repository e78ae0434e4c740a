"""What a partner could use at a past instant: its history and the policy version in force."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from devcenter.errors import InvalidError, NotFoundError
from devcenter.partners.history import partner_entitlements_at
from devcenter.partners.services import card_register, card_remove, partner_certify
from devcenter.policy import default_policy, shipped_policy_text
from devcenter.policy_history.models import PolicyVersion
from devcenter.policy_history.services import policy_version_record
from tests.api.conftest import error_code
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner, individual_partner, platform_user

pytestmark = pytest.mark.django_db
SANDBOX_CARD = "tok_visa"  # noqa: S105 (a sandbox test token, not a secret)


def graph_api(public_id: str, at) -> str:
    return partner_entitlements_at(public_id=public_id, at=at).services["graph_api"].code


def test_across_a_card_added_and_removed() -> None:
    user = platform_user()
    before = timezone.now()
    partner = individual_partner(user=user)
    t1 = timezone.now()
    card = card_register(partner_id=partner.public_id, token=SANDBOX_CARD, acting_user=user)
    t2 = timezone.now()
    card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)
    t3 = timezone.now()

    assert graph_api(partner.public_id, t1) == "requires_card"
    assert graph_api(partner.public_id, t2) == "allowed"
    assert graph_api(partner.public_id, t3) == "requires_card"
    with pytest.raises(NotFoundError) as refused:
        partner_entitlements_at(public_id=partner.public_id, at=before)
    assert refused.value.code == "not_found"
    with pytest.raises(InvalidError) as future:
        partner_entitlements_at(public_id=partner.public_id, at=t3 + timedelta(days=1))
    assert future.value.code == "at_in_future"


def test_across_a_certification() -> None:
    partner = corporate_general_partner()
    t1 = timezone.now()
    partner_certify(partner=partner, actor="system")
    t2 = timezone.now()

    then = partner_entitlements_at(public_id=partner.public_id, at=t1)
    now = partner_entitlements_at(public_id=partner.public_id, at=t2)
    assert (then.partner_type, then.accounts["partner_account"].allowed) == (
        "corporate_general",
        False,
    )
    assert (now.partner_type, now.accounts["partner_account"].allowed) == (
        "corporate_certified",
        True,
    )


def test_across_a_policy_version_change() -> None:
    policy_version_record()  # the running version, first seen now
    partner = corporate_general_partner()
    t1 = timezone.now()
    row = "graph_api       = { corporate_certified = true, corporate_general = false"
    opened = shipped_policy_text().replace(row, row.replace("general = false", "general = true"))
    running = default_policy().version
    assert f'version = "{running}"' in opened
    opened = opened.replace(f'version = "{running}"', 'version = "9999.01.01-1"')
    PolicyVersion.objects.create(
        version="9999.01.01-1",
        sha256=hashlib.sha256(opened.encode()).hexdigest(),
        text=opened,
        first_seen_at=timezone.now(),
    )
    t2 = timezone.now()

    assert graph_api(partner.public_id, t1) == "requires_certification"
    assert graph_api(partner.public_id, t2) == "allowed"
    assert partner_entitlements_at(public_id=partner.public_id, at=t2).policy.version == (
        "9999.01.01-1"
    )


def test_the_api_and_the_cli_answer_at_an_instant() -> None:
    user = platform_user()
    partner = individual_partner(user=user)
    card_register(partner_id=partner.public_id, token=SANDBOX_CARD, acting_user=user)
    at = timezone.now().isoformat()
    api = ApiCaller(api_key(user, "developer"))

    answer = api.get(f"/partners/{partner.public_id}/entitlements", at=at)
    future = api.get(
        f"/partners/{partner.public_id}/entitlements",
        at=(timezone.now() + timedelta(days=1)).isoformat(),
    )

    assert answer.status_code == 200
    assert answer.json()["services"]["graph_api"]["code"] == "allowed"
    assert answer.json()["operations"] is None
    assert future.status_code == 422
    assert error_code(future) == "at_in_future"
    out = StringIO()
    call_command(
        "decide", "service", "--partner", partner.public_id, "--service", "graph_api",
        "--at", at, "--json", stdout=out,
    )  # fmt: skip
    assert '"code": "allowed"' in out.getvalue()


def test_a_server_start_keeps_the_policy_version_once() -> None:
    from devcenter.server.management.commands.serve import _record_policy_version

    _record_policy_version()
    _record_policy_version()

    kept = PolicyVersion.objects.get()
    assert kept.text == shipped_policy_text()
    assert kept.sha256 == hashlib.sha256(shipped_policy_text().encode()).hexdigest()


def test_a_changed_file_under_a_version_already_run_is_refused_at_start() -> None:
    from django.core.management.base import CommandError

    from devcenter.server.management.commands.serve import _record_policy_version

    running = default_policy().version
    earlier = shipped_policy_text().replace(
        "corporate_general = false", "corporate_general = true", 1
    )
    assert earlier != shipped_policy_text()
    assert f'version = "{running}"' in earlier
    PolicyVersion.objects.create(
        version=running,
        sha256=hashlib.sha256(earlier.encode()).hexdigest(),
        text=earlier,
        first_seen_at=timezone.now() - timedelta(days=1),
    )

    with pytest.raises(CommandError) as refused:
        _record_policy_version()

    assert f"policy version {running} was first run on" in str(refused.value)
    assert "give the changed file a new version" in str(refused.value)
    assert PolicyVersion.objects.count() == 1  # nothing kept under the reused version


def test_after_a_persona_is_deleted_its_partner_is_not_found() -> None:
    from devcenter.personas.services import personas_create, personas_delete

    partner = next(p.partner for p in personas_create(prefix="gone") if p.name == "certified")
    while_there = timezone.now()
    personas_delete(prefix="gone")
    after = timezone.now()

    assert graph_api(partner, while_there) == "allowed"
    with pytest.raises(NotFoundError) as refused:
        partner_entitlements_at(public_id=partner, at=after)
    assert refused.value.code == "not_found"


def test_an_id_the_registry_never_held_is_partner_not_found_with_or_without_at() -> None:
    """As without `at`: `not_found` would say it was not registered *then*, as if it were now."""
    at = timezone.now()

    with pytest.raises(NotFoundError) as refused:
        partner_entitlements_at(public_id="ptn_doesnotexist0000000", at=at)

    assert refused.value.code == "partner_not_found"
    out = StringIO()
    not_found = "^partner: partner_not_found: パートナーが見つかりません。"
    with pytest.raises(CommandError, match=not_found):
        call_command(
            "decide", "service", "--partner", "ptn_doesnotexist0000000", "--service", "graph_api",
            "--at", at.isoformat(), stdout=out,
        )  # fmt: skip


def test_an_instant_before_year_one_in_utc_is_a_422_not_a_500() -> None:
    """0001-01-01T00:00:00+01:00 is in year 0 in UTC: the conversion overflowed (500)."""
    user = platform_user()
    partner = individual_partner(user=user)
    api = ApiCaller(api_key(user, "developer"))

    answer = api.get(f"/partners/{partner.public_id}/entitlements", at="0001-01-01T00:00:00+01:00")

    assert answer.status_code == 422
    assert error_code(answer) == "invalid_at"
    assert answer.json()["field"] == "at"
    out = StringIO()
    with pytest.raises(CommandError, match="^at: invalid_at: 時刻が範囲外です。"):
        call_command(
            "decide", "service", "--partner", partner.public_id, "--service", "graph_api",
            "--at", "0001-01-01T00:00:00+01:00", stdout=out,
        )  # fmt: skip
