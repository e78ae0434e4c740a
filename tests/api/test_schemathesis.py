"""Schemathesis against the committed docs/openapi.json, in-process through Django's WSGI app.

Every registry operation is called with generated input by a developer key and a staff key:
no answer may be a 500, and every answer must match its documented status, content type and
schema. The decision plane's paths (answered before Django) are tested in tests/decision_plane.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from devcenter.api_support.openapi import DECISION_PLANE_TAG, committed_path
from tests.api.factories import api_key
from tests.partners.factories import corporate_general_partner, platform_user
from tests.reviews.factories import StaffFactory

schema = schemathesis.openapi.from_path(str(committed_path())).exclude(tag=DECISION_PLANE_TAG)
schema.app = get_wsgi_application()

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Keep Django from closing the test's connection after each in-process request.

    Django's own test client does the same; schemathesis calls the WSGI app directly, and on
    PostgreSQL closing the connection would end the test's transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def keys(settings: Any, tmp_path: Any) -> dict[str, str]:
    """A developer key (owner of a general partner) and a staff key (staff with TOTP)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    developer = platform_user()
    corporate_general_partner(user=developer)
    return {"developer": api_key(developer), "staff": api_key(StaffFactory(), "staff")}


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.parametrize("who", ["developer", "staff"])
def test_api_conforms_to_committed_openapi(case: Any, who: str, keys: dict[str, str]) -> None:
    """No operation answers 500 or outside its documented statuses, types and schemas."""
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {keys[who]}"}
    response = case.call()
    case.validate_response(response, checks=CHECKS)
