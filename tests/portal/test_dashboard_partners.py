"""The partner list and the registration forms (`/partners/`, `/partners/new/…`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Partner
from devcenter.policy import default_policy
from devcenter.reviews.models import CertificationApplication
from tests.partners.factories import (
    UserFactory,
    corporate_details,
    corporate_general_partner,
    corporate_number,
    individual_partner,
)
from tests.portal.conftest import error_codes, follow_refusal
from tests.reviews.factories import pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

LIST = "/partners/"
CORPORATE = "/partners/new/corporate/"
INDIVIDUAL = "/partners/new/individual/"
NEW_CERTIFICATION = "/partners/new/certification/"


def corporate_form(**overrides: Any) -> dict[str, Any]:
    details = corporate_details(**overrides)
    data = {k: v for k, v in vars(details).items() if k != "legal_entity_registered"}
    if details.legal_entity_registered:
        data["legal_entity_registered"] = "on"
    return data


@pytest.mark.parametrize("url", [LIST, CORPORATE, INDIVIDUAL, NEW_CERTIFICATION])
def test_every_page_needs_a_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")


def test_list_shows_the_users_partners_with_type_status_and_link_in_japanese(
    client_in: Client, user: Any
) -> None:
    partner = corporate_general_partner(user=user, registration_name="サンプル開発")
    corporate_general_partner()  # someone else's: not listed

    response = client_in.get(LIST)

    body = response.content.decode()
    assert response.status_code == 200
    assert Partner.objects.count() == 2
    assert body.count("data-partner=") == 1
    assert f'href="/partners/{partner.public_id}/"' in body
    assert "法人・一般パートナー" in body
    assert "有効" in body or "active" in body.lower()
    assert "個人パートナーとして登録する" in body
    assert 'href="/partners/new/certification/"' in body


def test_list_in_english_offers_no_second_individual_registration(
    client_in: Client, user: Any
) -> None:
    individual_partner(user=user)

    body = client_in.get(LIST, {"lang": "en"}).content.decode()

    assert '<html lang="en">' in body
    assert "Your partners" in body
    assert "Individual, no card" in body
    assert INDIVIDUAL not in body
    assert "Register a corporate general partner" in body


def test_register_corporate_general_redirects_to_the_partner_with_a_message(
    client_in: Client, user: Any
) -> None:
    response = client_in.post(CORPORATE, corporate_form(registration_name="登録テスト"))

    partner = Partner.objects.get(registration_name="登録テスト")
    assert response.status_code == 303
    assert response["Location"] == f"/partners/{partner.public_id}/"
    assert partner.partner_type == "corporate_general"
    assert AuditEvent.objects.filter(
        partner=partner.public_id, event_type="partner.registered"
    ).exists()
    page = client_in.get(response["Location"]).content.decode()
    assert "法人・一般パートナーを登録しました" in page


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_wrong_check_digit_is_shown_on_the_corporate_number_with_its_code(
    client_in: Client, lang: str
) -> None:
    number = corporate_number()
    wrong = str((int(number[0]) + 1) % 10) + number[1:]

    response = client_in.post(f"{CORPORATE}?lang={lang}", corporate_form(corporate_number=wrong))

    page = follow_refusal(client_in, response, CORPORATE)
    form = page.context["form"]
    [error] = form.errors["corporate_number"]
    assert "[" not in error  # words, no internal code
    assert error_codes(form)["corporate_number"]
    assert Partner.objects.count() == 0
    assert 'data-field="corporate_number"' in page.content.decode()
    assert f'value="{wrong}"' in page.content.decode()  # the input survives the redirect


def test_a_corporate_number_already_registered_is_refused_with_its_code(
    client_in: Client,
) -> None:
    taken = corporate_general_partner().corporate_number

    response = client_in.post(CORPORATE, corporate_form(corporate_number=taken))

    page = follow_refusal(client_in, response, CORPORATE)
    assert "already_registered" in error_codes(page.context["form"])["corporate_number"]


def test_register_individual(client_in: Client, user: Any) -> None:
    response = client_in.post(INDIVIDUAL, {"registration_name": "個人開発者"})

    partner = Partner.objects.get(user=user)
    assert response.status_code == 303
    assert response["Location"] == f"/partners/{partner.public_id}/"
    assert partner.partner_type == "individual"
    assert AuditEvent.objects.filter(
        partner=partner.public_id, event_type="partner.registered"
    ).exists()


def test_an_unverified_user_is_refused_an_individual_registration_with_the_policy_code(
    client: Client,
) -> None:
    client.force_login(UserFactory())

    response = client.post(f"{INDIVIDUAL}?lang=en", {"registration_name": "x"})

    page = follow_refusal(client, response, INDIVIDUAL)
    [code] = error_codes(page.context["form"])["__all__"]
    assert code == default_policy().decide_move(None, "individual").code
    assert Partner.objects.count() == 0


def test_a_second_individual_registration_is_refused(client_in: Client, user: Any) -> None:
    individual_partner(user=user)

    response = client_in.post(INDIVIDUAL, {"registration_name": "二つ目"})

    page = follow_refusal(client_in, response, INDIVIDUAL)
    assert error_codes(page.context["form"]) == {"__all__": ["already_registered"]}


def test_apply_as_a_new_corporation_with_both_documents(client_in: Client) -> None:
    data = corporate_form(registration_name="新設法人")
    data |= {"registry_certificate": pdf_upload(), "application_form": pdf_upload("form.pdf")}

    response = client_in.post(NEW_CERTIFICATION, data)

    partner = Partner.objects.get(registration_name="新設法人")
    assert response.status_code == 303
    assert partner.partner_type is None
    assert partner.status == "pending"
    application = CertificationApplication.objects.get(partner=partner)
    assert application.status == "submitted"
    assert AuditEvent.objects.filter(
        partner=partner.public_id, event_type="application.submitted"
    ).exists()


def test_apply_as_an_unregistered_organisation_is_refused_with_the_policy_code(
    client_in: Client,
) -> None:
    data = corporate_form(legal_entity_registered=False)
    data |= {"registry_certificate": pdf_upload(), "application_form": pdf_upload("form.pdf")}

    response = client_in.post(NEW_CERTIFICATION, data)

    page = follow_refusal(client_in, response, NEW_CERTIFICATION)
    assert page.context["form"].non_field_errors()
    assert Partner.objects.count() == 0


def test_a_form_without_csrf_token_is_refused(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(INDIVIDUAL, {"registration_name": "x"})

    assert response.status_code == 403
    assert Partner.objects.count() == 0
