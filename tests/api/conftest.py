"""Fixtures of the API tests: a developer and a staff member, each with a key and a caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import platform_user
from tests.reviews.factories import StaffFactory, tiny_pdf, tiny_png


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def developer(db: None) -> Any:
    return platform_user()


@pytest.fixture
def dev(developer: Any) -> ApiCaller:
    """A caller with a developer key bound to `developer`."""
    return ApiCaller(api_key(developer, "developer"))


@pytest.fixture
def other_dev(db: None) -> ApiCaller:
    """A caller with a developer key of another platform user (a stranger to dev's partners)."""
    return ApiCaller(api_key(platform_user(), "developer"))


@pytest.fixture
def staff_user(db: None) -> Any:
    return StaffFactory()


@pytest.fixture
def staff(staff_user: Any) -> ApiCaller:
    """A caller with a staff key bound to a staff user with TOTP."""
    return ApiCaller(api_key(staff_user, "staff"))


@pytest.fixture
def anonymous(db: None) -> ApiCaller:
    return ApiCaller()


def documents() -> dict[str, Any]:
    """Return the two certification documents as uploads (a PDF and a PNG)."""
    return {
        "registry_certificate": SimpleUploadedFile("touki.pdf", tiny_pdf(), "application/pdf"),
        "application_form": SimpleUploadedFile("form.png", tiny_png(), "image/png"),
    }
