"""documents_purge and `devcenter documents purge`: files deleted after the retention period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from devcenter.audit.models import AuditEvent
from devcenter.reviews.models import CertificationApplication, Document
from devcenter.reviews.services import documents_purge
from tests.reviews.conftest import stored_files

pytestmark = pytest.mark.django_db


def decided_days_ago(application: Any, days: int) -> None:
    CertificationApplication.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=days)
    )


@pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
def test_documents_of_an_application_decided_over_the_retention_ago_are_purged(
    status: str,
    make_application: Callable[..., Any],
    media_root: Path,
    settings: Any,
) -> None:
    settings.DEVCENTER_DOCUMENT_RETENTION_DAYS = 90
    application = make_application(status)
    decided_days_ago(application, 91)
    assert len(stored_files(media_root)) == 2
    now = timezone.now()

    assert documents_purge(now=now) == 2

    assert stored_files(media_root) == []
    for document in Document.objects.filter(application=application):
        assert (document.purged_at, document.file.name) == (now, "")
        assert document.sha256  # the row is kept
    events = AuditEvent.objects.filter(event_type="document.purged")
    assert sorted(e.target_id for e in events) == sorted(
        application.documents.values_list("public_id", flat=True)
    )
    assert {e.actor for e in events} == {"system"}
    assert {e.partner for e in events} == {application.partner.public_id}


def test_superseded_documents_are_purged_too(
    make_application: Callable[..., Any], media_root: Path
) -> None:
    application = make_application("rejected")
    application.documents.filter(kind="application_form").update(superseded=True)
    decided_days_ago(application, 365)

    assert documents_purge(now=timezone.now()) == 2
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("status", "days"),
    [("approved", 89), ("rejected", 10), ("submitted", 0), ("in_review", 0), ("needs_info", 0)],
)
def test_documents_within_retention_or_undecided_are_kept(
    status: str, days: int, make_application: Callable[..., Any], media_root: Path
) -> None:
    application = make_application(status)
    if application.decided_at:
        decided_days_ago(application, days)
    events_before = AuditEvent.objects.count()

    assert documents_purge(now=timezone.now()) == 0

    assert len(stored_files(media_root)) == 2
    assert not Document.objects.filter(purged_at__isnull=False).exists()
    assert AuditEvent.objects.count() == events_before


def test_purge_is_idempotent(make_application: Callable[..., Any]) -> None:
    decided_days_ago(make_application("approved"), 100)
    assert documents_purge(now=timezone.now()) == 2
    events = AuditEvent.objects.count()

    assert documents_purge(now=timezone.now()) == 0
    assert AuditEvent.objects.count() == events


def test_a_file_already_missing_is_still_marked_purged(
    make_application: Callable[..., Any], media_root: Path
) -> None:
    """A run that deleted the file but failed to commit is completed by the next run."""
    application = make_application("withdrawn")
    decided_days_ago(application, 100)
    for path in stored_files(media_root):
        path.unlink()

    assert documents_purge(now=timezone.now()) == 2
    assert Document.objects.filter(purged_at__isnull=True).count() == 0


def test_the_command_purges_and_reports_the_count(
    make_application: Callable[..., Any], media_root: Path
) -> None:
    decided_days_ago(make_application("rejected"), 100)
    out = StringIO()

    call_command("documents", "purge", stdout=out)

    assert "Purged 2 document(s)" in out.getvalue()
    assert stored_files(media_root) == []
    out = StringIO()
    call_command("documents", "purge", stdout=out)
    assert "Purged 0 document(s)" in out.getvalue()
