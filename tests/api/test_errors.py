"""The error body: `{"code", "message", "field"?}` in the request language, never an HTML page."""

import pytest

from devcenter.api_support.errors import field_of
from tests.api.conftest import error_code


def test_unknown_path_under_the_api_is_a_json_404(dev):
    response = dev.get("/no/such/thing")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_malformed_json_is_422_malformed_body(dev):
    response = dev.client.post(
        "/api/v1/partners/individual", "{oops", content_type="application/json", headers=dev.headers
    )

    assert response.status_code == 422
    assert error_code(response) == "malformed_body"


def test_domain_error_message_in_english_when_asked(dev):
    response = dev.get("/partners/ptn_nope", headers={"Accept-Language": "en"})

    assert response.json()["message"] == "Partner not found."


def test_domain_error_message_in_japanese_by_default(dev):
    assert dev.get("/partners/ptn_nope").json()["message"] == "パートナーが見つかりません。"


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "token"), "token"),
        (("query", "status"), "status"),
        (("form", "payload", "legal_name"), "legal_name"),
        (("file", "registry_certificate"), "registry_certificate"),
        (("body", "payload"), "body"),
    ],
)
def test_field_of_names_what_the_client_sent(loc, field):
    assert field_of(loc) == field


def test_an_unexpected_exception_is_logged_and_answered_as_json(dev, caplog, monkeypatch):
    from devcenter.partners import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "partners_of_user", broken)

    response = dev.get("/partners")

    assert response.status_code == 500
    assert error_code(response) == "internal_error"
    assert "boom" not in response.content.decode()
    assert any("unexpected error" in r.message for r in caplog.records)
