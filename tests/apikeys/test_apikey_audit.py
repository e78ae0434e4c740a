"""API key creation and revocation are audited (never the secret), and errors are domain errors."""

from __future__ import annotations

import pytest

from devcenter.apikeys.errors import ApiKeyError
from devcenter.apikeys.services import apikey_create, apikey_revoke
from devcenter.audit.models import AuditEvent
from devcenter.errors import DomainError

pytestmark = pytest.mark.django_db


def test_create_is_audited_with_name_scope_and_prefix_never_the_secret() -> None:
    key, raw = apikey_create(name="sns", scope="decisions", actor="user:7")

    event = AuditEvent.objects.get()
    assert event.event_type == "apikey.created"
    assert event.actor == "user:7"
    assert (event.target_type, event.target_id) == ("apikey", str(key.pk))
    assert event.new == {"name": "sns", "scope": "decisions", "prefix": raw[:8], "user": None}
    assert raw not in str(event.new)
    assert key.secret_hash not in str(event.new)


def test_revoke_is_audited() -> None:
    key, _ = apikey_create(name="sns", scope="decisions")

    apikey_revoke(name="sns")

    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.event_type == "apikey.revoked"
    assert event.actor == "system"
    assert event.target_id == str(key.pk)
    assert event.old["name"] == "sns"
    assert event.new["revoked_at"]


def test_a_refusal_writes_no_audit_event() -> None:
    apikey_create(name="sns", scope="decisions")

    with pytest.raises(ApiKeyError):
        apikey_create(name="sns", scope="decisions")

    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("call", "code", "status"),
    [
        (lambda: apikey_revoke(name="nope"), "not_found", 404),
        (lambda: apikey_create(name="", scope="decisions"), "invalid_name", 422),
        (lambda: apikey_create(name="x", scope="root"), "invalid_scope", 422),
    ],
)
def test_errors_are_the_domain_error_with_both_messages(call, code, status) -> None:
    with pytest.raises(DomainError) as excinfo:
        call()

    error = excinfo.value
    assert isinstance(error, ApiKeyError)
    assert (error.code, error.status) == (code, status)
    assert error.message("ja") != error.message("en")
    assert error.message("ja")
    assert error.message("en")
