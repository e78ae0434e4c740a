"""GET /api/v1/partners/{id}/accounts."""


def test_lists_the_partners_active_accounts(dev, general_partner):
    response = dev.get(f"/partners/{general_partner.public_id}/accounts")

    assert response.status_code == 200
    assert [a["kind"] for a in response.json()] == ["general_partner_account"]
    assert response.json()[0]["partner"] == general_partner.public_id


def test_stranger_gets_404(other_dev, general_partner):
    assert other_dev.get(f"/partners/{general_partner.public_id}/accounts").status_code == 404
