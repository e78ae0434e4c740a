"""POST /api/v1/partners/{id}/test-accounts."""

from devcenter.accounts.models import AccountKind, PlatformAccount
from tests.api.conftest import error_code, last_event


def test_certified_partner_creates_a_test_account(dev, certified_partner):
    response = dev.post(
        f"/partners/{certified_partner.public_id}/test-accounts", {"display_name": "テスト1"}
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "partner_test_account"
    assert last_event().event_type == "account.created"
    assert last_event().target_id == response.json()["id"]


def test_general_partner_is_refused_with_the_policy_code(dev, general_partner):
    response = dev.post(
        f"/partners/{general_partner.public_id}/test-accounts", {"display_name": "テスト"}
    )

    assert response.status_code == 409
    assert error_code(response) == "requires_certification"
    assert not PlatformAccount.objects.filter(kind=AccountKind.PARTNER_TEST_ACCOUNT).exists()


def test_limit_is_409(dev, certified_partner, settings):
    settings.DEVCENTER_TEST_ACCOUNT_LIMIT = 1
    path = f"/partners/{certified_partner.public_id}/test-accounts"
    dev.post(path, {"display_name": "一つ目"})

    response = dev.post(path, {"display_name": "二つ目"})

    assert response.status_code == 409
    assert error_code(response) == "test_account_limit"


def test_missing_display_name_is_422(dev, certified_partner):
    response = dev.post(f"/partners/{certified_partner.public_id}/test-accounts", {})

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == "display_name"


def test_replay_creates_one_account(dev, certified_partner):
    path = f"/partners/{certified_partner.public_id}/test-accounts"

    first = dev.post(path, {"display_name": "同じ"}, key="ta-1")
    again = dev.post(path, {"display_name": "同じ"}, key="ta-1")

    assert again.json() == first.json()
    assert PlatformAccount.objects.filter(kind=AccountKind.PARTNER_TEST_ACCOUNT).count() == 1
