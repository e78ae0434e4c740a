"""application_submit_upgrade: a member applies for an existing partner's certification."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devcenter.audit.models import AuditEvent
from devcenter.errors import ConflictError, DomainError, NotFoundError
from devcenter.partners.models import PartnerKind
from devcenter.reviews import services
from devcenter.reviews.services import application_submit_upgrade
from tests.reviews.conftest import stored_files
from tests.reviews.factories import (
    MembershipFactory,
    PartnerFactory,
    StaffFactory,
    UserFactory,
    pdf_upload,
    tiny_png,
    upload,
)

pytestmark = pytest.mark.django_db


def submit(user: Any, partner: Any) -> Any:
    return application_submit_upgrade(
        acting_user=user,
        partner_id=partner.public_id,
        registry_certificate=pdf_upload(),
        application_form=upload("form.png", tiny_png(), "image/png"),
    )


@pytest.mark.parametrize("role", ["owner", "developer"])
def test_a_member_of_a_general_partner_applies_to_upgrade(role: str, media_root: Path) -> None:
    membership = MembershipFactory(role=role)

    application = submit(membership.user, membership.partner)

    assert (application.kind, application.status) == ("upgrade", "submitted")
    assert application.documents.count() == 2
    assert len(stored_files(media_root)) == 2
    event = AuditEvent.objects.get(event_type="application.submitted")
    assert event.new == {"status": "submitted", "kind": "upgrade"}
    assert event.actor == f"user:{membership.user.pk}"
    assert AuditEvent.objects.filter(event_type="document.uploaded").count() == 2


def test_a_pending_partner_whose_application_was_decided_applies_again_as_new(
    make_application: Callable[..., Any], partner: Any, owner: Any
) -> None:
    make_application("withdrawn")
    partner.partner_type, partner.status = None, "pending"
    partner.save()

    assert submit(owner, partner).kind == "new"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": PartnerKind.INDIVIDUAL, "partner_type": "individual"}, "individual_to_corporate"),
        (
            {"kind": PartnerKind.INDIVIDUAL, "partner_type": "individual_card"},
            "individual_to_corporate",
        ),
        ({"legal_entity_registered": False}, "legal_entity_required"),
        ({"partner_type": "corporate_certified"}, "no_change"),
        ({"status": "suspended"}, "partner_suspended"),
    ],
)
def test_a_refused_move_gives_its_code_and_nothing_is_written(
    changes: dict[str, Any], code: str, registry_state: Callable[[], dict[str, Any]]
) -> None:
    membership = MembershipFactory(partner=PartnerFactory(**changes))
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        submit(membership.user, membership.partner)

    assert refused.value.code == code
    assert refused.value.status == 409
    assert registry_state() == before


def test_a_second_open_application_is_refused(
    make_application: Callable[..., Any],
    partner: Any,
    owner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    make_application("needs_info")
    before = registry_state()

    with pytest.raises(ConflictError) as refused:
        submit(owner, partner)

    assert refused.value.code == "application_already_open"
    assert registry_state() == before


def test_after_a_rejection_the_partner_may_apply_again(
    make_application: Callable[..., Any], partner: Any, owner: Any
) -> None:
    make_application("rejected")

    assert submit(owner, partner).status == "submitted"


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        ("stranger", NotFoundError, "partner_not_found"),
        ("member_of_other", NotFoundError, "partner_not_found"),
        # Being staff gives no right as a member.
        ("staff", NotFoundError, "partner_not_found"),
    ],
)
def test_only_members_apply(
    who: str,
    error: type[DomainError],
    code: str,
    partner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    user = {
        "stranger": UserFactory,
        "member_of_other": lambda: MembershipFactory().user,
        "staff": StaffFactory,
    }[who]()
    before = registry_state()

    with pytest.raises(error) as refused:
        submit(user, partner)

    assert refused.value.code == code
    assert registry_state() == before


def test_files_are_deleted_when_the_transaction_fails_after_storing_them(
    partner: Any,
    owner: Any,
    monkeypatch: pytest.MonkeyPatch,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    """Given the second document's audit fails, then no file and no row is left behind."""
    real = services.audit_record
    calls: list[str] = []

    def failing_audit(**kwargs: Any) -> Any:
        calls.append(str(kwargs["event_type"]))
        if calls.count("document.uploaded") == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", failing_audit)
    before = registry_state()

    with pytest.raises(RuntimeError):
        submit(owner, partner)

    assert calls.count("document.uploaded") == 2  # both files were stored first
    assert registry_state() == before
