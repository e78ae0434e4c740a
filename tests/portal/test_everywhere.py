"""What every page has: error pages in the layout, the favicon, the header's links (account
settings, API docs, one logout), the landing page's call to action, the API reference."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "title"), [("ja", "ページが見つかりません"), ("en", "Page not found")]
)
def test_404_is_in_the_layout_in_the_page_language(client: Client, lang: str, title: str) -> None:
    response = client.get("/no-such-page/", {"lang": lang})

    body = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in body
    assert title in body
    assert 'class="site-header"' in body
    assert "favicon.svg" in body


def test_500_page_renders_without_a_request_context(client: Client) -> None:
    from devcenter.portal.views import server_error

    response = server_error(None)  # type: ignore[arg-type]

    assert response.status_code == 500
    assert b"site-header" in response.content


def test_the_header_links_account_settings_and_docs_and_logs_out_one_way(
    client_in: Client,
) -> None:
    body = client_in.get("/partners/").content.decode()

    assert 'href="/account/"' in body
    assert 'href="/docs/"' in body
    assert body.count('action="/accounts/logout/"') == 1
    assert 'href="/accounts/logout/"' not in body
    account = client_in.get("/account/").content.decode()
    for link in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        assert f'href="{link}"' in account


def test_the_landing_page_calls_to_sign_up(client: Client) -> None:
    body = client.get("/").content.decode()

    assert 'id="call-to-action"' in body
    assert 'href="/accounts/signup/"' in body


def test_api_docs_are_served_from_the_committed_document(client: Client) -> None:
    import json
    from pathlib import Path

    page = client.get("/docs/")
    document = client.get("/docs/", {"format": "json"})

    committed = json.loads((Path(__file__).parents[2] / "docs" / "openapi.json").read_text())
    assert page.status_code == 200
    assert document.json()["paths"].keys() == committed["paths"].keys()
    first_path = next(iter(committed["paths"]))
    assert first_path in page.content.decode()
    assert "<script" not in page.content.decode().split("</head>")[1]


def test_static_favicon_exists() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("portal/favicon.svg")
    assert finders.find("portal/forms.js")


def test_a_blank_application_form_downloads(client_in: Client) -> None:
    response = client_in.get("/partners/new/certification/application-form.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_no_internal_code_on_a_partner_screen(client_in: Client, individual: Any) -> None:
    for rest in ("", "services/", "accounts/", "card/", "members/", "history/", "settings/"):
        body = client_in.get(f"/partners/{individual.public_id}/{rest}").content.decode()
        for code in ("requires_card", "corporate_certified", "[card_declined]", "user:"):
            assert f">{code}<" not in body, (rest, code)
            assert f"{code}]" not in body, (rest, code)


def test_the_application_form_has_one_name_in_japanese() -> None:
    """申込書 everywhere: neither 押印済みの申込書 nor 署名済み申込書 names it anywhere."""
    from pathlib import Path

    import devcenter

    root = Path(devcenter.__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in root.glob("locale/ja/LC_MESSAGES/django.po")]
    texts += [p.read_text(encoding="utf-8") for p in root.glob("**/templates/**/*.html")]
    for text in texts:
        assert "押印済みの申込書" not in text
        assert "署名済み申込書" not in text
