"""GET /api/v1/partners/{id}/accounts."""

from tests.api.conftest import error_code


def test_lists_the_partners_active_accounts(dev, general_partner):
    response = dev.get(f"/partners/{general_partner.public_id}/accounts")

    assert response.status_code == 200
    assert [a["kind"] for a in response.json()] == ["general_partner_account"]
    assert response.json()[0]["partner"] == general_partner.public_id


def test_stranger_gets_404(other_dev, general_partner):
    response = other_dev.get(f"/partners/{general_partner.public_id}/accounts")
    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"
