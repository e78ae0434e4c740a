"""GET /api/v1/staff/partners?q=."""

from tests.api.conftest import error_code


def test_staff_finds_by_name_public_id_and_corporate_number(staff, general_partner):
    for q in (
        general_partner.registration_name[:2],
        general_partner.public_id,
        general_partner.corporate_number,
    ):
        response = staff.get("/staff/partners", q=q)
        assert response.status_code == 200
        assert general_partner.public_id in [p["id"] for p in response.json()]


def test_no_match_is_an_empty_list(staff, general_partner):
    assert staff.get("/staff/partners", q="zzz-no-such").json() == []


def test_developer_key_is_403(dev):
    response = dev.get("/staff/partners", q="x")

    assert response.status_code == 403
    assert error_code(response) == "insufficient_scope"
