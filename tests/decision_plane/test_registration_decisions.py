"""POST /api/v1/decisions about registrations (issue 9, §5): by `reg_…` id or by client id,
answered from the snapshot with its sequence; `registration_suspended` with the restore path
when the partner loses the service, `not_found` for ids the registry does not hold."""

from __future__ import annotations

import pytest
from django.db import transaction

from devcenter.partners.models import Card
from devcenter.partners.services import card_register, card_remove
from devcenter.policy import default_policy
from devcenter.registrations.services import (
    credentials_issue,
    credentials_rotate,
    registration_create,
    registration_delete,
)
from tests.decision_plane.live_registry import individual, platform_user, sequence
from tests.registrations.factories import valid_fields

POLICY = default_policy()
CARD_TOKEN = "tok_visa"  # noqa: S105 (the card verifier's test token)


@pytest.fixture
def snapshot(application):
    application.snapshot.reload()
    return application.snapshot


@pytest.fixture
def card_partner():
    """An individual with a verified card, and its user."""
    user = platform_user()
    partner = individual_with(user)
    card_register(partner_id=partner.public_id, token=CARD_TOKEN, acting_user=user)
    return partner, user


def individual_with(user):
    from devcenter.partners.services import partner_register_individual

    return partner_register_individual(acting_user=user, registration_name="個人開発者")


def create(partner, user, service: str) -> str:
    registration = registration_create(
        partner_id=partner.public_id,
        service=service,
        name="連携サービス",
        fields=valid_fields(service),
        acting_user=user,
    )
    return registration.public_id


def issue(registration_id: str, user) -> str:
    with transaction.atomic():
        return credentials_issue(registration_id=registration_id, acting_user=user).secret.client_id


def remove_card(partner, user) -> None:
    card = Card.objects.get(partner=partner, status="verified")
    with transaction.atomic():
        card_remove(partner_id=partner.public_id, card_id=card.public_id, acting_user=user)


def decide(client, *requests, min_snapshot=None):
    body: dict = {"requests": list(requests)}
    if min_snapshot is not None:
        body["min_snapshot"] = min_snapshot
    reply = client.request("POST", "/api/v1/decisions", json_body=body)
    assert reply.status == 200, reply.body
    return reply.body["decisions"]


def by_id(registration_id: str) -> dict:
    return {"kind": "registration", "registration": registration_id}


def by_client(client_id: str) -> dict:
    return {"kind": "registration", "client_id": client_id}


def test_a_usable_registration_is_allowed_by_id_and_by_client_id(client, snapshot, card_partner):
    partner, user = card_partner
    app = create(partner, user, "app_smartphone")
    client_id = issue(app, user)
    at = sequence()

    answers = decide(client, by_id(app), by_client(client_id), min_snapshot=at)

    for answer in answers:
        assert (answer["allowed"], answer["code"], answer["unlock"]) == (True, "allowed", [])
        assert answer["snapshot"] >= at
        assert answer["policy_version"] == POLICY.version


def test_card_removed_suspends_with_the_restore_path_then_a_card_restores(
    client, snapshot, card_partner
):
    # Given a Graph API registration (by id) and an app with credentials (by client id)
    partner, user = card_partner
    graph = create(partner, user, "graph_api")
    app = create(partner, user, "app_pc")
    client_id = issue(app, user)
    decide(client, by_id(graph), min_snapshot=sequence())

    # When the partner removes its card
    remove_card(partner, user)
    at = sequence()
    graph_answer, app_answer = decide(client, by_id(graph), by_client(client_id), min_snapshot=at)

    # Then the Graph API registration is suspended, its restore path the card, and the app
    # (which an individual may use without a card) stays usable
    assert (graph_answer["allowed"], graph_answer["code"]) == (False, "registration_suspended")
    assert graph_answer["unlock"] == [[{"step": "register_card", "to": "individual_card"}]]
    assert graph_answer["unlockable"] is True
    assert graph_answer["reason"]["en"].startswith("This registration is suspended.")
    assert graph_answer["snapshot"] >= at
    assert app_answer["allowed"] is True

    # And when a card comes back, it is usable again
    card_register(partner_id=partner.public_id, token=CARD_TOKEN, acting_user=user)
    [restored] = decide(client, by_id(graph), min_snapshot=sequence())
    assert (restored["allowed"], restored["code"]) == (True, "allowed")


def test_client_id_follows_its_registration_when_the_partner_is_suspended(
    client, snapshot, card_partner
):
    from devcenter.partners.services import partner_restore, partner_suspend

    partner, user = card_partner
    app = create(partner, user, "app_smartphone")
    client_id = issue(app, user)

    partner_suspend(partner_id=partner.public_id, actor="system", reason="abuse")
    [suspended] = decide(client, by_client(client_id), min_snapshot=sequence())
    partner_restore(partner_id=partner.public_id, actor="system")
    [restored] = decide(client, by_client(client_id), min_snapshot=sequence())

    assert (suspended["allowed"], suspended["code"]) == (False, "registration_suspended")
    assert (restored["allowed"], restored["code"]) == (True, "allowed")


def test_unknown_ids_are_not_found(client, snapshot, card_partner):
    partner, user = card_partner
    app = create(partner, user, "app_smartphone")
    at = sequence()

    answers = decide(
        client,
        by_id("reg_unknown"),
        by_client("ck_unknown"),
        by_id(partner.public_id),  # a partner id is no registration id
        by_client(app),  # a registration id is no client id (none issued yet)
        by_id(""),
        min_snapshot=at,
    )

    assert [(a["allowed"], a["code"]) for a in answers] == [(False, "not_found")] * 5
    assert answers[0]["reason"]["en"] == "No such registration"
    assert all(a["snapshot"] >= at for a in answers)


def test_a_deleted_registration_and_its_client_id_are_not_found(client, snapshot, card_partner):
    partner, user = card_partner
    app = create(partner, user, "app_smartphone")
    client_id = issue(app, user)
    decide(client, by_id(app), min_snapshot=sequence())

    with transaction.atomic():
        registration_delete(registration_id=app, acting_user=user)
    answers = decide(client, by_id(app), by_client(client_id), min_snapshot=sequence())

    assert [a["code"] for a in answers] == ["not_found", "not_found"]


def test_a_rotated_check_key_answers_and_the_old_one_is_not_found(client, snapshot, card_partner):
    partner, user = card_partner
    plugin = create(partner, user, "plugin")
    old_key = issue(plugin, user)
    decide(client, by_client(old_key), min_snapshot=sequence())

    with transaction.atomic():
        new_key = credentials_rotate(registration_id=plugin, acting_user=user).secret.client_id
    old, new = decide(client, by_client(old_key), by_client(new_key), min_snapshot=sequence())

    assert new_key != old_key
    assert (old["code"], new["code"]) == ("not_found", "allowed")


def test_the_snapshot_catches_up_with_registrations_made_after_it_loaded(
    client, snapshot, card_partner
):
    partner, user = card_partner
    loaded_at = snapshot.sequence
    apps = [create(partner, user, "app_pc") for _ in range(20)]  # a batch: looked up together
    client_ids = [issue(app, user) for app in apps[:18]]
    at = sequence()

    answers = decide(client, *map(by_id, apps), *map(by_client, client_ids), min_snapshot=at)

    assert at > loaded_at
    assert [a["code"] for a in answers] == ["allowed"] * 38
    assert snapshot.sequence >= at


def test_registration_questions_mix_with_the_other_kinds(client, snapshot, card_partner):
    partner, user = card_partner
    graph = create(partner, user, "graph_api")
    person = individual()

    answers = decide(
        client,
        {"kind": "service", "partner": person.public_id, "service": "graph_api"},
        by_id(graph),
        {"kind": "service", "partner_type": "individual", "service": "app_pc"},
        by_id("reg_unknown"),
        min_snapshot=sequence(),
    )

    assert [a["code"] for a in answers] == [
        POLICY.decide_service("individual", "graph_api").code,
        "allowed",
        "allowed",
        "not_found",
    ]


@pytest.mark.parametrize(
    ("bad", "code", "field"),
    [
        ({"kind": "registration"}, "invalid_request", "registration"),
        (
            {"kind": "registration", "registration": "reg_a", "client_id": "ck_a"},
            "invalid_request",
            "client_id",
        ),
        ({"kind": "registration", "registration": 7}, "invalid_request", "registration"),
        ({"kind": "registration", "client_id": ["ck_a"]}, "invalid_request", "client_id"),
        (
            {"kind": "registration", "registration": "reg_a", "partner": "p"},
            "invalid_request",
            "partner",
        ),
    ],
)
def test_bad_registration_question_is_422_naming_the_field(client, snapshot, bad, code, field):
    good = {"kind": "service", "partner_type": "individual", "service": "app_pc"}

    reply = client.request("POST", "/api/v1/decisions", json_body={"requests": [good, bad]})

    assert reply.status == 422, reply.body
    assert (reply.body["code"], reply.body["field"], reply.body["index"]) == (code, field, 1)


def test_bad_question_after_many_registration_questions_names_its_index(client, snapshot):
    requests = [by_id(f"reg_{n}") for n in range(30)]
    requests.insert(25, {"kind": "registration", "registration": "reg_a", "client_id": "ck_a"})

    reply = client.request("POST", "/api/v1/decisions", json_body={"requests": requests})

    assert reply.status == 422, reply.body
    assert (reply.body["field"], reply.body["index"]) == ("client_id", 25)
