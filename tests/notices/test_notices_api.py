"""GET /api/v1/notices, POST /api/v1/notices/{id}/read and /notices/read-all: the acting
user's inbox through the API, newest first, a page at a time, in Japanese and English."""

from __future__ import annotations

from typing import Any

import pytest

from devcenter.notices.card_expiry import card_expiry_notify
from devcenter.notices.models import Notice
from tests.api.conftest import error_code
from tests.api.factories import ApiCaller, api_key
from tests.notices.conftest import days_before
from tests.partners.factories import platform_user


@pytest.fixture
def told(card_partner: Any, movable_clock: Any) -> list[str]:
    """The real sweep on three days: the 30-, 7- and 1-day notices; their ids, oldest first."""
    for days in (30, 7, 1):
        movable_clock.set_day(days_before(days))
        assert card_expiry_notify(today=days_before(days)) == 1
    return list(Notice.objects.order_by("created_at").values_list("public_id", flat=True))


@pytest.fixture
def me(owner: Any) -> ApiCaller:
    return ApiCaller(api_key(owner, "developer"))


def test_lists_the_callers_notices_newest_first_in_both_languages(me, told, card_partner):
    response = me.get("/notices")

    assert response.status_code == 200
    page = response.json()
    assert [n["id"] for n in page["notices"]] == told[::-1]
    assert page["next_cursor"] is None
    newest = page["notices"][0]
    assert newest["kind"] == "card_expiring"
    assert newest["partner"] == card_partner.public_id
    assert newest["read"] is False
    assert newest["data"]["threshold_days"] == 1
    assert "2027-04-01" in newest["title"]["en"]
    assert "2027-04-01" in newest["title"]["ja"]
    assert newest["title"]["ja"] != newest["title"]["en"]
    assert newest["text"]["ja"]
    assert newest["text"]["en"]


def test_pages_with_the_cursor_never_skip_or_repeat(me, told):
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = me.get("/notices", **params).json()
        seen += [n["id"] for n in page["notices"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == told[::-1]


def test_marking_one_read_and_the_unread_filter(me, told):
    response = me.post(f"/notices/{told[0]}/read")
    assert response.status_code == 200
    assert response.json()["read"] is True
    assert response.json()["read_at"]
    again = me.post(f"/notices/{told[0]}/read")  # again: no change
    assert again.json()["read_at"] == response.json()["read_at"]
    unread = me.get("/notices", unread="true").json()["notices"]
    assert [n["id"] for n in unread] == told[:0:-1]


def test_mark_all_read(me, told):
    assert me.post("/notices/read-all").json() == {"marked": 3}
    assert me.post("/notices/read-all").json() == {"marked": 0}
    assert me.get("/notices", unread="true").json()["notices"] == []


def test_someone_elses_notice_is_not_found_and_not_listed(told, db):
    stranger = ApiCaller(api_key(platform_user(), "developer"))
    assert stranger.get("/notices").json()["notices"] == []
    response = stranger.post(f"/notices/{told[0]}/read")
    assert response.status_code == 404
    assert error_code(response) == "notice_not_found"
    assert Notice.objects.get(public_id=told[0]).read_at is None


def test_a_bad_cursor_is_422_naming_it(me, told):
    response = me.get("/notices", cursor="not-a-cursor")
    assert response.status_code == 422
    assert "cursor" in response.text


def test_anonymous_gets_401(db):
    response = ApiCaller().get("/notices")
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_the_largest_cursor_lists_every_older_notice_not_an_error(me, told):
    response = me.get("/notices", cursor="9" * 16 + "_" + "9" * 18)
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["notices"]] == told[::-1]
