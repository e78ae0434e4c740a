"""GET /api/v1/partners/{id}."""

from tests.api.conftest import error_code


def test_member_reads_the_partner(dev, general_partner):
    response = dev.get(f"/partners/{general_partner.public_id}")

    assert response.status_code == 200
    assert response.json()["id"] == general_partner.public_id
    assert response.json()["corporate_number"] == general_partner.corporate_number


def test_non_member_gets_404_like_an_unknown_id(other_dev, general_partner):
    stranger = other_dev.get(f"/partners/{general_partner.public_id}")
    unknown = other_dev.get("/partners/ptn_doesnotexist")

    assert stranger.status_code == unknown.status_code == 404
    assert error_code(stranger) == error_code(unknown) == "partner_not_found"


def test_staff_are_no_members_on_the_developer_endpoint(staff, general_partner):
    response = staff.get(f"/partners/{general_partner.public_id}")

    assert response.status_code == 404
    assert error_code(response) == "partner_not_found"
