from __future__ import annotations

import hashlib

import pytest

from devcenter.apikeys.selectors import apikey_generation, apikey_list, hash_key
from devcenter.apikeys.services import apikey_create, apikey_revoke, apikey_touch
from tests.apikeys.factories import ApiKeyFactory


def test_hash_key_is_sha256_hex_of_the_raw_key() -> None:
    assert hash_key("dc_abc") == hashlib.sha256(b"dc_abc").hexdigest()


@pytest.mark.django_db
def test_generation_changes_on_every_create_and_revoke() -> None:
    seen = [apikey_generation()]
    apikey_create(name="a", scope="decisions")
    seen.append(apikey_generation())
    apikey_create(name="b", scope="developer")
    seen.append(apikey_generation())
    apikey_revoke(name="a")
    seen.append(apikey_generation())

    assert len(set(seen)) == len(seen)


@pytest.mark.django_db
def test_generation_is_stable_without_changes(django_assert_num_queries) -> None:
    apikey_create(name="a", scope="decisions")
    first = apikey_generation()

    with django_assert_num_queries(1):
        second = apikey_generation()

    assert first == second


@pytest.mark.django_db
def test_touch_sets_last_used_at() -> None:
    key = ApiKeyFactory()

    apikey_touch(secret_hash=key.secret_hash)

    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.django_db
def test_list_returns_revoked_keys_too_ordered_by_name() -> None:
    ApiKeyFactory(name="b")
    apikey_create(name="a", scope="decisions")
    apikey_revoke(name="a")

    assert [key.name for key in apikey_list()] == ["a", "b"]
