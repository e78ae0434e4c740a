"""GET /api/v1/events: the ordered feed, its cursor, filters, visibility and long-poll."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from devcenter.errors import InvalidError
from devcenter.events.selectors import check_limit, check_wait, parse_cursor
from devcenter.partners.services import card_register, card_remove
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner, individual_partner, platform_user


@pytest.fixture
def owner(db: None) -> Any:
    return platform_user()


@pytest.fixture
def busy_partner(owner: Any) -> Any:
    """An individual partner with a few events: created, card verified/removed twice."""
    partner = individual_partner(user=owner)
    for _ in range(2):
        card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
        card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=owner)
    return partner


def _all(caller: ApiCaller, **params: Any) -> list[dict[str, Any]]:
    return caller.get("/events", limit=1000, **params).json()["events"]


def test_resuming_from_every_cursor_neither_skips_nor_repeats(owner: Any, busy_partner: Any):
    caller = ApiCaller(api_key(owner))
    everything = _all(caller)
    assert len(everything) >= 9
    sequences = [e["sequence"] for e in everything]
    assert sequences == sorted(sequences)
    for index, event in enumerate(everything):
        rest = _all(caller, after=str(event["sequence"]))
        assert [e["id"] for e in rest] == [e["id"] for e in everything[index + 1 :]]
    for size in (1, 2, 3):
        walked, cursor = [], ""
        while True:
            page = caller.get("/events", after=cursor, limit=size).json()
            if not page["events"]:
                break
            walked += page["events"]
            cursor = page["next_cursor"]
        assert [e["id"] for e in walked] == [e["id"] for e in everything]


def test_the_event_has_public_id_type_time_partner_sequence_and_data(owner, busy_partner):
    event = _all(ApiCaller(api_key(owner)), types="partner.created")[0]
    assert event["id"] == f"evt_{event['sequence']}"
    assert event["type"] == "partner.created"
    assert event["partner"] == busy_partner.public_id
    assert event["created_at"]
    assert event["data"]["partner"] == busy_partner.public_id
    assert "registration_name" not in event["data"]  # a person's name is nobody's business


def test_types_filter_returns_only_those_types(owner, busy_partner):
    events = _all(ApiCaller(api_key(owner)), types="card.removed,card.verified")
    assert [e["type"] for e in events] == ["card.verified", "card.removed"] * 2


def test_a_developer_sees_only_their_own_partners_a_decisions_key_sees_all(
    owner, busy_partner, decisions_key
):
    stranger = platform_user()
    other = corporate_general_partner(user=stranger)
    mine = {e["partner"] for e in _all(ApiCaller(api_key(owner)))}
    theirs = {e["partner"] for e in _all(ApiCaller(api_key(stranger)))}
    every = {e["partner"] for e in _all(ApiCaller(decisions_key[1]))}
    assert mine == {busy_partner.public_id}
    assert theirs == {other.public_id}
    assert every >= {busy_partner.public_id, other.public_id}


def test_session_reads_the_feed(client: Any, owner: Any, busy_partner: Any) -> None:
    client.force_login(owner)
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    assert {e["partner"] for e in response.json()["events"]} == {busy_partner.public_id}


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"after": "abc"}, "invalid_field", "after"),
        ({"after": "-1"}, "invalid_field", "after"),
        ({"limit": "0"}, "invalid_field", "limit"),
        ({"limit": "1001"}, "invalid_field", "limit"),
        ({"types": "card.exploded"}, "unknown_event_type", "types"),
        ({"wait": "31"}, "invalid_field", "wait"),
    ],
)
def test_invalid_parameters_are_422_naming_the_field(owner, params, code, field):
    response = ApiCaller(api_key(owner)).get("/events", **params)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    ("check", "value", "code", "field"),
    [
        (parse_cursor, "x1", "invalid_cursor", "after"),
        (check_limit, 0, "invalid_limit", "limit"),
        (check_wait, 30.5, "invalid_wait", "wait"),
    ],
)
def test_the_selectors_refuse_what_the_schema_would(check, value, code, field):
    with pytest.raises(InvalidError) as refused:
        check(value)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_anonymous_is_401(db: None) -> None:
    response = ApiCaller().get("/events")
    assert response.status_code == 401


def test_a_rolled_back_change_leaves_no_event(owner: Any) -> None:
    partner = individual_partner(user=owner)
    card = card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
    caller = ApiCaller(api_key(owner))
    before = _all(caller)

    class UndoError(Exception):
        pass

    def remove_then_fail() -> None:
        with transaction.atomic():
            card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=owner)
            raise UndoError

    with pytest.raises(UndoError):
        remove_then_fail()

    assert _all(caller) == before


@pytest.mark.django_db(transaction=True)
def test_wait_long_polls_until_an_event_arrives() -> None:
    owner = platform_user()
    partner = individual_partner(user=owner)
    caller = ApiCaller(api_key(owner))
    cursor = caller.get("/events").json()["next_cursor"]

    def change_later() -> None:
        time.sleep(0.6)
        card_register(partner_id=partner.public_id, token="tok_visa", acting_user=owner)  # noqa: S106
        connection.close()

    writer = threading.Thread(target=change_later)
    started = time.monotonic()
    writer.start()
    page = caller.get("/events", after=cursor, wait="10").json()
    waited = time.monotonic() - started
    writer.join()
    assert [e["type"] for e in page["events"]][:1] == ["card.verified"]
    assert 0.5 <= waited < 5


def test_wait_is_bounded_and_answers_empty(owner: Any, settings: Any) -> None:
    settings.DEVCENTER_EVENTS_POLL_SECONDS = 0.1
    caller = ApiCaller(api_key(owner))
    cursor = caller.get("/events").json()["next_cursor"]
    started = time.monotonic()
    page = caller.get("/events", after=cursor, wait="0.5").json()
    assert page == {"events": [], "next_cursor": cursor}
    assert 0.4 <= time.monotonic() - started < 3
    settings.DEVCENTER_EVENTS_WAIT_CAP_SECONDS = 0.2  # the server's own bound
    started = time.monotonic()
    assert caller.get("/events", after=cursor, wait="30").json()["events"] == []
    assert time.monotonic() - started < 3
