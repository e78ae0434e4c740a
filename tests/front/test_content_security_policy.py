"""Pages send a Content-Security-Policy (django-csp): only this origin, no inline script or
style; and no template of ours needs either."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import devcenter

PAGES = ["/", "/?lang=en", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
TEMPLATES = sorted(Path(devcenter.__file__).parent.glob("**/templates/**/*.html"))


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_allows_only_its_own_origin_and_no_inline_code(
    client: Client, path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]  # the TOTP QR code
    everything = " ".join(" ".join(values) for values in policy.values())
    assert "unsafe" not in everything
    assert "http" not in everything  # no third-party origin


@pytest.mark.django_db
def test_a_logged_in_partner_page_has_it_too(client: Client, django_user_model) -> None:
    user = django_user_model.objects.create_user("csp@example.com", "csp@example.com", "pw")
    client.force_login(user)

    response = client.get("/partners/")

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_template_has_inline_script_style_or_handler(template: Path) -> None:
    text = template.read_text(encoding="utf-8")

    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_STYLE.search(text)
    assert not INLINE_HANDLER.search(text)


def test_the_templates_are_found() -> None:
    assert len(TEMPLATES) > 10
