"""The registration screens with Django's client: the services screen, a create form per
service, a registration's screen (edit, images, credentials, listing, operators, payment,
delete), post / redirect / get everywhere, and an operator who sees one registration only."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from devcenter.policy import default_policy
from devcenter.registrations import operators, services
from devcenter.registrations.models import Registration
from tests.partners.factories import platform_user
from tests.portal.conftest import error_codes, follow_refusal, url
from tests.registrations.factories import partner_of_type, png_bytes, valid_fields

pytestmark = pytest.mark.django_db


def registration_post(service: str, name: str = "My service", **overrides: Any) -> dict[str, Any]:
    """Return the create form's POST of `service` from the API tests' valid fields."""
    data: dict[str, Any] = {"name": name}
    for code, value in {**valid_fields(service), **overrides}.items():
        data[code] = "\n".join(value) if code in ("redirect_uris", "permitted_urls") else value
    return data


def created(client: Client, partner: Any, service: str, **overrides: Any) -> Registration:
    response = client.post(
        url(partner, f"services/{service}/new/"), registration_post(service, **overrides)
    )
    assert response.status_code == 303, response.status_code
    return Registration.objects.get(public_id=response["Location"].split("/")[2])


def screen(registration: Registration) -> str:
    return f"/registrations/{registration.public_id}/"


def mailed_token(mailbox: list[Any]) -> str:
    match = re.search(r"token: (\S+)", mailbox[-1].body)
    assert match, mailbox[-1].body
    return match[1]


@pytest.fixture
def lang_en(client: Client) -> None:
    client.cookies["django_language"] = "en"


# ---------------------------------------------------------------- the services screen


def test_a_certified_partner_sees_every_registrable_service_with_a_register_button(
    client_in: Client, certified: Any
) -> None:
    response = client_in.get(url(certified, "services/"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.code for r in rows] == list(default_policy().registrations.services())
    assert all(r.state == "usable" and r.can_register for r in rows)
    html = response.content.decode()
    for row in rows:
        assert f'data-register="{row.code}"' in html


def test_an_individual_without_a_card_sees_graph_api_locked_with_a_link_to_the_card(
    client_in: Client, individual: Any
) -> None:
    response = client_in.get(url(individual, "services/"))
    graph = next(r for r in response.context["rows"] if r.code == "graph_api")
    assert graph.state == "locked"
    assert not graph.can_register
    html = response.content.decode()
    card = re.search(r'data-service="graph_api".*?</li>\s*</ul>', html, re.S)
    assert card
    assert f'href="{url(individual, "card/")}"' in card[0]
    assert 'data-register="graph_api"' not in html
    mobile = next(r for r in response.context["rows"] if r.code == "app_mobile")
    assert mobile.state == "never"  # no individual may use it: no step, no button
    assert 'data-register="app_mobile"' not in html


def test_registrations_show_status_labels_never_codes(client_in: Client, certified: Any) -> None:
    registration = created(client_in, certified, "page")
    html = client_in.get(url(certified, "services/")).content.decode()
    label = default_policy().registrations.statuses[registration.status].get("ja")
    assert f'data-status="{registration.status}">{label}</span>' in html
    assert f">{registration.status}<" not in html


# ---------------------------------------------------------------- create


@pytest.mark.parametrize("service", list(default_policy().registrations.services()))
def test_every_service_is_registered_from_its_form(
    client_in: Client, certified: Any, service: str
) -> None:
    overrides = {}
    if service == "page_app":
        overrides["page"] = created(client_in, certified, "page").public_id
    registration = created(client_in, certified, service, **overrides)
    assert registration.service == service
    page = client_in.get(screen(registration))
    assert page.status_code == 200
    assert registration.name in page.content.decode()


def test_a_service_the_partner_may_not_use_is_refused_at_the_top_with_the_policy_reason(
    client_in: Client, individual: Any
) -> None:
    new = url(individual, "services/graph_api/new/")
    response = client_in.post(new, registration_post("graph_api"))
    page = follow_refusal(client_in, response, new)
    decision = default_policy().decide_partner_service(
        individual.partner_type, individual.status, "graph_api"
    )
    assert error_codes(page.context["form"]) == {"__all__": [decision.code]}
    html = page.content.decode()
    assert 'id="error-summary"' in html
    assert decision.reason.get("ja") in html
    assert not Registration.objects.exists()


def test_a_bad_field_is_refused_at_that_field(client_in: Client, certified: Any) -> None:
    new = url(certified, "services/graph_api/new/")
    post = registration_post("graph_api", redirect_uris=["http://example.com/cb"])
    page = follow_refusal(client_in, client_in.post(new, post), new)
    assert error_codes(page.context["form"]) == {"redirect_uris": ["redirect_uri_not_https"]}
    assert page.context["form"]["name"].value() == "My service"  # the input is kept
    assert not Registration.objects.exists()


def test_a_reserved_name_is_refused_at_the_name(client_in: Client, certified: Any) -> None:
    new = url(certified, "services/page/new/")
    page = follow_refusal(
        client_in, client_in.post(new, registration_post("page", "ＭＩＸＩ page")), new
    )
    assert error_codes(page.context["form"]) == {"name": ["name_reserved"]}


def test_reloading_after_a_refusal_is_a_get_and_post_only_urls_never_answer_405(
    client_in: Client, certified: Any
) -> None:
    registration = created(client_in, certified, "page")
    for action in ("images", "credentials", "listing-request", "operators", "payment"):
        answer = client_in.get(f"{screen(registration)}{action}/")
        assert answer.status_code == 302, action
        assert answer["Location"] == screen(registration)
    assert client_in.get(url(certified, "services/")).status_code == 200


def test_a_registrable_service_that_is_not_one_is_a_404(client_in: Client, certified: Any) -> None:
    assert client_in.get(url(certified, "services/openid/new/")).status_code == 404


# ---------------------------------------------------------------- edit, images, delete


def test_editing_keeps_a_confirmed_contact_email_confirmed(
    client_in: Client,
    certified: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        registration = created(client_in, certified, "graph_api")
    services.contact_email_confirm(token=mailed_token(mailoutbox))
    post = registration_post("graph_api", name="Renamed")
    response = client_in.post(screen(registration), post)
    assert response.status_code == 303
    registration.refresh_from_db()
    assert registration.name == "Renamed"
    assert registration.contact_email_confirmed_at is not None


def test_an_upload_that_is_not_an_image_is_refused_at_the_file(
    client_in: Client, certified: Any, media_root: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    registration = created(client_in, certified, "page")
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")
    response = client_in.post(f"{screen(registration)}images/", {"kind": "logo", "file": fake})
    page = follow_refusal(client_in, response, screen(registration))
    assert error_codes(page.context["image_form"]) == {"file": ["not_an_image"]}
    good = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    response = client_in.post(f"{screen(registration)}images/", {"kind": "logo", "file": good})
    assert response.status_code == 303
    assert registration.images.count() == 1


def test_delete_is_confirmed_first_and_says_what_is_lost(client_in: Client, certified: Any) -> None:
    registration = created(client_in, certified, "plugin")
    client_in.post(f"{screen(registration)}credentials/")
    confirm = client_in.get(f"{screen(registration)}delete/")
    assert confirm.status_code == 200
    assert (
        "stop working at once" in confirm.content.decode() or "すぐに" in confirm.content.decode()
    )
    Registration.objects.get(pk=registration.pk)  # nothing yet
    response = client_in.post(f"{screen(registration)}delete/")
    assert response["Location"] == url(certified, "services/")
    registration.refresh_from_db()
    assert registration.deleted_at is not None
    assert client_in.get(screen(registration)).status_code == 404


# ---------------------------------------------------------------- credentials


def test_keys_wait_for_the_contact_email_then_the_secret_is_shown_once(
    client_in: Client,
    certified: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        registration = created(client_in, certified, "graph_api")
    page = client_in.get(screen(registration)).content.decode()
    assert 'id="contact-pending"' in page
    assert 'id="issue"' not in page
    refused = client_in.post(f"{screen(registration)}credentials/")
    page = follow_refusal(client_in, refused, screen(registration))
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["contact_email_unconfirmed"]}

    services.contact_email_confirm(token=mailed_token(mailoutbox))
    assert 'id="issue"' in client_in.get(screen(registration)).content.decode()
    issued = client_in.post(f"{screen(registration)}credentials/")
    assert issued.status_code == 303
    shown = client_in.get(screen(registration))
    secret = shown.context["new_secret"]["client_secret"]
    assert secret in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    assert secret not in client_in.get(screen(registration)).content.decode()  # once


def test_a_lost_contact_link_is_sent_again_from_the_screen(
    client_in: Client,
    certified: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        registration = created(client_in, certified, "graph_api")
    page = client_in.get(screen(registration)).content.decode()
    assert 'id="contact-resend"' in page
    too_soon = client_in.post(f"{screen(registration)}contact-email/resend/")
    page = follow_refusal(client_in, too_soon, screen(registration))
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["link_recently_sent"]}
    assert len(mailoutbox) == 1

    registration.contact_email_sent_at -= timedelta(minutes=2)
    registration.save(update_fields=["contact_email_sent_at"])
    with django_capture_on_commit_callbacks(execute=True):
        resent = client_in.post(f"{screen(registration)}contact-email/resend/")
    assert resent.status_code == 303
    assert len(mailoutbox) == 2
    services.contact_email_confirm(token=mailed_token(mailoutbox))
    page = client_in.get(screen(registration)).content.decode()
    assert 'id="contact-resend"' not in page
    assert 'id="contact-confirmed"' in page


def test_rotation_is_confirmed_with_the_grace_period(
    client_in: Client, certified: Any, settings: Any
) -> None:
    settings.DEVCENTER_CREDENTIAL_GRACE_HOURS = 24
    client_in.cookies["django_language"] = "en"
    registration = created(client_in, certified, "app_pc")
    client_in.post(f"{screen(registration)}credentials/")
    first = client_in.get(screen(registration)).context["new_secret"]["client_secret"]
    confirm = client_in.get(f"{screen(registration)}credentials/rotate/").content.decode()
    assert "stays valid for 24 hours" in confirm
    client_in.post(f"{screen(registration)}credentials/rotate/")
    second = client_in.get(screen(registration)).context["new_secret"]["client_secret"]
    assert second != first


# ---------------------------------------------------------------- listing


def test_the_listing_request_says_what_is_missing(client_in: Client, certified: Any) -> None:
    client_in.cookies["django_language"] = "en"
    registration = created(client_in, certified, "app_pc")
    page = client_in.get(screen(registration))
    missing = page.context["screen_data"].missing
    assert "Description" in missing
    assert "Logo" in missing
    assert any("users" in m for m in missing)
    refused = client_in.post(f"{screen(registration)}listing-request/")
    page = follow_refusal(client_in, refused, screen(registration))
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["listing_incomplete"]}


def listable(client: Client, partner: Any, media_root: Any) -> Registration:
    """A graph_api registration with everything its listing needs."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    registration = created(client, partner, "graph_api")
    logo = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    assert (
        client.post(f"{screen(registration)}images/", {"kind": "logo", "file": logo}).status_code
        == 303
    )
    return registration


def test_a_complete_registration_requests_listing_and_shows_under_review(
    client_in: Client, certified: Any, media_root: Any
) -> None:
    registration = listable(client_in, certified, media_root)
    assert client_in.post(f"{screen(registration)}listing-request/").status_code == 303
    page = client_in.get(screen(registration)).content.decode()
    assert 'id="listing-under-review"' in page
    assert 'id="request-listing"' not in page


# ---------------------------------------------------------------- operators


def test_an_operator_sees_that_registration_and_nothing_else_of_the_partner(
    client: Client,
    user: Any,
    certified: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(user)
    mine = created(client, certified, "app_pc")
    other = created(client, certified, "page", name="Other page")
    operator = platform_user()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{screen(mine)}operators/", {"email": operator.email})
    assert response.status_code == 303
    operators.operator_confirm(token=mailed_token(mailoutbox), acting_user=operator)

    as_operator = Client()
    as_operator.force_login(operator)
    page = as_operator.get(screen(mine))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="operator-notice"' in html
    assert certified.registration_name not in html
    assert 'id="delete"' not in html
    assert 'id="operators"' not in html
    assert 'id="payment"' not in html
    assert as_operator.get(screen(other)).status_code == 404
    assert as_operator.get(url(certified)).status_code == 404
    assert as_operator.get(url(certified, "services/")).status_code == 404
    assert as_operator.post(f"{screen(mine)}delete/").status_code == 303  # refused, kept
    mine.refresh_from_db()
    assert mine.deleted_at is None
    assert as_operator.post(screen(mine), registration_post("app_pc", "Edited")).status_code == 303
    mine.refresh_from_db()
    assert mine.name == "Edited"

    confirm = client.get(f"{screen(mine)}operators/{operator.pk}/revoke/")
    assert operator.email in confirm.content.decode()
    client.post(f"{screen(mine)}operators/{operator.pk}/revoke/")
    assert as_operator.get(screen(mine)).status_code == 404


def test_an_unknown_operator_email_is_refused_at_the_field(
    client_in: Client, certified: Any
) -> None:
    registration = created(client_in, certified, "page")
    response = client_in.post(f"{screen(registration)}operators/", {"email": "nobody@example.com"})
    page = follow_refusal(client_in, response, screen(registration))
    assert error_codes(page.context["operator_form"]) == {"email": ["user_not_found"]}


def test_a_stranger_gets_404_for_a_registration(client_in: Client, certified: Any) -> None:
    registration = created(client_in, certified, "page")
    stranger = Client()
    stranger.force_login(platform_user())
    assert stranger.get(screen(registration)).status_code == 404
    assert stranger.post(f"{screen(registration)}delete/").status_code == 404


# ---------------------------------------------------------------- payment enrolment


def test_a_certified_partner_submits_a_business_plan(client_in: Client, certified: Any) -> None:
    registration = created(client_in, certified, "app_mobile")
    page = client_in.get(screen(registration)).content.decode()
    assert 'id="payment-form"' in page
    empty = client_in.post(f"{screen(registration)}payment/", {"business_plan": ""})
    refused = follow_refusal(client_in, empty, screen(registration))
    assert error_codes(refused.context["payment_form"]) == {"business_plan": ["required"]}
    response = client_in.post(f"{screen(registration)}payment/", {"business_plan": "課金アイテム"})
    assert response.status_code == 303
    assert 'id="payment-under-review"' in client_in.get(screen(registration)).content.decode()


def test_an_individual_is_told_why_it_may_not_enrol(client_in: Client, individual: Any) -> None:
    registration = created(client_in, individual, "app_pc")
    response = client_in.get(screen(registration))
    html = response.content.decode()
    assert 'id="payment-form"' not in html
    decision = default_policy().decide_partner_service(
        individual.partner_type, individual.status, "payment_program"
    )
    assert decision.reason.get("ja") in html
    refused = client_in.post(f"{screen(registration)}payment/", {"business_plan": "plan"})
    page = follow_refusal(client_in, refused, screen(registration))
    assert error_codes(page.context["payment_form"]) == {"__all__": [decision.code]}


# ---------------------------------------------------------------- following the card


def test_removing_the_card_lists_the_registrations_it_suspends(client: Client, user: Any) -> None:
    client.force_login(user)
    partner = partner_of_type("individual_card", user)
    registration = created(client, partner, "graph_api")
    card = partner.cards.get()
    confirm = client.get(url(partner, f"card/{card.public_id}/remove/"))
    html = confirm.content.decode()
    assert 'id="suspended-registrations"' in html
    assert registration.name in html
    client.post(url(partner, f"card/{card.public_id}/remove/"))
    page = client.get(screen(registration))
    assert page.context["screen_data"].suspended
    assert 'id="suspension"' in page.content.decode()
    assert 'data-step="register_card"' in page.content.decode()


# ---------------------------------------------------------------- the e-mailed links


def mailed_link(mailbox: list[Any]) -> str:
    match = re.search(r"https?://[^/\s]+(/registration-links/\S+/)", mailbox[-1].body)
    assert match, mailbox[-1].body
    return match[1]


def test_the_operator_link_opens_a_page_that_confirms_and_lists_the_registration(
    client: Client,
    user: Any,
    certified: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(user)
    registration = created(client, certified, "page", name="Shared page")
    operator = platform_user()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{screen(registration)}operators/", {"email": operator.email})
    link = mailed_link(mailoutbox)
    as_operator = Client()
    as_operator.force_login(operator)
    assert as_operator.get(link).status_code == 200
    confirmed = as_operator.post(link)
    assert confirmed["Location"] == screen(registration)
    assert "Shared page" in as_operator.get("/partners/").content.decode()
    reused = as_operator.post(link)
    assert reused["Location"] == link  # used: said on the page, no 405 on reload
    assert as_operator.get(link).status_code == 200


def test_the_contact_link_confirms_without_a_log_in(
    client_in: Client,
    certified: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        registration = created(client_in, certified, "graph_api")
    link = mailed_link(mailoutbox)
    anonymous = Client()
    assert anonymous.get(link).status_code == 200
    assert anonymous.post(link).status_code == 303
    registration.refresh_from_db()
    assert registration.contact_email_confirmed_at is not None
    assert 'id="issue"' in client_in.get(screen(registration)).content.decode()


# ---------------------------------------------------------------- the payout account


def test_the_payout_account_must_be_in_the_partner_s_registered_name(
    client_in: Client, certified: Any
) -> None:
    registration = created(client_in, certified, "app_pc")
    assert 'id="payout-form"' in client_in.get(screen(registration)).content.decode()
    account = {
        "bank_code": "0001",
        "branch_code": "123",
        "account_type": "ordinary",
        "account_number": "1234567",
        "holder_name": "Someone Else KK",
    }
    refused = client_in.post(f"{screen(registration)}payout/", account)
    page = follow_refusal(client_in, refused, screen(registration))
    assert error_codes(page.context["payout_form"]) == {"holder_name": ["payout_name_mismatch"]}
    assert "1234567" not in page.content.decode()  # the number is never echoed back
    account["holder_name"] = certified.registration_name
    assert client_in.post(f"{screen(registration)}payout/", account).status_code == 303
    html = client_in.get(screen(registration)).content.decode()
    assert "****567" in html
    assert "1234567" not in html


def test_an_individual_is_offered_no_payout_account(client_in: Client, individual: Any) -> None:
    registration = created(client_in, individual, "app_pc")
    assert 'id="payout-form"' not in client_in.get(screen(registration)).content.decode()


def test_an_image_is_previewed_for_the_team_only(
    client_in: Client, certified: Any, media_root: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    registration = created(client_in, certified, "page")
    logo = SimpleUploadedFile("logo.png", png_bytes(), "image/png")
    assert (
        client_in.post(f"{screen(registration)}images/", {"kind": "logo", "file": logo}).status_code
        == 303
    )
    [image] = registration.images.all()
    src = f"{screen(registration)}images/{image.pk}/"
    assert f'src="{src}"' in client_in.get(screen(registration)).content.decode()
    shown = client_in.get(src)
    assert (shown.status_code, shown["Content-Type"]) == (200, "image/png")
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content) == png_bytes()
    assert client_in.get(f"{screen(registration)}images/{image.pk + 1}/").status_code == 404
    stranger = Client()
    stranger.force_login(platform_user(email="stranger@example.com"))
    assert stranger.get(src).status_code == 404
