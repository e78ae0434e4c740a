from __future__ import annotations

import pytest
from django.db import connection

from devcenter.apikeys.errors import ApiKeyError, ApiKeyErrorCode
from devcenter.apikeys.models import ApiKey
from devcenter.apikeys.selectors import apikey_active_hashes, hash_key
from devcenter.apikeys.services import apikey_create
from devcenter.apikeys.signals import on_keys_changed

pytestmark = pytest.mark.django_db


def test_create_returns_raw_key_once_and_stores_only_its_hash() -> None:
    key, raw = apikey_create(name="sns", scope="decisions")

    assert raw.startswith("dc_")
    assert len(raw) == 3 + 43  # token_urlsafe(32)
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.secret_hash == hash_key(raw)
    assert stored.prefix == raw[:8]
    assert raw not in {getattr(stored, f.attname) for f in ApiKey._meta.concrete_fields}
    assert stored.revoked_at is None
    assert stored.last_used_at is None


def test_create_makes_different_keys_each_time() -> None:
    _, first = apikey_create(name="a", scope="decisions")
    _, second = apikey_create(name="b", scope="decisions")

    assert first != second


def test_created_key_is_in_active_hashes_with_name_and_scope() -> None:
    _, raw = apikey_create(name="gateway", scope="developer")

    assert apikey_active_hashes() == {hash_key(raw): ("gateway", "developer")}


def test_duplicate_name_is_refused_with_name_taken() -> None:
    apikey_create(name="sns", scope="decisions")

    with pytest.raises(ApiKeyError) as excinfo:
        apikey_create(name="sns", scope="staff")

    assert excinfo.value.code == ApiKeyErrorCode.NAME_TAKEN
    assert ApiKey.objects.count() == 1


def test_unknown_scope_is_refused_with_invalid_scope() -> None:
    with pytest.raises(ApiKeyError) as excinfo:
        apikey_create(name="x", scope="root")

    assert excinfo.value.code == "invalid_scope"
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "n" * 101])
def test_empty_or_long_name_is_refused_with_invalid_name(name: str) -> None:
    with pytest.raises(ApiKeyError) as excinfo:
        apikey_create(name=name, scope="decisions")

    assert excinfo.value.code == "invalid_name"


def test_create_binds_key_to_user(django_user_model) -> None:
    user = django_user_model.objects.create_user("dev", email="dev@example.com")

    key, _ = apikey_create(name="dev-key", scope="developer", user=user)

    assert ApiKey.objects.get(pk=key.pk).user == user


def test_create_calls_keys_changed_hooks_after_commit(django_capture_on_commit_callbacks) -> None:
    calls: list[str] = []
    hook = lambda: calls.append("changed")  # noqa: E731
    on_keys_changed.append(hook)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            apikey_create(name="sns", scope="decisions")
            assert calls == []  # not before commit
    finally:
        on_keys_changed.remove(hook)

    assert calls == ["changed"]


def test_failing_hook_does_not_break_create(django_capture_on_commit_callbacks) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    on_keys_changed.append(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            key, _ = apikey_create(name="sns", scope="decisions")
    finally:
        on_keys_changed.remove(broken)

    assert ApiKey.objects.filter(pk=key.pk).exists()


@pytest.mark.postgres
def test_create_on_postgresql_stores_the_hash() -> None:
    """Runs only against PostgreSQL (CI's second pass), proving that pass reaches it."""
    key, raw = apikey_create(name="pg", scope="decisions")

    assert connection.vendor == "postgresql"
    assert ApiKey.objects.get(secret_hash=hash_key(raw)).pk == key.pk
