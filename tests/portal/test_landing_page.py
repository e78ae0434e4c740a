"""The landing page renders the policy in Japanese (default) and English, marks and all."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from devcenter.policy import Policy
from tests.portal.page_tables import matrix_cells

YES, NO = "○", "–"
TEXTS = {
    "ja": {"heading": "mixi Platform 利用登録の概要", "yes": "利用可", "no": "利用不可"},
    "en": {
        "heading": "mixi Platform registration overview",
        "yes": "available",
        "no": "not available",
    },
}
# Cells checked against the spec's service table (partner-program.md §2), not the policy file.
SPEC_SERVICE_CELLS = [
    ("payment_program", "corporate_certified", True),
    ("payment_program", "corporate_general", False),
    ("payment_program", "individual_card", False),
    ("payment_program", "individual", False),
    ("payment_program", "none", False),
    ("app_mobile", "individual_card", False),
    ("graph_api", "individual_card", True),
    ("graph_api", "individual", False),
    ("plugin", "corporate_general", True),
    ("plugin", "none", False),
    ("openid", "none", True),
    ("simplepost", "none", True),
]
SPEC_ACCOUNT_CELLS = [
    ("partner_account", "corporate_certified", True),
    ("partner_account", "corporate_general", False),
    ("user_account", "corporate_certified", False),
    ("user_account", "individual", True),
    ("partner_test_account", "individual_card", False),
]


def _page(client: Client, lang: str) -> str:
    response = client.get("/", {"lang": lang})
    assert response.status_code == 200
    return response.content.decode()


def test_root_is_japanese_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="ja">', html)
    assert f"<h1>{TEXTS['ja']['heading']}</h1>" in html
    assert response["Content-Language"] == "ja"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_html_lang_and_heading_follow_the_language(client: Client, lang: str) -> None:
    html = _page(client, lang)

    assert f'<html lang="{lang}">' in html
    assert f"<h1>{TEXTS[lang]['heading']}</h1>" in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_label_appears_in_the_page_language(
    client: Client, policy: Policy, lang: str
) -> None:
    """Service, account and partner-type labels (and the partner types' `how`) are shown."""
    html = _page(client, lang)
    description = policy.describe()

    for group, codes in [
        ("service", policy.services),
        ("account", policy.accounts),
        ("partner_type", policy.partner_types),
    ]:
        for code in codes:
            assert policy.label(group, code).get(lang) in _unescape(html), (group, code)
    for partner_type in description["partner_types"]:
        assert partner_type["how"][lang] in _unescape(html)
    assert policy.label("partner_type", None).get(lang) in html  # the "not registered" column


def test_english_page_has_no_japanese_only_service_labels(client: Client, policy: Policy) -> None:
    html = _page(client, "en")

    assert policy.label("service", "payment_program").ja not in html
    assert policy.label("service", "payment_program").en in html


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("service", "column", "allowed"), SPEC_SERVICE_CELLS)
def test_service_marks_match_the_spec(
    client: Client, lang: str, service: str, column: str, allowed: bool
) -> None:
    cells = matrix_cells(_page(client, lang), "service-matrix")

    mark, spoken = cells[service][column]
    assert mark == (YES if allowed else NO)
    assert spoken == TEXTS[lang]["yes" if allowed else "no"]


@pytest.mark.parametrize(("account", "column", "allowed"), SPEC_ACCOUNT_CELLS)
def test_account_marks_match_the_spec(
    client: Client, account: str, column: str, allowed: bool
) -> None:
    cells = matrix_cells(_page(client, "en"), "account-matrix")

    mark, _spoken = cells[account][column]
    assert mark == (YES if allowed else NO)


def test_every_matrix_cell_has_a_mark_and_matches_the_policy(
    client: Client, policy: Policy
) -> None:
    """No blank cell anywhere: each one is ○ or – with text, as the policy decides."""
    html = _page(client, "ja")
    services = matrix_cells(html, "service-matrix")
    accounts = matrix_cells(html, "account-matrix")

    assert set(services) == set(policy.services)
    assert set(accounts) == set(policy.accounts)
    for service, row in services.items():
        assert list(row) == [*policy.partner_types, "none"]
        for column, (mark, spoken) in row.items():
            partner_type = None if column == "none" else column
            assert mark == (YES if policy.decide_service(partner_type, service).allowed else NO)
            assert spoken
    for account, row in accounts.items():
        assert list(row) == list(policy.partner_types)
        for column, (mark, _spoken) in row.items():
            assert mark == (YES if policy.decide_account(column, account).allowed else NO)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_moves_show_the_never_allowed_ones_with_the_engines_reason(
    client: Client, policy: Policy, lang: str
) -> None:
    html = _unescape(_page(client, lang))

    for from_type, to_type in [
        ("corporate_certified", "corporate_general"),
        ("individual", "corporate_general"),
        ("individual_card", "corporate_certified"),
    ]:
        assert f'data-from="{from_type}" data-to="{to_type}"' in html
        assert policy.decide_move(from_type, to_type).reason.get(lang) in html
    assert policy.label("step", "register_card").get(lang) in html
    assert policy.label("fact", "legal_entity_registered").get(lang) in html


def test_forbidden_moves_are_in_the_never_allowed_table(client: Client) -> None:
    html = _page(client, "en")
    forbidden = html[html.index('id="forbidden-moves-table"') :]
    allowed = html[
        html.index('id="allowed-moves-table"') : html.index('id="forbidden-moves-table"')
    ]

    assert 'data-from="corporate_certified" data-to="corporate_general"' in forbidden
    assert 'data-from="corporate_certified" data-to="corporate_general"' not in allowed
    assert 'data-from="corporate_general" data-to="corporate_certified"' in allowed


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "ja",
            [
                "ブラウザベース",
                "iOSアプリ",
                "mixiチェックボタン",
                "代理店や制作受託会社",
                "商用利用",
            ],
        ),
        (
            "en",
            [
                "browser-based",
                "iOS app",
                "mixi Check button",
                "agency",
                "mixi OpenID and SimplePost",
            ],
        ),
    ],
)
def test_notes_explain_platforms_plugin_kinds_and_the_registration_name(
    client: Client, lang: str, texts: list[str]
) -> None:
    html = _unescape(_page(client, lang))

    for text in texts:
        assert text in html


def test_page_names_the_policy_version_and_links_its_stylesheet(
    client: Client, policy: Policy
) -> None:
    html = _page(client, "en")

    assert policy.version in html
    assert '<link rel="stylesheet" href="/static/portal/portal.css">' in html


def test_stylesheet_is_served(client: Client) -> None:
    response = client.get("/static/portal/portal.css")

    assert response.status_code == 200
    assert b".visually-hidden" in b"".join(response.streaming_content)


def _unescape(html: str) -> str:
    from html import unescape

    return unescape(html)
