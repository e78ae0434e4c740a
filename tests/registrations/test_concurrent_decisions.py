"""Concurrent listing decisions on PostgreSQL: two staff decide the same request at once; one
wins, the other gets 409 `invalid_status_move`, and exactly one decision is audited."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from devcenter.errors import DomainError
from devcenter.registrations.models import Registration
from devcenter.registrations.services import listing_publish, listing_reject
from tests.registrations.conftest import audit_events
from tests.registrations.factories import listable_app


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_of_two_concurrent_decisions_wins(dev, certified_partner, platform_key, staff_user):
    from tests.reviews.factories import StaffFactory

    app = listable_app(dev, certified_partner.public_id, platform_key)
    dev.post(f"/registrations/{app}/listing-request")
    other_staff = StaffFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(action):
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(
            target=decide,
            args=(lambda: listing_publish(registration_id=app, acting_user=staff_user),),
        ),
        threading.Thread(
            target=decide,
            args=(
                lambda: listing_reject(
                    registration_id=app, acting_user=other_staff, reason_ja="否", reason_en="No"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["invalid_status_move", "ok"]
    status = Registration.objects.get(public_id=app).status
    assert status in ("published", "rejected")
    decided = audit_events("registration.published", app) + audit_events(
        "registration.rejected", app
    )
    assert [e.new["status"] for e in decided] == [status]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_partners_racing_for_a_community_s_last_place(developer, certified_partner):
    """A community serves three apps; two partners' creations race for the fourth (last)
    place (different partners: no partner lock serialises them): one wins, the other is
    refused `community_full`, and the community serves exactly four."""
    from devcenter.registrations.services import registration_create
    from tests.registrations.factories import (
        new_community,
        partner_of_type,
        platform_user,
        valid_fields,
    )

    community = new_community()
    fields = {**valid_fields("app_pc"), "support_community_id": community}
    other_owner = platform_user()
    other = partner_of_type("corporate_certified", other_owner)
    for _ in range(3):
        registration_create(
            partner_id=certified_partner.public_id,
            service="app_pc",
            name="アプリ",
            fields=fields,
            acting_user=developer,
        )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(partner_id, user):
        try:
            barrier.wait()
            registration_create(
                partner_id=partner_id,
                service="app_pc",
                name="アプリ",
                fields=fields,
                acting_user=user,
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=create, args=(certified_partner.public_id, developer)),
        threading.Thread(target=create, args=(other.public_id, other_owner)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["community_full", "ok"]
    assert Registration.objects.filter(support_community_id=community).count() == 4
