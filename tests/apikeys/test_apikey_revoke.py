from __future__ import annotations

import pytest

from devcenter.apikeys.errors import ApiKeyError
from devcenter.apikeys.selectors import apikey_active_hashes
from devcenter.apikeys.services import apikey_create, apikey_revoke
from devcenter.apikeys.signals import on_keys_changed

pytestmark = pytest.mark.django_db


def test_revoke_sets_revoked_at_and_removes_key_from_active_hashes() -> None:
    apikey_create(name="sns", scope="decisions")
    _, other_raw = apikey_create(name="other", scope="decisions")

    key = apikey_revoke(name="sns")

    assert key.revoked_at is not None
    assert [name for name, _ in apikey_active_hashes().values()] == ["other"]


def test_revoke_twice_is_refused_with_already_revoked() -> None:
    apikey_create(name="sns", scope="decisions")
    apikey_revoke(name="sns")

    with pytest.raises(ApiKeyError) as excinfo:
        apikey_revoke(name="sns")

    assert excinfo.value.code == "already_revoked"


def test_revoke_unknown_name_is_refused_with_not_found() -> None:
    with pytest.raises(ApiKeyError) as excinfo:
        apikey_revoke(name="nope")

    assert excinfo.value.code == "not_found"


def test_revoked_name_stays_taken() -> None:
    apikey_create(name="sns", scope="decisions")
    apikey_revoke(name="sns")

    with pytest.raises(ApiKeyError) as excinfo:
        apikey_create(name="sns", scope="decisions")

    assert excinfo.value.code == "name_taken"


def test_revoke_calls_keys_changed_hooks_after_commit(django_capture_on_commit_callbacks) -> None:
    apikey_create(name="sns", scope="decisions")
    calls: list[str] = []
    hook = lambda: calls.append("changed")  # noqa: E731
    on_keys_changed.append(hook)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            apikey_revoke(name="sns")
    finally:
        on_keys_changed.remove(hook)

    assert calls == ["changed"]
