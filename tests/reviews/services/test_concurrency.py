"""Two staff deciding the same application at once: exactly one wins, the other gets 409.

Real concurrency needs real row locks: PostgreSQL only (SQLite serialises whole transactions).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from devcenter.audit.models import AuditEvent
from devcenter.audit.selectors import audit_verify_chain
from devcenter.errors import ConflictError
from devcenter.reviews import services
from tests.reviews.conftest import stored_files
from tests.reviews.factories import StaffFactory, pdf_upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DECISIONS: dict[str, tuple[Callable[..., Any], dict[str, str], str]] = {
    "approve": (services.application_approve, {}, "application.approved"),
    "reject": (
        services.application_reject,
        {"reason_ja": "理由", "reason_en": "Reason"},
        "application.rejected",
    ),
    "request_info": (services.application_request_info, {"note": "More"}, "application.needs_info"),
}


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; return each result or raised error."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the error is the result under test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize(
    ("first", "second"),
    [("approve", "reject"), ("reject", "request_info"), ("approve", "approve")],
)
def test_two_staff_decide_at_once_exactly_one_wins(
    first: str, second: str, make_application: Callable[..., Any]
) -> None:
    application = make_application("in_review", identity=True)
    reviewers = [StaffFactory(), StaffFactory()]

    def decide(name: str, reviewer: Any) -> Callable[[], Any]:
        service, arguments, _ = DECISIONS[name]
        return lambda: service(
            application_id=application.public_id, acting_user=reviewer, **arguments
        )

    results = race(decide(first, reviewers[0]), decide(second, reviewers[1]))

    errors = [r for r in results if isinstance(r, Exception)]
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    assert (errors[0].code, errors[0].status) == ("invalid_status_move", 409)
    application.refresh_from_db()
    assert application.status == winners[0].status
    decision_events = [event for _, _, event in DECISIONS.values()]
    assert (
        AuditEvent.objects.filter(
            event_type__in=decision_events, target_id=application.public_id
        ).count()
        == 1
    )
    assert audit_verify_chain().ok


def test_two_applications_for_one_partner_at_once_one_is_refused(
    partner: Any, owner: Any, media_root: Path
) -> None:
    def submit() -> Any:
        return services.application_submit_upgrade(
            acting_user=owner,
            partner_id=partner.public_id,
            registry_certificate=pdf_upload(),
            application_form=pdf_upload("form.pdf"),
        )

    results = race(submit, submit)

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ConflictError)
    assert errors[0].code == "application_already_open"
    assert partner.applications.count() == 1
    assert len(stored_files(media_root)) == 2  # only the winner's documents are stored
    assert AuditEvent.objects.filter(event_type="application.submitted").count() == 1
    assert audit_verify_chain().ok
