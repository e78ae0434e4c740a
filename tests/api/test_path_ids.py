"""Integer path ids: beyond a 64-bit key, negative or not a number, they name nothing (404).

The finding: on SQLite a member id above 2^63 was a 500 (`OverflowError`); PostgreSQL answered
404. Every integer path parameter is bounded in the schema and the answer is the same 404 on
every database.
"""

import pytest

from devcenter.api_support.openapi import openapi_document
from devcenter.api_support.params import DB_ID_MAX
from tests.api.conftest import error_code

OUT_OF_RANGE = [str(2**63), str(2**64 + 1), "9" * 40, "0", "-1", "abc"]


@pytest.mark.parametrize("user_id", OUT_OF_RANGE)
def test_a_member_id_out_of_range_is_404(dev, general_partner, user_id):
    response = dev.delete(f"/partners/{general_partner.public_id}/members/{user_id}")

    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize("user_id", OUT_OF_RANGE)
def test_a_staff_member_id_out_of_range_is_404(staff, general_partner, user_id):
    response = staff.client.delete(
        f"/api/v1/staff/partners/{general_partner.public_id}/members/{user_id}",
        {"reason": "r"},
        content_type="application/json",
        headers=staff.headers,
    )

    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_the_largest_key_is_simply_not_a_member(dev, general_partner):
    response = dev.delete(f"/partners/{general_partner.public_id}/members/{DB_ID_MAX}")

    assert response.status_code == 404
    assert error_code(response) == "not_a_member"


def test_every_integer_path_parameter_is_bounded_to_a_64_bit_key():
    integer_parameters = [
        (path, parameter)
        for path, operations in openapi_document()["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and parameter["schema"].get("type") == "integer"
    ]

    assert integer_parameters  # the member ids at least
    for path, parameter in integer_parameters:
        assert parameter["schema"]["maximum"] == DB_ID_MAX, path
        assert parameter["schema"]["minimum"] == 1, path


def test_a_string_id_with_a_nul_character_is_404(dev, general_partner):
    """PostgreSQL cannot look up U+0000: the id names nothing, on every database."""
    response = dev.get("/partners/ptn_%00x")

    assert response.status_code == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/partners/individual", {"registration_name": "a\x00b"}, "registration_name"),
        (
            "/partners/corporate-general",
            {
                "registration_name": "Example",
                "legal_name": "Example K.K.",
                "corporate_number": "8000000000001",
                "legal_entity_registered": True,
                "contact_email": "a@example.com",
                "head_office_address": "\x00",
            },
            "head_office_address",
        ),
    ],
)
def test_a_text_with_a_nul_character_is_422(dev, path, body, field):
    response = dev.post(path, body)

    assert response.status_code == 422
    assert error_code(response) == "invalid_field"
    assert response.json()["field"] == field
