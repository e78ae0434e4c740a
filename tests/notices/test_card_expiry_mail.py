"""The card expiry e-mail: branded, in the recipient's language (Japanese then English when
they never chose one), the person's name, the card, what the expiry takes away, and an
absolute link to the partner's card screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from devcenter.notices.card_expiry import card_expiry_notify
from devcenter.notices.services import language_preference_set
from devcenter.partners.mail import SITE_NAME
from tests.notices.conftest import days_before

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_url(settings: Any) -> str:
    settings.DEVCENTER_BASE_URL = "https://developer.example.jp"
    return str(settings.DEVCENTER_BASE_URL)


def sent_mail(capture: Any) -> Any:
    with capture(execute=True):
        assert card_expiry_notify(today=days_before(7)) == 1
    [message] = mail.outbox
    return message


def html_of(message: Any) -> str:
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    return str(html)


def test_in_japanese_for_a_japanese_reader(
    card: Any,
    owner: Any,
    graph_registration: Any,
    base_url: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    language_preference_set(acting_user=owner, language="ja")

    message = sent_mail(django_capture_on_commit_callbacks)

    link = f"{base_url}/partners/{card.partner.public_id}/card/"
    assert message.to == [owner.email]
    assert (
        message.subject == f"[{SITE_NAME}] 末尾{card.last4}のカードは2027-04-01に有効期限が切れます"
    )
    for part in (message.body, html_of(message)):
        assert "花子 山田 様" in part
        assert "Dear" not in part
        assert link in part
        assert "2027-03-31" in part  # the last day it works
        assert "mixi Connect: mixi Graph API" in part  # the policy's Japanese label
        assert "写真ビューア連携" in part  # the registration that is suspended
        assert "個人・クレカ未登録" in part  # the type it falls to
    assert '<html lang="ja">' in html_of(message)


def test_in_english_for_an_english_reader(
    card: Any,
    owner: Any,
    graph_registration: Any,
    base_url: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    language_preference_set(acting_user=owner, language="en")

    message = sent_mail(django_capture_on_commit_callbacks)

    link = f"{base_url}/partners/{card.partner.public_id}/card/"
    assert message.subject == (
        f"[{SITE_NAME}] Your card ending in {card.last4} expires on 2027-04-01"
    )
    for part in (message.body, html_of(message)):
        assert "Dear 花子 山田," in part
        assert "様" not in part
        assert link in part
        assert "can be used until 2027-03-31" in part
        assert "mixi Graph API" in part
        assert "These registered services are suspended:" in part
        assert "写真ビューア連携" in part
        assert "“Individual, no card”" in part
    assert '<html lang="en">' in html_of(message)


def test_in_both_languages_when_the_reader_never_chose(
    card: Any, owner: Any, base_url: str, django_capture_on_commit_callbacks: Any
) -> None:
    message = sent_mail(django_capture_on_commit_callbacks)

    assert " / " in message.subject
    body = message.body
    assert body.index("花子 山田 様") < body.index("Dear 花子 山田,")  # Japanese first
    assert body.count(f"{base_url}/partners/{card.partner.public_id}/card/") == 2


def test_without_a_full_name_the_mail_greets_the_address(
    card: Any, owner: Any, base_url: str, django_capture_on_commit_callbacks: Any
) -> None:
    type(owner).objects.filter(pk=owner.pk).update(first_name="", last_name="")
    language_preference_set(acting_user=owner, language="en")

    message = sent_mail(django_capture_on_commit_callbacks)

    assert f"Dear {owner.email}," in message.body


def test_choosing_a_language_in_the_portal_keeps_it_for_the_mails(client: Any, owner: Any) -> None:
    from devcenter.notices.selectors import notice_language

    client.force_login(owner)
    assert notice_language(user=owner) is None
    client.get("/partners/?lang=en")
    assert notice_language(user=owner) == "en"
    client.get("/?lang=ja")
    assert notice_language(user=owner) == "ja"
