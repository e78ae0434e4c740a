"""The partner page `/partners/<public_id>/` and its forms: card, test accounts, certification."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localtime

from devcenter.accounts.models import AccountStatus, PlatformAccount
from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Card
from devcenter.partners.services import card_register
from devcenter.policy import default_policy
from devcenter.reviews.models import CertificationApplication
from tests.partners.factories import platform_user
from tests.portal.conftest import error_codes, follow_refusal, url
from tests.reviews.factories import pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def row(body: str, code: str) -> str:
    """Return the HTML of the entitlement row of `code` (its first table row)."""
    start = body.index(f'<tr data-code="{code}">')
    return body[start : body.index("</tr>", start)]


def events(partner: Any, event_type: str) -> int:
    return AuditEvent.objects.filter(partner=partner.public_id, event_type=event_type).count()


# ---------------------------------------------------------------- the page


def test_login_is_required(client: Client, individual: Any) -> None:
    response = client.get(url(individual))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_stranger_gets_404(client: Client, individual: Any) -> None:
    client.force_login(platform_user())
    assert client.get(url(individual)).status_code == 404
    assert client.post(url(individual, "card/"), {"token": "tok_visa"}).status_code == 404
    assert Card.objects.count() == 0


def test_an_unknown_partner_is_404(client_in: Client) -> None:
    assert client_in.get("/partners/ptn_nothing/").status_code == 404


def test_individual_services_in_japanese_show_denials_with_reason_and_unlock_links(
    client_in: Client, individual: Any
) -> None:
    response = client_in.get(url(individual, "services/"))

    body = response.content.decode()
    assert response.status_code == 200
    policy = default_policy()
    assert policy.label("partner_type", "individual").ja in body
    decision = policy.decide_service("individual", "graph_api")
    graph = row(body, "graph_api")
    assert "mark--no" in graph
    assert f"<code>{decision.code}</code>" not in graph  # no internal code shown
    assert decision.reason.ja in graph
    step = decision.unlock[0][0].step
    assert policy.label("step", step).ja in graph
    assert f'data-step="{step}" href="{url(individual, "card/")}"' in graph  # a link to the step
    card = client_in.get(url(individual, "card/")).content.decode()
    assert 'id="card-form"' in card
    for token in ("tok_visa", "tok_mastercard", "tok_jcb", "tok_amex", "tok_expired"):
        assert token in card
    assert "カード番号を受け取ることはありません" in card
    history = client_in.get(url(individual, "history/")).content.decode()
    assert 'id="history-table"' in history
    assert 'data-event="partner.registered"' in history
    assert "user:" not in history
    assert individual.user.email in history
    accounts = client_in.get(url(individual, "accounts/")).content.decode()
    assert 'id="test-account-form"' not in accounts
    assert (
        'id="certification-form"'
        not in client_in.get(url(individual, "certification/")).content.decode()
    )


def test_individual_page_in_english(client_in: Client, individual: Any) -> None:
    body = client_in.get(url(individual, "services/"), {"lang": "en"}).content.decode()

    assert '<html lang="en">' in body
    assert "Services you may use" in body
    [path, *_] = default_policy().decide_service("individual", "graph_api").unlock
    step_label = default_policy().label("step", path[0].step).en
    assert step_label in row(body, "graph_api")  # the unlock step's label in English
    card = client_in.get(url(individual, "card/"), {"lang": "en"}).content.decode()
    assert "never sees the card number" in card


def test_home_shows_the_next_step_as_a_link(client_in: Client, individual: Any) -> None:
    body = client_in.get(url(individual)).content.decode()

    checklist = body[body.index('id="checklist"') :]
    step = default_policy().label("step", "register_card").ja
    assert f'<a href="{url(individual, "card/")}">{step}</a>' in checklist
    assert 'aria-current="page"' in body
    assert 'id="scheduled-changes"' in body


# ---------------------------------------------------------------- card


def test_register_card_moves_graph_api_to_allowed(client_in: Client, individual: Any) -> None:
    response = client_in.post(url(individual, "card/"), {"token": "tok_visa"})

    assert response.status_code == 303
    assert response["Location"] == url(individual, "card/")
    individual.refresh_from_db()
    assert individual.partner_type == "individual_card"
    assert events(individual, "card.registered") == 1
    body = client_in.get(url(individual, "card/")).content.decode()
    assert "カードを登録しました" in body
    assert 'id="current-card"' in body
    assert "mark--yes" in row(
        client_in.get(url(individual, "services/")).content.decode(), "graph_api"
    )


def test_a_declined_card_comes_back_after_the_redirect_at_its_field_and_in_the_summary(
    client_in: Client, individual: Any
) -> None:
    response = client_in.post(url(individual, "card/") + "?lang=en", {"token": "tok_declined"})

    page = follow_refusal(client_in, response, url(individual, "card/"))
    assert error_codes(page.context["card_form"]) == {"token": ["card_declined"]}
    body = page.content.decode()
    assert 'id="error-summary"' in body
    assert 'href="#id_token"' in body  # the summary links to the field
    assert "[card_declined]" not in body  # no internal code shown
    assert Card.objects.filter(status="verified").count() == 0
    assert events(individual, "card.failed") == 1
    again = client_in.get(url(individual, "card/")).content.decode()  # a reload: a plain GET
    assert 'id="error-summary"' not in again  # shown once


def test_a_card_number_is_refused_and_never_kept(client_in: Client, individual: Any) -> None:
    response = client_in.post(url(individual, "card/"), {"token": "4242 4242 4242 4242"})

    page = follow_refusal(client_in, response, url(individual, "card/"))
    assert error_codes(page.context["card_form"]) == {"token": ["card_number_not_accepted"]}
    assert "4242 4242 4242 4242" not in page.content.decode()
    assert "4242 4242" not in str(dict(client_in.session))
    assert Card.objects.count() == 0


def test_a_corporate_partner_may_not_register_a_card(client_in: Client, general: Any) -> None:
    response = client_in.post(url(general, "card/"), {"token": "tok_visa"})

    page = follow_refusal(client_in, response, url(general, "card/"))
    assert page.context["card_form"].non_field_errors()
    assert Card.objects.count() == 0


def test_remove_card_confirms_what_will_be_lost_first(
    client_in: Client, user: Any, individual: Any
) -> None:
    card = card_register(partner_id=individual.public_id, token="tok_visa", acting_user=user)  # noqa: S106
    confirm_url = url(individual, f"card/{card.public_id}/remove/")

    confirm = client_in.get(confirm_url, {"lang": "en"}).content.decode()

    policy = default_policy()
    assert policy.label("service", "graph_api").en in confirm  # lost: individual_card -> individual
    assert policy.label("service", "app_pc").en not in confirm  # kept by both types
    assert policy.label("partner_type", "individual").en in confirm
    card.refresh_from_db()
    assert card.status == "verified"  # nothing happens on GET
    response = client_in.post(confirm_url)
    assert response.status_code == 303
    card.refresh_from_db()
    individual.refresh_from_db()
    assert card.status == "removed"
    assert individual.partner_type == "individual"
    assert events(individual, "card.removed") == 1


def test_no_action_url_answers_405(client_in: Client, individual: Any, user: Any) -> None:
    card = card_register(partner_id=individual.public_id, token="tok_visa", acting_user=user)  # noqa: S106
    for rest in ("card/", "services/", "accounts/", "members/", "history/", "settings/"):
        assert client_in.get(url(individual, rest)).status_code == 200, rest
    assert client_in.get(url(individual, f"card/{card.public_id}/remove/")).status_code == 200


# ---------------------------------------------------------------- test accounts


def test_certified_partner_creates_and_deletes_a_test_account(
    client_in: Client, certified: Any
) -> None:
    body = client_in.get(url(certified, "accounts/")).content.decode()
    assert 'id="test-account-form"' in body

    response = client_in.post(url(certified, "accounts/"), {"display_name": "テスト1"})

    assert response.status_code == 303
    account = PlatformAccount.objects.get(display_name="テスト1")
    assert account.kind == "partner_test_account"
    assert events(certified, "account.created") >= 1
    delete_url = url(certified, f"accounts/{account.public_id}/delete/")
    assert "テスト1" in client_in.get(delete_url).content.decode()  # confirm first
    response = client_in.post(delete_url)
    assert response.status_code == 303
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETED
    assert events(certified, "account.deleted") >= 2  # the general account on certification, too


def test_the_test_account_limit_is_shown_at_the_form(
    client_in: Client, certified: Any, settings: Any
) -> None:
    settings.DEVCENTER_TEST_ACCOUNT_LIMIT = 0

    response = client_in.post(url(certified, "accounts/"), {"display_name": "x"})

    page = follow_refusal(client_in, response, url(certified, "accounts/"))
    assert error_codes(page.context["test_account_form"]) == {"__all__": ["test_account_limit"]}
    assert 'value="x"' in page.content.decode()  # the input survives the redirect


def test_deleting_a_non_test_account_is_refused(client_in: Client, certified: Any) -> None:
    emblem = PlatformAccount.objects.get(partner=certified, kind="partner_account")
    delete_url = url(certified, f"accounts/{emblem.public_id}/delete/")

    assert client_in.get(delete_url).status_code == 404  # no confirmation for it
    response = client_in.post(delete_url)

    page = follow_refusal(client_in, response, url(certified, "accounts/"))
    assert error_codes(page.context["confirm_form"]) == {"__all__": ["not_a_test_account"]}


# ---------------------------------------------------------------- certification


def test_general_partner_applies_for_certification(client_in: Client, general: Any) -> None:
    screen = url(general, "certification/")
    body = client_in.get(screen).content.decode()
    assert 'id="certification-form"' in body
    assert url(general, "certification/application-form.pdf") in body

    response = client_in.post(
        screen,
        {"registry_certificate": pdf_upload(), "application_form": pdf_upload("form.pdf")},
    )

    assert response.status_code == 303
    application = CertificationApplication.objects.get(partner=general)
    assert application.kind == "upgrade"
    assert events(general, "application.submitted") == 1
    body = client_in.get(screen).content.decode()
    assert 'id="application-next"' in body
    assert localtime(application.submitted_at).strftime("%Y-%m-%d") in body
    services = client_in.get(url(general, "services/")).content.decode()
    assert "step--review" in row(services, "graph_api")  # the unlock step says "under review"


def test_the_application_form_downloads_as_a_pdf_with_the_partner_s_details(
    client_in: Client, general: Any
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    response = client_in.get(url(general, "certification/application-form.pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert general.public_id in text
    assert general.corporate_number in text
    assert "申込書" in text


def test_a_missing_document_is_shown_on_its_field(client_in: Client, general: Any) -> None:
    response = client_in.post(
        url(general, "certification/"), {"registry_certificate": pdf_upload()}
    )

    page = follow_refusal(client_in, response, url(general, "certification/"))
    assert page.context["documents_form"].errors["application_form"]
    assert CertificationApplication.objects.count() == 0


def test_a_second_open_application_is_refused_with_its_code(
    client_in: Client, general: Any
) -> None:
    files = {"registry_certificate": pdf_upload(), "application_form": pdf_upload("form.pdf")}
    client_in.post(url(general, "certification/"), files)

    response = client_in.post(
        url(general, "certification/"),
        {"registry_certificate": pdf_upload(), "application_form": pdf_upload("form.pdf")},
    )

    page = follow_refusal(client_in, response, url(general, "certification/"))
    assert error_codes(page.context["documents_form"]) == {"__all__": ["application_already_open"]}
    assert CertificationApplication.objects.count() == 1
