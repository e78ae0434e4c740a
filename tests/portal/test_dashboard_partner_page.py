"""The partner page `/partners/<public_id>/` and its forms: card, test accounts, certification."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devcenter.accounts.models import AccountStatus, PlatformAccount
from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Card
from devcenter.partners.services import card_register
from devcenter.policy import default_policy
from devcenter.reviews.models import CertificationApplication
from tests.partners.factories import platform_user
from tests.portal.conftest import url
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


def test_individual_page_in_japanese_shows_denials_with_reason_and_unlock_steps(
    client_in: Client, individual: Any
) -> None:
    response = client_in.get(url(individual))

    body = response.content.decode()
    assert response.status_code == 200
    policy = default_policy()
    assert policy.label("partner_type", "individual").ja in body
    decision = policy.decide_service("individual", "graph_api")
    graph = row(body, "graph_api")
    assert "mark--no" in graph
    assert f"<code>{decision.code}</code>" in graph
    assert decision.reason.ja in graph
    assert policy.label("step", decision.unlock[0][0].step).ja in graph
    assert 'id="card-form"' in body
    for token in ("tok_visa", "tok_mastercard", "tok_jcb", "tok_amex", "tok_expired"):
        assert token in body
    assert "カード番号を受け取ることはありません" in body
    assert 'id="history-table"' in body
    assert 'data-event="partner.registered"' in body
    assert 'id="test-account-form"' not in body
    assert 'id="certification-form"' not in body


def test_individual_page_in_english(client_in: Client, individual: Any) -> None:
    body = client_in.get(url(individual), {"lang": "en"}).content.decode()

    assert '<html lang="en">' in body
    assert "Services you may use" in body
    assert "never sees the card number" in body
    [path, *_] = default_policy().decide_service("individual", "graph_api").unlock
    step_label = default_policy().label("step", path[0].step).en
    assert step_label in row(body, "graph_api")  # the unlock step's label in English


# ---------------------------------------------------------------- card


def test_register_card_moves_graph_api_to_allowed(client_in: Client, individual: Any) -> None:
    response = client_in.post(url(individual, "card/"), {"token": "tok_visa"})

    assert response.status_code == 302
    assert response["Location"] == url(individual) + "#card"
    individual.refresh_from_db()
    assert individual.partner_type == "individual_card"
    assert events(individual, "card.registered") == 1
    body = client_in.get(url(individual)).content.decode()
    assert "mark--yes" in row(body, "graph_api")
    assert "カードを登録しました" in body
    assert 'id="current-card"' in body


def test_a_declined_card_is_shown_on_the_token_field_with_its_code(
    client_in: Client, individual: Any
) -> None:
    response = client_in.post(url(individual, "card/") + "?lang=en", {"token": "tok_declined"})

    assert response.status_code == 422
    [error] = response.context["card_form"].errors["token"]
    assert error.endswith("[card_declined]")
    assert Card.objects.filter(status="verified").count() == 0
    assert events(individual, "card.failed") == 1


def test_a_card_number_is_refused(client_in: Client, individual: Any) -> None:
    response = client_in.post(url(individual, "card/"), {"token": "4242 4242 4242 4242"})

    assert response.status_code == 422
    assert "[card_number_not_accepted]" in response.content.decode()
    assert "4242 4242 4242 4242" not in response.content.decode()
    assert Card.objects.count() == 0


def test_a_corporate_partner_may_not_register_a_card(client_in: Client, general: Any) -> None:
    response = client_in.post(url(general, "card/"), {"token": "tok_visa"})

    assert response.status_code == 409
    assert response.context["card_form"].non_field_errors()
    assert Card.objects.count() == 0


def test_remove_card(client_in: Client, user: Any, individual: Any) -> None:
    card = card_register(partner_id=individual.public_id, token="tok_visa", by=user)  # noqa: S106

    response = client_in.post(url(individual, f"card/{card.public_id}/remove/"))

    assert response.status_code == 302
    card.refresh_from_db()
    individual.refresh_from_db()
    assert card.status == "removed"
    assert individual.partner_type == "individual"
    assert events(individual, "card.removed") == 1


def test_card_forms_answer_only_post(client_in: Client, individual: Any) -> None:
    assert client_in.get(url(individual, "card/")).status_code == 405


# ---------------------------------------------------------------- test accounts


def test_certified_partner_creates_and_deletes_a_test_account(
    client_in: Client, certified: Any
) -> None:
    body = client_in.get(url(certified)).content.decode()
    assert 'id="test-account-form"' in body
    assert 'id="certification-form"' not in body

    response = client_in.post(url(certified, "test-accounts/"), {"display_name": "テスト1"})

    assert response.status_code == 302
    account = PlatformAccount.objects.get(display_name="テスト1")
    assert account.kind == "partner_test_account"
    assert events(certified, "account.created") >= 1
    response = client_in.post(url(certified, f"test-accounts/{account.public_id}/delete/"))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETED
    assert events(certified, "account.deleted") >= 2  # the general account on certification, too


def test_the_test_account_limit_is_shown_with_its_code(
    client_in: Client, certified: Any, settings: Any
) -> None:
    settings.DEVCENTER_TEST_ACCOUNT_LIMIT = 0

    response = client_in.post(url(certified, "test-accounts/"), {"display_name": "x"})

    assert response.status_code == 409
    assert "[test_account_limit]" in response.content.decode()


def test_deleting_a_non_test_account_is_refused(client_in: Client, certified: Any) -> None:
    emblem = PlatformAccount.objects.get(partner=certified, kind="partner_account")

    response = client_in.post(url(certified, f"test-accounts/{emblem.public_id}/delete/"))

    assert response.status_code == 409
    assert "[not_a_test_account]" in response.content.decode()


# ---------------------------------------------------------------- certification


def test_general_partner_applies_for_certification(client_in: Client, general: Any) -> None:
    assert 'id="certification-form"' in client_in.get(url(general)).content.decode()

    response = client_in.post(
        url(general, "certification/"),
        {"registry_certificate": pdf_upload(), "application_form": pdf_upload("form.pdf")},
    )

    assert response.status_code == 302
    application = CertificationApplication.objects.get(partner=general)
    assert application.kind == "upgrade"
    assert events(general, "application.submitted") == 1
    body = client_in.get(url(general)).content.decode()
    assert application.public_id in body


def test_a_missing_document_is_shown_on_its_field(client_in: Client, general: Any) -> None:
    response = client_in.post(
        url(general, "certification/"), {"registry_certificate": pdf_upload()}
    )

    assert response.status_code == 422
    assert response.context["documents_form"].errors["application_form"]
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

    assert response.status_code == 409
    assert "[application_already_open]" in response.content.decode()
    assert CertificationApplication.objects.count() == 1
