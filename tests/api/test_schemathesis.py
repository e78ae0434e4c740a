"""Schemathesis against the committed docs/openapi.json, in-process through Django's WSGI app.

Every registry operation is called with generated input, valid (positive) and invalid
(negative) by the document, by a developer key and a staff key: no answer may be a 500, every
answer must match its documented status, content type and schema, valid input is never refused
as invalid (422), and invalid input is never accepted. The decision plane's paths (answered
before Django) are tested in tests/decision_plane.

A 422 to valid input is allowed only with a code the document cannot state: a check digit, a
card the provider refuses, a file whose content is not a PDF/PNG/JPEG.
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
from schemathesis import GenerationMode
from schemathesis.transport.serialization import Binary

from devcenter.api_support.openapi import DECISION_PLANE_TAG, committed_path
from tests.api.factories import api_key
from tests.partners.factories import corporate_general_partner, platform_user
from tests.reviews.factories import StaffFactory

schema = schemathesis.openapi.from_path(str(committed_path())).exclude(tag=DECISION_PLANE_TAG)
schema.app = get_wsgi_application()
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

# Refusals of valid input that depend on what the input means, not on its form.
SEMANTIC_CODES = {
    "corporate_number_check_digit",  # 13 digits whose first is not their check digit
    "card_token_invalid",  # a well-formed token the card provider does not know
    "card_declined",
    "card_expired",
    "card_incorrect_cvc",
    "unsupported_document_type",  # bytes that are not a PDF, PNG or JPEG
    "document_empty",
    "document_unreadable",  # starts like a PDF, PNG or JPEG and does not parse
    "document_polyglot",
    "document_too_complex",
    "document_active_content",
    # Registrations: a service's fields depend on `service` (the policy's [[registrable]]),
    # names on the name rule, URLs on their scheme and host, images on their bytes, links on
    # their signature.
    "service_not_registrable",
    "unknown_field",
    "invalid_service_field",
    "name_reserved",
    "redirect_uri_invalid",
    "redirect_uri_not_https",
    "redirect_uri_fragment",
    "page_not_found",
    "not_an_image",
    "image_too_large",
    "image_kind_not_accepted",
    "link_invalid",
    # Events and webhooks: a URL must resolve to an allowed address, event types are a list
    # the document states as strings, a replay names an event or a time.
    "url_invalid",
    "url_not_https",
    "url_not_public",
    "url_unresolvable",
    "unknown_event_type",
    "replay_target_required",
}


@schemathesis.check
def valid_input_is_not_refused_as_invalid(ctx: Any, response: Any, case: Any) -> bool | None:
    """Valid input (by the document) is never a 422, except for a semantic refusal."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    code = response.json().get("code")
    assert code in SEMANTIC_CODES, f"valid input refused with {code!r}: {response.text}"
    return None


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
    valid_input_is_not_refused_as_invalid,
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
    settings.DEVCENTER_EVENTS_WAIT_CAP_SECONDS = 0.05  # a long-poll answers at once here
    developer = platform_user()
    corporate_general_partner(user=developer)
    return {"developer": api_key(developer), "staff": api_key(StaffFactory(), "staff")}


def _fill_empty_files(case: Any) -> None:
    """Give an empty file part one byte: Werkzeug (the WSGI transport) encodes an empty part
    without the line break before the next boundary, which merges it into the next part.

    A real client's empty file is refused `document_empty` (tests/api/test_application_*).
    """
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            if isinstance(value, Binary) and not value.data:
                case.body[name] = Binary(b"\x00")


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.parametrize("who", ["developer", "staff"])
def test_api_conforms_to_committed_openapi(case: Any, who: str, keys: dict[str, str]) -> None:
    """No 500; answers as documented; valid input accepted and invalid input refused."""
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {keys[who]}"}
    _fill_empty_files(case)
    response = case.call()
    case.validate_response(response, checks=CHECKS)
