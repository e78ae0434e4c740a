"""Reads: the review queue, and who may see an application and its documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from devcenter.errors import ForbiddenError, NotFoundError
from devcenter.reviews.models import CertificationApplication
from devcenter.reviews.selectors import (
    application_for_user,
    document_for_user,
    document_open,
    review_queue,
)
from devcenter.reviews.services import application_submit_upgrade, documents_purge
from tests.reviews.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    pdf_upload,
    tiny_pdf,
)

pytestmark = pytest.mark.django_db


def apply_for_new_partner(submitted_days_ago: int) -> CertificationApplication:
    membership = MembershipFactory()
    application = application_submit_upgrade(
        acting_user=membership.user,
        partner_id=membership.partner.public_id,
        registry_certificate=pdf_upload(),
        application_form=pdf_upload("form.pdf"),
    )
    CertificationApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=submitted_days_ago)
    )
    return application


def test_the_queue_is_oldest_first_with_age() -> None:
    middle, oldest, newest = (apply_for_new_partner(days) for days in (3, 10, 1))
    now = timezone.now()

    queue = review_queue(now=now)

    assert [entry.application.public_id for entry in queue] == [
        oldest.public_id,
        middle.public_id,
        newest.public_id,
    ]
    assert timedelta(days=10) <= queue[0].age < timedelta(days=10, minutes=1)


def test_the_queue_filters_by_status_and_leaves_decided_ones_out(
    make_application: Callable[..., Any], staff: Any
) -> None:
    submitted = apply_for_new_partner(2)
    rejected = make_application("rejected")

    assert [e.application for e in review_queue(status="submitted")] == [submitted]
    assert [e.application for e in review_queue(status="rejected")] == [rejected]
    assert rejected not in [e.application for e in review_queue()]


def test_members_and_staff_read_an_application_others_get_404(
    make_application: Callable[..., Any], owner: Any
) -> None:
    application = make_application()

    staff = StaffFactory()
    assert (
        application_for_user(acting_user=owner, application_id=application.public_id) == application
    )
    assert application_for_user(
        acting_user=staff, application_id=application.public_id, as_staff=True
    )
    # Being staff gives no right as a member: outside the staff console staff are outsiders.
    for outsider in (UserFactory(), MembershipFactory().user, AnonymousUser(), staff):
        with pytest.raises(NotFoundError) as refused:
            application_for_user(acting_user=outsider, application_id=application.public_id)
        assert refused.value.code == "application_not_found"


def test_a_member_of_partner_a_gets_404_for_partner_b_documents(
    make_application: Callable[..., Any], owner: Any
) -> None:
    document = make_application().documents.get(kind="registry_certificate")
    member_of_a = MembershipFactory().user

    with pytest.raises(NotFoundError) as refused:
        document_for_user(acting_user=member_of_a, document_id=document.public_id)

    assert refused.value.code == "document_not_found"
    assert refused.value.status == 404
    with pytest.raises(NotFoundError) as unknown:
        document_for_user(acting_user=member_of_a, document_id="doc_doesnotexist")
    assert unknown.value.code == refused.value.code  # the same answer as for no document


def test_a_developer_sees_the_metadata_but_may_not_open_a_registry_certificate(
    make_application: Callable[..., Any], partner: Any
) -> None:
    application = make_application()
    document = application.documents.get(kind="registry_certificate")
    developer = MembershipFactory(partner=partner, role="developer").user

    assert application_for_user(acting_user=developer, application_id=application.public_id)
    with pytest.raises(ForbiddenError) as refused:
        document_for_user(acting_user=developer, document_id=document.public_id)

    assert refused.value.code == "not_an_owner"


@pytest.mark.parametrize("who", ["owner", "staff_without_totp", "inactive_member"])
def test_members_and_staff_stream_the_document(
    who: str, make_application: Callable[..., Any], owner: Any, partner: Any
) -> None:
    document = make_application().documents.get(kind="registry_certificate")
    user = {
        "owner": lambda: owner,
        "staff_without_totp": lambda: StaffFactory(totp=False),
        "inactive_member": lambda: (
            MembershipFactory(partner=partner, user=UserFactory(is_active=False)).user
        ),
    }[who]()

    if who == "inactive_member":
        with pytest.raises(NotFoundError):
            document_for_user(acting_user=user, document_id=document.public_id)
        return
    found = document_for_user(
        acting_user=user, document_id=document.public_id, as_staff=who.startswith("staff")
    )
    with document_open(found) as handle:
        assert handle.read() == tiny_pdf()


def test_a_purged_document_cannot_be_opened(
    make_application: Callable[..., Any], owner: Any
) -> None:
    application = make_application("approved")
    CertificationApplication.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=365)
    )
    documents_purge(now=timezone.now())
    document = document_for_user(
        acting_user=owner, document_id=application.documents.first().public_id
    )

    with pytest.raises(NotFoundError) as refused:
        document_open(document)

    assert refused.value.code == "document_purged"
