"""Choosing the page language: `?lang=`, the remembered cookie, Accept-Language, Japanese."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_switcher_links_to_both_languages_and_marks_the_current_one(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in html
    assert '<a href="?lang=ja" lang="ja" hreflang="ja" aria-current="true">日本語</a>' in html


def test_english_switcher_link_marks_english_current(client: Client) -> None:
    html = client.get("/?lang=en").content.decode()

    assert '<a href="?lang=en" lang="en" hreflang="en" aria-current="true">English</a>' in html
    assert '<a href="?lang=ja" lang="ja" hreflang="ja">日本語</a>' in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_lang_parameter_is_remembered_in_the_language_cookie(client: Client, lang: str) -> None:
    response = client.get("/", {"lang": lang})

    assert _lang(response) == lang
    assert response.cookies[COOKIE].value == lang
    assert response.cookies[COOKIE]["samesite"] == "Lax"


def test_remembered_choice_applies_without_the_parameter(client: Client) -> None:
    client.get("/?lang=en")

    response = client.get("/", headers={"accept-language": "ja"})

    assert _lang(response) == "en"
    assert response["Content-Language"] == "en"


def test_switching_back_to_japanese_overrides_the_cookie(client: Client) -> None:
    client.get("/?lang=en")

    assert _lang(client.get("/?lang=ja")) == "ja"
    assert _lang(client.get("/")) == "ja"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9", "en"),
        ("en", "en"),
        ("ja-JP,ja;q=0.9,en;q=0.5", "ja"),
        ("fr-FR,fr;q=0.9", "ja"),  # unsupported: the default, Japanese
        ("fr,en;q=0.5", "en"),
    ],
)
def test_accept_language_is_honoured_without_lang(
    client: Client, header: str, expected: str
) -> None:
    response = client.get("/", headers={"accept-language": header})

    assert _lang(response) == expected
    assert response["Content-Language"] == expected
    assert COOKIE not in response.cookies  # only an explicit choice is remembered


def test_lang_parameter_beats_accept_language(client: Client) -> None:
    response = client.get("/?lang=ja", headers={"accept-language": "en"})

    assert _lang(response) == "ja"


def test_unknown_lang_parameter_falls_back_and_is_not_remembered(client: Client) -> None:
    response = client.get("/?lang=xx", headers={"accept-language": "en"})

    assert response.status_code == 200
    assert _lang(response) == "en"
    assert COOKIE not in response.cookies


def test_response_varies_on_accept_language_and_cookie(client: Client) -> None:
    response = client.get("/")

    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_only_safe_methods_are_allowed(client: Client) -> None:
    assert client.post("/").status_code == 405
    assert client.head("/").status_code == 200
