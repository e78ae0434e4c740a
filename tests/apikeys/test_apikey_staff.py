"""A staff key only for an active staff user with activated TOTP (`devcenter apikey create`)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devcenter.apikeys.errors import ApiKeyError
from devcenter.apikeys.models import ApiKey
from devcenter.apikeys.services import apikey_create
from tests.reviews.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _create(*args: str) -> str:
    out = StringIO()
    call_command("apikey", "create", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_staff_key_for_a_staff_user_with_totp_is_created() -> None:
    staff = StaffFactory()

    raw = _create("tools", "--scope", "staff", "--user", staff.email).splitlines()[-1]

    assert raw.startswith("dc_")
    assert ApiKey.objects.get(name="tools").user == staff


def test_a_staff_user_without_totp_is_refused_mfa_required() -> None:
    staff = StaffFactory(totp=False)

    with pytest.raises(CommandError, match="^mfa_required: "):
        _create("tools", "--scope", "staff", "--user", staff.email)

    assert not ApiKey.objects.exists()


def test_a_non_staff_user_is_refused_staff_user_required() -> None:
    user = UserFactory()

    with pytest.raises(CommandError, match="^staff_user_required: "):
        _create("tools", "--scope", "staff", "--user", user.email)

    assert not ApiKey.objects.exists()


def test_a_staff_key_without_a_user_is_refused_staff_user_required() -> None:
    with pytest.raises(ApiKeyError) as excinfo:
        apikey_create(name="tools", scope="staff")

    assert excinfo.value.code == "staff_user_required"
    assert excinfo.value.status == 403


def test_an_inactive_staff_user_is_refused() -> None:
    staff = StaffFactory(is_active=False)

    with pytest.raises(ApiKeyError) as excinfo:
        apikey_create(name="tools", scope="staff", user=staff)

    assert excinfo.value.code == "staff_user_required"
