"""Fixtures of the API tests: a developer and a staff member, each with a key and a caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from devcenter.audit.models import AuditEvent
from devcenter.partners.services import partner_certify
from devcenter.reviews.services import (
    application_request_info,
    application_start_review,
    application_submit_upgrade,
)
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner, individual_partner, platform_user
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


@pytest.fixture
def general_partner(developer: Any) -> Any:
    """A corporate general partner owned by `developer`."""
    return corporate_general_partner(user=developer)


@pytest.fixture
def certified_partner(developer: Any) -> Any:
    """A corporate certified partner owned by `developer` (certified through the service)."""
    partner = corporate_general_partner(user=developer)
    with transaction.atomic():
        return partner_certify(partner=partner, actor="system")


@pytest.fixture
def individual(developer: Any) -> Any:
    """An individual partner: `developer` themself."""
    return individual_partner(user=developer)


@pytest.fixture
def submitted(developer: Any, general_partner: Any) -> Any:
    """A submitted upgrade application of `general_partner`, with both documents."""
    return application_submit_upgrade(
        acting_user=developer, partner_id=general_partner.public_id, **documents()
    )


@pytest.fixture
def in_review(submitted: Any, staff_user: Any) -> Any:
    return application_start_review(application_id=submitted.public_id, acting_user=staff_user)


@pytest.fixture
def needs_info(in_review: Any, staff_user: Any) -> Any:
    return application_request_info(
        application_id=in_review.public_id, acting_user=staff_user, note="印鑑証明も送ってください"
    )


def last_event() -> AuditEvent:
    """Return the newest audit event."""
    return AuditEvent.objects.order_by("-sequence").first()


def error_code(response: Any) -> str:
    return response.json()["code"]
