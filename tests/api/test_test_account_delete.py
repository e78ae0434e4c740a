"""DELETE /api/v1/partners/{id}/test-accounts/{account_id}."""

from devcenter.partners import services as account_services
from tests.api.conftest import error_code, last_event


def test_deletes_a_test_account(dev, developer, certified_partner):
    account = account_services.test_account_create(
        partner_id=certified_partner.public_id, display_name="消す", acting_user=developer
    )

    response = dev.delete(
        f"/partners/{certified_partner.public_id}/test-accounts/{account.public_id}"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "deleted"
    assert last_event().event_type == "account.deleted"


def test_the_partner_account_is_not_a_test_account(dev, certified_partner):
    account = certified_partner.platform_accounts.get(kind="partner_account")

    response = dev.delete(
        f"/partners/{certified_partner.public_id}/test-accounts/{account.public_id}"
    )

    assert response.status_code == 409
    assert error_code(response) == "not_a_test_account"


def test_unknown_account_is_404(dev, certified_partner):
    response = dev.delete(f"/partners/{certified_partner.public_id}/test-accounts/acc_nope")

    assert response.status_code == 404
    assert error_code(response) == "account_not_found"
