"""Unknown /api/v1/ paths answer the JSON 404 for every method (a POST used to get Django's
HTML CSRF page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.front.conftest import call

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/partners/ptn_x/nothing/"])
def test_an_unknown_api_path_is_the_json_404_even_with_csrf_checks(method: str, path: str) -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})

    response = client.generic(method, path, data=b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", METHODS)
def test_through_the_served_application_too(application: Any, method: str) -> None:
    answer = call(application, method, "/api/v1/no-such-thing", content=b"{}")

    assert answer.status == 404
    assert answer.code == "not_found"
