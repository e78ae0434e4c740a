from __future__ import annotations

import pytest

from devcenter.apikeys.selectors import apikey_by_raw_key
from tests.apikeys.factories import ApiKeyFactory
from tests.partners.factories import UserFactory


@pytest.mark.django_db
def test_returns_the_active_key_with_its_user(django_assert_num_queries) -> None:
    user = UserFactory()
    key = ApiKeyFactory(raw="dc_by_raw_1", user=user, scope="developer")

    with django_assert_num_queries(1):
        found = apikey_by_raw_key("dc_by_raw_1")
        assert found == key
        assert found is not None
        assert found.user == user


@pytest.mark.django_db
def test_unknown_or_revoked_key_is_none() -> None:
    from django.utils import timezone

    ApiKeyFactory(raw="dc_by_raw_2", revoked_at=timezone.now())

    assert apikey_by_raw_key("dc_by_raw_2") is None
    assert apikey_by_raw_key("dc_nothing") is None
