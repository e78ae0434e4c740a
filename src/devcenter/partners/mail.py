"""Branded e-mails: the site's name in the subject, the person's name in the greeting, links
absolute from `DEVCENTER_BASE_URL`, a text and an HTML part, Japanese first then English.

Templates live in `templates/emails/<name>.txt` and `.html`; each gets `name`, `site`, the
caller's context, and renders both languages (its `ja` and `en` blocks), or only the one asked
for with `language` (a person whose language is known: the notices' e-mails).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

SITE_NAME = "mixi Developer Center"


def absolute_url(path: str) -> str:
    """Return `path` as an absolute link on the site people reach (`DEVCENTER_BASE_URL`)."""
    return f"{settings.DEVCENTER_BASE_URL}{path}"


def person_name(user: Any) -> str:
    """Return how to address `user`: their full name, else their whole e-mail address."""
    full = (user.get_full_name() or "").strip() if hasattr(user, "get_full_name") else ""
    return full or str(user.email)


def in_both(text: Any) -> tuple[str, str]:
    """Return a lazily translated text in Japanese and in English."""
    with translation.override("ja"):
        ja = str(text)
    with translation.override("en"):
        en = str(text)
    return ja, en


def send_branded(  # noqa: PLR0913 (each argument is one part of the mail)
    *,
    to: str,
    name: str,
    template: str,
    subject: tuple[str, str],
    context: dict[str, Any],
    language: str | None = None,
) -> None:
    """Send the `template` e-mail to `to`, addressed to `name`, with both parts: in Japanese
    then English, or in `language` alone ("ja" or "en") when given."""
    values = {
        **context,
        "name": name,
        "site": SITE_NAME,
        "base_url": settings.DEVCENTER_BASE_URL,
        "only": language or "",
    }
    with translation.override(language or "ja"):
        text = render_to_string(f"emails/{template}.txt", values)
        html = render_to_string(f"emails/{template}.html", values)
    title = {"ja": subject[0], "en": subject[1]}.get(language or "", " / ".join(subject))
    message = EmailMultiAlternatives(
        subject=f"[{SITE_NAME}] {title}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    message.send()
