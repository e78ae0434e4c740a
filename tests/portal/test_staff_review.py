"""The staff review screens (/staff/reviews/): the queue and one application's review panel.

Finding 6 of issue 11: the queue shows open applications only by default, oldest first, with
filters for the rest; the age stops at the decision; labels in ja/en; one review panel with the
steps in order that names the next; approving too early names the step, never a code; the
applicant's answer to needs-info is shown; the audit trail has names, never `user:7`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from devcenter.audit.models import AuditEvent
from devcenter.demo.samples import sample_pdf
from devcenter.reviews.models import CertificationApplication
from devcenter.reviews.services import (
    application_request_info,
    application_resubmit,
    application_start_review,
)
from tests.staff.factories import StaffFactory, UserFactory, activate_totp, submitted_application
from tests.staff.helpers import mfa_login, staff_console_client

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reviews/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """allauth marks used TOTP codes and counts failed log-ins in the cache: start empty."""
    cache.clear()


@pytest.fixture
def console(client: Client) -> Client:
    return staff_console_client(client)[0]


@pytest.fixture
def application() -> CertificationApplication:
    return submitted_application()


def _url(application: CertificationApplication) -> str:
    return reverse("portal:staff_review", args=[application.public_id])


def _press(
    console: Client,
    application: CertificationApplication,
    action: str,
    lang: str = "en",
    **data: str,
) -> Any:
    """Press a button of the review panel, with the page in `lang` (as the switcher leaves it)."""
    return console.post(f"{_url(application)}?lang={lang}", {"action": action, **data})


def _page(console: Client, application: CertificationApplication, lang: str = "en") -> str:
    return console.get(_url(application), {"lang": lang}).content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _events(application: CertificationApplication) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=application.public_id)
        .order_by("sequence")
        .values_list("event_type", flat=True)
    )


def _next_step(html: str) -> str:
    match = re.search(r'data-step="(\w+)" data-state="next"', html)
    return match.group(1) if match else ""


# ---------------------------------------------------------------- who may enter


def test_the_staff_header_links_to_the_review_queue(console: Client) -> None:
    html = console.get(reverse("portal:partners")).content.decode()

    assert f'href="{QUEUE}" id="staff-console-link"' in html


def test_staff_without_totp_are_sent_to_activate_it_and_see_nothing(
    client: Client, application: CertificationApplication
) -> None:
    staff = StaffFactory()
    client.force_login(staff)

    for url in (QUEUE, _url(application)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
    response = client.post(_url(application), {"action": "start_review"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_staff_whose_session_did_not_pass_totp_must_reauthenticate(client: Client) -> None:
    staff = StaffFactory()
    activate_totp(staff)
    client.force_login(staff)  # no MFA step in this session

    response = client.get(QUEUE)

    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_a_developer_gets_404_and_anonymous_the_log_in(
    client: Client, application: CertificationApplication
) -> None:
    assert client.get(QUEUE)["Location"].startswith(reverse("account_login"))
    member = application.submitted_by
    mfa_login(client, member, activate_totp(member))

    assert client.get(QUEUE).status_code == 404
    assert client.get(_url(application)).status_code == 404


def test_an_unknown_application_is_404(console: Client) -> None:
    assert console.get(reverse("portal:staff_review", args=["apl_missing"])).status_code == 404


# ---------------------------------------------------------------- the queue


def test_the_queue_shows_open_applications_oldest_first_and_filters_the_rest(
    console: Client,
) -> None:
    older, newer, decided = (submitted_application(i) for i in (1, 2, 3))
    CertificationApplication.objects.filter(pk=decided.pk).update(
        status="rejected", decided_at=timezone.now()
    )

    html = console.get(QUEUE).content.decode()
    assert html.index(older.public_id) < html.index(newer.public_id)
    assert decided.public_id not in html
    assert 'data-filter="open" aria-current="true"' in html

    rejected = console.get(QUEUE, {"status": "rejected"}).content.decode()
    assert decided.public_id in rejected
    assert older.public_id not in rejected
    everything = console.get(QUEUE, {"status": "all"}).content.decode()
    assert all(a.public_id in everything for a in (older, newer, decided))
    assert older.public_id in console.get(QUEUE, {"status": "nonsense"}).content.decode()


def test_the_age_stops_at_the_decision(console: Client) -> None:
    application = submitted_application()
    submitted = timezone.now() - timedelta(days=30)
    CertificationApplication.objects.filter(pk=application.pk).update(
        submitted_at=submitted, status="rejected", decided_at=submitted + timedelta(days=3)
    )

    html = console.get(QUEUE, {"status": "all", "lang": "en"}).content.decode()

    row = html[html.index(f'data-application="{application.public_id}"') :]
    assert "3 days" in row.split("</tr>")[0]
    assert "30 days" not in row.split("</tr>")[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ja", ["認定審査", "会社", "状態", "提出日時", "待ち時間", "未処理"]),
        ("en", ["Certification reviews", "Company", "Status", "Submitted on", "Waiting", "Open"]),
    ],
)
def test_the_queue_speaks_the_language(
    console: Client, application: CertificationApplication, lang: str, words: list[str]
) -> None:
    text = _text(console.get(QUEUE, {"lang": lang}).content.decode())

    for word in words:
        assert word in text
    assert application.partner.registration_name in text


# ---------------------------------------------------------------- the review panel


def test_the_page_shows_the_company_beside_its_documents(
    console: Client, application: CertificationApplication
) -> None:
    html = _page(console, application)

    partner = application.partner
    details = html[html.index('id="company-details"') : html.index('id="documents-heading"')]
    for value in (partner.legal_name, partner.corporate_number, partner.contact_phone):
        assert value in details
    preview = "admin:reviews_document_preview"
    for document in application.documents.all():
        assert reverse(preview, args=[document.public_id]) in html


def test_a_staff_user_walks_the_steps_in_order_and_the_panel_names_the_next(
    console: Client, application: CertificationApplication
) -> None:
    assert _next_step(_page(console, application)) == "start_review"

    _press(console, application, "start_review")
    assert _next_step(_page(console, application)) == "confirm_identity"

    _press(console, application, "confirm_identity", note="Called the representative")
    html = _page(console, application)
    assert _next_step(html) == "decide"
    assert "Called the representative" in html

    response = _press(console, application, "approve")
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.partner.partner_type == "corporate_certified"
    assert _events(application)[1:] == [
        "application.in_review",
        "application.identity_confirmed",
        "application.approved",
    ]
    html = _page(console, application)
    assert _next_step(html) == ""
    assert 'name="action"' not in html  # a decided application has no buttons


def test_approving_before_the_review_starts_names_the_step_in_both_languages(
    console: Client, application: CertificationApplication
) -> None:
    before = AuditEvent.objects.count()

    response = _press(console, application, "approve")

    assert response.status_code == 303
    assert response["Location"] == _url(application)  # the same page, without the query
    en = _text(_page(console, application, "en"))  # the refusal is shown once
    assert "Start the review first." in en
    assert "invalid_status_move" not in en.lower()
    _press(console, application, "approve", lang="ja")
    ja = _text(_page(console, application, "ja"))
    assert "先に「審査を開始」してください。" in ja
    application.refresh_from_db()
    assert application.status == "submitted"
    assert AuditEvent.objects.count() == before


def test_approving_before_confirming_identity_names_that_step(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")

    _press(console, application, "approve")

    html = _page(console, application, "en")
    assert 'id="approve-error"' in html
    assert "Confirm the applicant's identity first" in _text(html).replace("&#x27;", "'")
    assert "identity_not_confirmed" not in html
    _press(console, application, "approve", lang="ja")
    assert "「本人確認」の手順" in _page(console, application, "ja")
    application.refresh_from_db()
    assert application.status == "in_review"


def test_a_rejection_needs_both_reasons_and_keeps_what_was_typed(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")
    before = AuditEvent.objects.count()

    _press(console, application, "reject", reason_ja="書類が不鮮明です")

    html = _page(console, application)
    assert 'id="error-summary"' in html
    assert "書類が不鮮明です" in html  # the refused form comes back with its input
    assert AuditEvent.objects.count() == before

    _press(console, application, "reject", reason_ja="書類が不鮮明です", reason_en="Unreadable")
    application.refresh_from_db()
    assert (application.status, application.decision_reason_en) == ("rejected", "Unreadable")
    html = _page(console, application)
    assert 'id="decision-reason"' in html
    assert "Unreadable" in html


def test_the_applicants_answer_to_needs_info_is_shown(
    console: Client, application: CertificationApplication
) -> None:
    staff = StaffFactory()
    activate_totp(staff)
    application_start_review(application_id=application.public_id, acting_user=staff)
    application_request_info(
        application_id=application.public_id, acting_user=staff, note="The seal is missing"
    )
    assert "No answer yet." in _page(console, application)

    application_resubmit(
        acting_user=application.submitted_by,
        application_id=application.public_id,
        application_form=SimpleUploadedFile("sealed.pdf", sample_pdf(), "application/pdf"),
    )

    html = _page(console, application)
    answer = html[html.index('id="needs-info-answer"') :]
    assert "The seal is missing" in answer
    assert "The applicant answered" in answer
    assert "sealed.pdf" in answer
    assert _next_step(html) == "start_review"


def test_the_trail_names_people_never_user_ids(
    console: Client, application: CertificationApplication
) -> None:
    _press(console, application, "start_review")

    html = _page(console, application)
    trail = html[html.index('id="review-trail"') :]
    assert "user:" not in trail
    assert application.submitted_by.email in trail
    assert "(platform staff)" in trail
    assert "Application taken into review" in trail


def test_a_reload_after_a_refusal_is_a_page_not_a_405(
    console: Client, application: CertificationApplication
) -> None:
    response = _press(console, application, "approve")

    assert response.status_code == 303
    assert console.get(response["Location"]).status_code == 200


def test_an_unknown_button_is_404(console: Client, application: CertificationApplication) -> None:
    assert _press(console, application, "delete_everything").status_code == 404


def test_the_admin_sends_staff_to_the_review_screens(
    console: Client, application: CertificationApplication
) -> None:
    changelist = console.get(reverse("admin:reviews_certificationapplication_changelist"))
    change = console.get(
        reverse("admin:reviews_certificationapplication_change", args=[application.pk])
    )

    assert changelist["Location"] == QUEUE
    assert change["Location"] == _url(application)
    assert console.get(reverse("admin:index")).status_code == 200  # the rest of the admin stays


def test_the_developer_cannot_use_the_staff_screens_even_with_a_forced_log_in(
    application: CertificationApplication,
) -> None:
    other = Client()
    other.force_login(UserFactory())

    assert other.get(QUEUE).status_code == 404
