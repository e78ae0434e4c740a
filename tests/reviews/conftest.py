"""Fixtures for the reviews tests: private media in a temporary folder, people and applications."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devcenter.reviews.models import CertificationApplication
from tests.reviews.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    pdf_upload,
    tiny_png,
    upload,
)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Store documents under a temporary MEDIA_ROOT, never in the real var/ folder."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    """Return every file under the media root."""
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def registry_state(media_root: Path) -> Callable[[], dict[str, Any]]:
    """Return a function giving what a refused request must not change: rows and files."""
    from devcenter.audit.models import AuditEvent
    from devcenter.partners.models import Membership, Partner
    from devcenter.reviews.models import Document

    def state() -> dict[str, Any]:
        return {
            "audit": AuditEvent.objects.count(),
            "partners": list(Partner.objects.values_list("public_id", "partner_type", "status")),
            "members": Membership.objects.count(),
            "applications": list(
                CertificationApplication.objects.values_list("public_id", "status")
            ),
            "documents": list(Document.objects.values_list("public_id", "superseded", "purged_at")),
            "files": stored_files(media_root),
        }

    return state


@pytest.fixture
def owner(db: None) -> Any:
    """The owner of `partner` (a corporate general partner)."""
    return UserFactory()


@pytest.fixture
def partner(owner: Any) -> Any:
    membership = MembershipFactory(user=owner)
    return membership.partner


@pytest.fixture
def staff(db: None) -> Any:
    """A staff user with an activated TOTP authenticator."""
    return StaffFactory()


@pytest.fixture
def make_application(partner: Any, owner: Any) -> Callable[..., CertificationApplication]:
    """Return a function making `partner`'s upgrade application, moved to `status`."""
    from devcenter.reviews import services

    def make(status: str = "submitted", *, identity: bool = False) -> CertificationApplication:
        application = services.application_submit_upgrade(
            acting_user=owner,
            partner_id=partner.public_id,
            registry_certificate=pdf_upload("registry.pdf"),
            application_form=upload("form.png", tiny_png(), "image/png"),
        )
        reviewer = StaffFactory()
        if status in {"in_review", "needs_info", "approved", "rejected"}:
            services.application_start_review(
                application_id=application.public_id, acting_user=reviewer
            )
        if identity or status == "approved":
            services.application_confirm_identity(
                application_id=application.public_id, acting_user=reviewer, note="Called the CEO."
            )
        if status == "needs_info":
            services.application_request_info(
                application_id=application.public_id, acting_user=reviewer, note="Send page 2."
            )
        if status == "rejected":
            services.application_reject(
                application_id=application.public_id,
                acting_user=reviewer,
                reason_ja="書類不備",
                reason_en="Incomplete documents",
            )
        if status == "approved":
            services.application_approve(application_id=application.public_id, acting_user=reviewer)
        if status == "withdrawn":
            services.application_withdraw(acting_user=owner, application_id=application.public_id)
        application.refresh_from_db()
        return application

    return make
