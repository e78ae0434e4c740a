"""The partner home's scheduled changes: a card expiring on a date, and what the expiry takes
away (from the same impact computation as the notices); the card removal confirmation lists the
registrations that would be suspended too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.notices.conftest import (  # noqa: F401 (fixtures)
    EXPIRES_ON,
    MovableClock,
    card,
    card_partner,
    days_before,
    graph_registration,
    movable_clock,
    owner,
)
from tests.portal.conftest import url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def home(client: Client, owner: Any) -> Client:  # noqa: F811
    client.force_login(owner)
    return client


def scheduled(body: str) -> str:
    start = body.index('id="scheduled-heading"')
    return body[start : body.index("</section>", start)]


def test_a_card_expiry_shows_its_date_and_what_it_takes_away(
    home: Client,
    card_partner: Any,  # noqa: F811
    graph_registration: Any,  # noqa: F811
    movable_clock: MovableClock,  # noqa: F811
) -> None:
    movable_clock.set_day(days_before(12))

    ja = scheduled(home.get(url(card_partner) + "?lang=ja").content.decode())
    en = scheduled(home.get(url(card_partner) + "?lang=en").content.decode())

    assert f'<time datetime="{EXPIRES_ON.isoformat()}">' in ja
    assert "（あと12日）" in ja
    assert "mixi Connect: mixi Graph API" in ja
    assert "写真ビューア連携" in ja
    assert "「個人・クレカ未登録」" in ja
    assert "scheduled__item--soon" in ja
    assert "(12 days left)" in en
    assert "Services that stop" in en
    assert "Registered services that are suspended" in en
    assert f'href="/partners/{card_partner.public_id}/card/"' in en


def test_a_far_expiry_is_shown_but_not_marked_soon(
    home: Client,
    card_partner: Any,  # noqa: F811
    movable_clock: MovableClock,  # noqa: F811
) -> None:
    movable_clock.set_day(days_before(200))

    section = scheduled(home.get(url(card_partner)).content.decode())

    assert "（あと200日）" in section
    assert "scheduled__item--soon" not in section


def test_a_partner_without_a_card_has_nothing_scheduled(client_in: Client, general: Any) -> None:
    section = scheduled(client_in.get(url(general) + "?lang=en").content.decode())

    assert "No changes are scheduled for this partner." in section


def test_the_card_removal_confirmation_lists_the_registrations_suspended(
    home: Client,
    card: Any,  # noqa: F811
    graph_registration: Any,  # noqa: F811
) -> None:
    body = home.get(url(card.partner, f"card/{card.public_id}/remove/?lang=en")).content.decode()

    start = body.index('id="lost-registrations"')
    assert "写真ビューア連携" in body[start : body.index("</ul>", start)]
    assert "mixi Graph API" in body[body.index('id="lost-services"') :]
