"""The notices inbox `/notices/`: the user's notices in the page's language, newest first, read
or unread; mark one or all read (post / redirect / get); the unread count in the header;
someone else's notice is a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devcenter.notices.card_expiry import card_expiry_notify
from devcenter.notices.models import Notice
from tests.notices.conftest import (  # noqa: F401 (fixtures)
    card,
    card_partner,
    days_before,
    graph_registration,
    owner,
)
from tests.partners.factories import platform_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def two_notices(card: Any, graph_registration: Any) -> list[Notice]:  # noqa: F811
    """The 30-day and the 7-day notice of the owner's card, the newest last."""
    card_expiry_notify(today=days_before(30))
    card_expiry_notify(today=days_before(7))
    return list(Notice.objects.order_by("pk"))


@pytest.fixture
def inbox(client: Client, owner: Any) -> Client:  # noqa: F811
    client.force_login(owner)
    return client


def count_in_header(body: str) -> str | None:
    if 'id="notice-count"' not in body:
        return None
    start = body.index('id="notice-count">') + len('id="notice-count">')
    return body[start : body.index("<", start)]


def test_login_is_required(client: Client) -> None:
    response = client.get("/notices/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_inbox_in_japanese_lists_the_notices_newest_first(
    inbox: Client,
    two_notices: list[Notice],
    card: Any,  # noqa: F811
) -> None:
    response = inbox.get("/notices/?lang=ja")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>お知らせ</h1>" in body
    newest, oldest = body.index(two_notices[1].public_id), body.index(two_notices[0].public_id)
    assert newest < oldest
    assert body.count('data-state="unread"') == 2
    assert f"末尾{card.last4}のカードは2027-04-01に有効期限が切れます" in body
    assert "mixi Connect: mixi Graph API" in body
    assert "写真ビューア連携" in body
    assert f'href="/partners/{card.partner.public_id}/card/"' in body
    assert count_in_header(body) == "2"


def test_the_inbox_in_english(inbox: Client, two_notices: list[Notice], card: Any) -> None:  # noqa: F811
    body = inbox.get("/notices/?lang=en").content.decode()

    assert "<h1>Notices</h1>" in body
    assert f"Your card ending in {card.last4} expires on 2027-04-01" in body
    assert "These services stop:" in body
    assert "mixi Graph API" in body
    assert "Unread (2)" in body


def test_marking_one_read_redirects_and_lowers_the_count(
    inbox: Client, two_notices: list[Notice]
) -> None:
    first = two_notices[0]

    response = inbox.post(f"/notices/{first.public_id}/read/")

    assert response.status_code == 303
    assert response["Location"] == "/notices/"
    first.refresh_from_db()
    assert first.read_at is not None
    body = inbox.get("/notices/").content.decode()
    assert body.count('data-state="unread"') == 1
    assert body.count('data-state="read"') == 1
    assert count_in_header(body) == "1"
    # marking it again changes nothing
    read_at = first.read_at
    inbox.post(f"/notices/{first.public_id}/read/")
    first.refresh_from_db()
    assert first.read_at == read_at


def test_the_unread_filter_shows_only_unread_ones_and_keeps_itself(
    inbox: Client, two_notices: list[Notice]
) -> None:
    inbox.post(f"/notices/{two_notices[0].public_id}/read/")

    body = inbox.get("/notices/?show=unread").content.decode()
    assert two_notices[1].public_id in body
    assert two_notices[0].public_id not in body

    response = inbox.post(f"/notices/{two_notices[1].public_id}/read/", {"show": "unread"})
    assert response["Location"] == "/notices/?show=unread"
    body = inbox.get("/notices/?show=unread&lang=en").content.decode()
    assert "No unread notices." in body


def test_mark_all_read(inbox: Client, two_notices: list[Notice]) -> None:
    response = inbox.post("/notices/read/")

    assert response.status_code == 303
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    body = inbox.get("/notices/").content.decode()
    assert count_in_header(body) is None
    assert 'id="read-all"' not in body


def test_a_reload_of_an_action_url_is_the_inbox_not_a_405(
    inbox: Client, two_notices: list[Notice]
) -> None:
    for path in (f"/notices/{two_notices[0].public_id}/read/", "/notices/read/"):
        response = inbox.get(path)
        assert response.status_code == 303
        assert response["Location"] == "/notices/"
    assert Notice.objects.filter(read_at__isnull=True).count() == 2  # a GET marks nothing


def test_someone_elses_notice_is_404_and_unchanged(
    client: Client, two_notices: list[Notice]
) -> None:
    client.force_login(platform_user())

    assert client.post(f"/notices/{two_notices[0].public_id}/read/").status_code == 404
    assert client.post("/notices/read/").status_code == 303
    assert Notice.objects.filter(read_at__isnull=True).count() == 2
    body = client.get("/notices/?lang=en").content.decode()
    assert "No notices yet." in body
    assert two_notices[0].public_id not in body


def test_the_header_links_the_inbox_on_every_page(inbox: Client) -> None:
    body = inbox.get("/partners/?lang=ja").content.decode()

    assert 'id="notices-link"' in body
    assert count_in_header(body) is None  # nothing unread
