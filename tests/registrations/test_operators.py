"""Operators: an owner grants one user rights on one registration; the user confirms the
e-mailed link within 24 hours, once; the owner may revoke; each step audited. An operator may
edit that registration and see its credentials, nothing else of the partner."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.registrations.conftest import audit_events, code_of, mailed_token
from tests.registrations.factories import caller_for, platform_user, valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_user(db):
    return platform_user()


@pytest.fixture
def operator(operator_user):
    return caller_for(operator_user)


@pytest.fixture
def apps(dev, certified_partner):
    return [
        dev.post(
            f"/partners/{certified_partner.public_id}/registrations",
            {"service": "app_pc", "name": name, **valid_fields("app_pc")},
        ).json()["id"]
        for name in ("運営してもらうアプリ", "別のアプリ")
    ]


def _grant(dev, reg, user, capture):
    with capture(execute=True):
        response = dev.post(f"/registrations/{reg}/operators", {"email": user.email})
    assert response.status_code == 201, response.json()
    return mailed_token()


def test_an_operator_edits_one_registration_and_nothing_else(
    dev, certified_partner, apps, operator, operator_user, django_capture_on_commit_callbacks
):
    token = _grant(dev, apps[0], operator_user, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [operator_user.email]
    before = operator.get(f"/registrations/{apps[0]}")

    confirmed = operator.post("/registration-operators/confirm", {"token": token})

    assert before.status_code == 404
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "active"
    assert operator.get(f"/registrations/{apps[0]}").status_code == 200
    assert operator.patch(f"/registrations/{apps[0]}", {"name": "新しい名前"}).status_code == 200
    assert operator.post(f"/registrations/{apps[0]}/credentials").status_code == 201
    # nothing else of the partner
    assert operator.get(f"/registrations/{apps[1]}").status_code == 404
    assert operator.get(f"/partners/{certified_partner.public_id}").status_code == 404
    assert operator.get(f"/partners/{certified_partner.public_id}/registrations").status_code == 404
    deleted = operator.delete(f"/registrations/{apps[0]}")
    assert (deleted.status_code, code_of(deleted)) == (403, "not_an_owner")
    granted = operator.post(f"/registrations/{apps[0]}/operators", {"email": "x@example.com"})
    assert (granted.status_code, code_of(granted)) == (403, "not_an_owner")
    assert [e.event_type for e in audit_events("operator.granted")] == ["operator.granted"]
    [event] = audit_events("operator.confirmed", apps[0])
    assert event.new == {"user": operator_user.pk, "status": "active"}


def test_the_link_expires_after_24_hours(
    dev, apps, operator, operator_user, movable_clock, django_capture_on_commit_callbacks
):
    token = _grant(dev, apps[0], operator_user, django_capture_on_commit_callbacks)
    movable_clock.advance(hours=24, seconds=1)

    response = operator.post("/registration-operators/confirm", {"token": token})

    assert (response.status_code, code_of(response)) == (409, "link_expired")
    assert operator.get(f"/registrations/{apps[0]}").status_code == 404
    assert not audit_events("operator.confirmed")


def test_the_link_works_once_and_only_for_its_user(
    dev, apps, operator, operator_user, other_dev, django_capture_on_commit_callbacks
):
    token = _grant(dev, apps[0], operator_user, django_capture_on_commit_callbacks)

    stolen = other_dev.post("/registration-operators/confirm", {"token": token})
    first = operator.post("/registration-operators/confirm", {"token": token})
    reused = operator.post("/registration-operators/confirm", {"token": token})

    assert (stolen.status_code, code_of(stolen)) == (422, "link_invalid")
    assert first.status_code == 200
    assert (reused.status_code, code_of(reused)) == (409, "link_used")


def test_revoking_stops_the_operator_at_once(
    dev, apps, operator, operator_user, django_capture_on_commit_callbacks
):
    token = _grant(dev, apps[0], operator_user, django_capture_on_commit_callbacks)
    operator.post("/registration-operators/confirm", {"token": token})

    revoked = dev.delete(f"/registrations/{apps[0]}/operators/{operator_user.pk}")
    again = dev.delete(f"/registrations/{apps[0]}/operators/{operator_user.pk}")

    assert revoked.status_code == 204
    assert operator.get(f"/registrations/{apps[0]}").status_code == 404
    assert (again.status_code, code_of(again)) == (404, "operator_not_found")
    [event] = audit_events("operator.revoked", apps[0])
    assert event.new["status"] == "revoked"


def test_grant_refusals(dev, apps, developer, operator_user, django_capture_on_commit_callbacks):
    _grant(dev, apps[0], operator_user, django_capture_on_commit_callbacks)

    twice = dev.post(f"/registrations/{apps[0]}/operators", {"email": operator_user.email})
    member = dev.post(f"/registrations/{apps[0]}/operators", {"email": developer.email})
    nobody = dev.post(f"/registrations/{apps[0]}/operators", {"email": "nobody@example.com"})

    assert (twice.status_code, code_of(twice)) == (409, "operator_already_granted")
    assert (member.status_code, code_of(member)) == (409, "already_member")
    assert (nobody.status_code, code_of(nobody)) == (404, "user_not_found")


def test_the_operator_list(dev, apps, operator_user, django_capture_on_commit_callbacks):
    _grant(dev, apps[0], operator_user, django_capture_on_commit_callbacks)

    response = dev.get(f"/registrations/{apps[0]}/operators")

    assert [(o["email"], o["status"]) for o in response.json()] == [
        (operator_user.email, "invited")
    ]
