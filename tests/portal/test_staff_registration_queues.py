"""The staff pages of the listing and payment-enrolment queues with Django's client: the gate
(staff whose session passed TOTP only), open items by default, oldest first, the age frozen at
the decision, publish / approve and reject with reasons the partner reads in its language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from devcenter.registrations.choices import RegistrationStatus
from devcenter.registrations.models import PaymentEnrolment, Registration
from tests.portal.conftest import error_codes, follow_refusal, url
from tests.portal.test_registration_screens import created, screen
from tests.registrations.conftest import MovableClock
from tests.registrations.factories import png_bytes
from tests.staff.factories import StaffFactory, activate_totp
from tests.staff.helpers import mfa_login

pytestmark = pytest.mark.django_db
QUEUE = "/staff/registrations/"
PAYMENTS = "/staff/payments/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """allauth marks used TOTP codes in the cache: start empty."""
    cache.clear()


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    staff = StaffFactory()
    mfa_login(client, staff, activate_totp(staff))
    return client


@pytest.fixture
def movable_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    from devcenter.registrations import clock

    moving = MovableClock()
    monkeypatch.setattr(clock, "now", moving.now)
    return moving


def requested(client: Client, partner: Any, name: str) -> Registration:
    """A graph_api registration of `partner` whose listing is requested."""
    registration = created(client, partner, "graph_api", name=name)
    logo = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    client.post(f"{screen(registration)}images/", {"kind": "logo", "file": logo})
    assert client.post(f"{screen(registration)}listing-request/").status_code == 303
    registration.refresh_from_db()
    return registration


@pytest.mark.parametrize("path", [QUEUE, PAYMENTS])
def test_the_gate_lets_only_staff_with_totp_in(path: str, client: Client) -> None:
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")

    client.force_login(StaffFactory(is_staff=False))
    assert client.get(path).status_code == 404

    no_totp = Client()
    no_totp.force_login(StaffFactory())
    answer = no_totp.get(path)
    assert answer.status_code == 302
    assert "/totp/activate" in answer["Location"]

    password_only = Client()
    staff = StaffFactory()
    activate_totp(staff)
    password_only.force_login(staff)  # a session that never passed TOTP
    answer = password_only.get(path)
    assert answer.status_code == 302
    assert "reauthenticate" in answer["Location"]


def test_a_staff_user_without_totp_cannot_decide(
    client_in: Client, certified: Any, media_root: Any
) -> None:
    registration = requested(client_in, certified, "Wanted")
    no_totp = Client()
    no_totp.force_login(StaffFactory())
    no_totp.post(f"{QUEUE}{registration.public_id}/publish/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.LISTING_REQUESTED


def test_the_queue_shows_open_requests_oldest_first_and_publishes(
    staff_client: Client, client_in: Client, certified: Any, media_root: Any
) -> None:
    first = requested(client_in, certified, "First")
    second = requested(client_in, certified, "Second")
    created(client_in, certified, "page", name="Never asked")
    page = staff_client.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("First") < html.index("Second")
    assert "Never asked" not in html

    review = staff_client.get(f"{QUEUE}{first.public_id}/")
    assert review.status_code == 200
    assert 'id="decision-panel"' in review.content.decode()
    assert staff_client.post(f"{QUEUE}{first.public_id}/publish/").status_code == 303
    first.refresh_from_db()
    assert first.reviewer is not None
    assert "First" not in staff_client.get(QUEUE).content.decode()  # open ones only
    published = staff_client.get(f"{QUEUE}?status={first.status}").content.decode()
    assert "First" in published
    assert 'id="review-outcome"' in client_in.get(screen(first)).content.decode()
    assert second.public_id in staff_client.get(QUEUE).content.decode()


def test_publishing_twice_is_refused_at_the_top_with_the_reason(
    staff_client: Client, client_in: Client, certified: Any, media_root: Any
) -> None:
    registration = requested(client_in, certified, "Once")
    staff_client.post(f"{QUEUE}{registration.public_id}/publish/")
    back = f"{QUEUE}{registration.public_id}/"
    again = staff_client.post(f"{QUEUE}{registration.public_id}/publish/")
    page = follow_refusal(staff_client, again, back)
    assert error_codes(page.context["decision_form"]) == {"__all__": ["invalid_status_move"]}
    assert 'id="error-summary"' in page.content.decode()


def test_a_rejection_needs_both_reasons_and_the_partner_reads_its_language(
    staff_client: Client, client_in: Client, certified: Any, media_root: Any
) -> None:
    registration = requested(client_in, certified, "Rejected one")
    back = f"{QUEUE}{registration.public_id}/"
    blank = staff_client.post(f"{back}reject/", {"reason_ja": "", "reason_en": "Too thin"})
    page = follow_refusal(staff_client, blank, back)
    assert error_codes(page.context["decision_form"]) == {"reason_ja": ["required"]}
    assert page.context["decision_form"]["reason_en"].value() == "Too thin"

    staff_client.post(f"{back}reject/", {"reason_ja": "説明が足りません", "reason_en": "Too thin"})
    assert "説明が足りません" in client_in.get(screen(registration)).content.decode()
    client_in.cookies["django_language"] = "en"
    english = client_in.get(screen(registration)).content.decode()
    assert "Too thin" in english
    assert "説明が足りません" not in english


def test_the_age_is_frozen_at_the_decision(
    staff_client: Client,
    client_in: Client,
    certified: Any,
    media_root: Any,
    movable_clock: MovableClock,
) -> None:
    registration = requested(client_in, certified, "Aged")
    movable_clock.advance(days=3)
    staff_client.post(f"{QUEUE}{registration.public_id}/publish/")
    movable_clock.advance(days=5)
    registration.refresh_from_db()
    page = staff_client.get(f"{QUEUE}?status={registration.status}")
    row = page.context["rows"][0]
    assert row["age"] in ("3 日", "3 d", "3日")


def test_the_payment_queue_approves_and_rejects(
    staff_client: Client, client_in: Client, certified: Any
) -> None:
    apps = [created(client_in, certified, "app_pc", name=f"App {n}") for n in (1, 2)]
    for app in apps:
        client_in.post(f"{screen(app)}payment/", {"business_plan": f"Plan of {app.name}"})
    page = staff_client.get(PAYMENTS).content.decode()
    assert page.index("App 1") < page.index("App 2")
    first, second = (PaymentEnrolment.objects.get(registration=a) for a in apps)
    review = staff_client.get(f"{PAYMENTS}{first.public_id}/").content.decode()
    assert "Plan of App 1" in review
    assert certified.registration_name in review  # payouts go to the registered name
    assert staff_client.post(f"{PAYMENTS}{first.public_id}/approve/").status_code == 303
    staff_client.post(
        f"{PAYMENTS}{second.public_id}/reject/",
        {"reason_ja": "価格が不明です", "reason_en": "Prices unclear"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.decided_at is not None
    assert second.reason_en == "Prices unclear"
    assert staff_client.get(PAYMENTS).context["rows"] == []  # open ones only
    assert "価格が不明です" in client_in.get(screen(apps[1])).content.decode()


def test_a_partner_member_is_no_staff(client_in: Client, certified: Any) -> None:
    assert client_in.get(QUEUE).status_code == 404
    assert client_in.get(url(certified, "services/")).status_code == 200


def test_staff_see_the_images_of_a_registration_under_review(
    client_in: Client, certified: Any, staff_client: Client, media_root: Any
) -> None:
    registration = requested(client_in, certified, "Images")
    [image] = registration.images.all()
    review = staff_client.get(f"{QUEUE}{registration.public_id}/")
    src = f"{QUEUE}{registration.public_id}/images/{image.pk}/"
    assert f'src="{src}"' in review.content.decode()
    shown = staff_client.get(src)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == png_bytes()
    assert Client().get(src).status_code != 200  # no one else
